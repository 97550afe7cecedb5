package io.lakeshare.spark;

import io.lakeshare.protocol.model.FileAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Change data of commits that only changed a file's deletion vector. Such a commit writes no change
 * data files: it removes the file with its old vector and adds it back with the new one (same path,
 * so the same file id). Its deleted rows are those live under the old vector and deleted under the
 * new one; rows the new vector no longer deletes (a restore) are inserts. Each pair becomes up to
 * two reads of the same file with those row selections.
 */
final class ChangePairs {
  private ChangePairs() {}

  /** {@code files} with every add/remove pair of one file and version replaced by its changes. */
  static List<PlannedFile> resolve(List<PlannedFile> files) {
    Map<String, PlannedFile> removes = new HashMap<>();
    Map<String, PlannedFile> adds = new HashMap<>();
    for (PlannedFile f : files) {
      if (f.kind() == FileAction.Kind.REMOVE) {
        removes.put(key(f), f);
      } else if (f.kind() == FileAction.Kind.ADD) {
        adds.put(key(f), f);
      }
    }
    List<PlannedFile> out = new ArrayList<>(files.size());
    for (PlannedFile f : files) {
      String key = key(f);
      PlannedFile remove = removes.get(key);
      PlannedFile add = adds.get(key);
      boolean paired =
          remove != null
              && add != null
              && (remove.deleted() != null || add.deleted() != null)
              && f.kind() != FileAction.Kind.CDF;
      if (!paired) {
        out.add(f);
        continue;
      }
      if (f.kind() == FileAction.Kind.ADD) {
        continue; // the pair was resolved where its first action stood
      }
      if (add.deleted() != null) {
        // deleted now: live before (not in the old vector), deleted by the new one
        out.add(
            remove.selecting(
                FileAction.Kind.REMOVE,
                remove.deleted(),
                remove.deletedId(),
                add.deleted(),
                add.deletedId()));
      }
      if (remove.deleted() != null) {
        // live again: deleted before, not deleted by the new vector
        out.add(
            add.selecting(
                FileAction.Kind.ADD,
                add.deleted(),
                add.deletedId(),
                remove.deleted(),
                remove.deletedId()));
      }
    }
    return out;
  }

  private static String key(PlannedFile f) {
    return f.version() + "/" + f.id();
  }
}
