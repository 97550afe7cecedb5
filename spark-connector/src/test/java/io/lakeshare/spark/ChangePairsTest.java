package io.lakeshare.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.protocol.model.DeletionVector;
import io.lakeshare.protocol.model.FileAction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangePairsTest {
  private static final DeletionVector OLD = new DeletionVector("p", "u-old", 1, 10, 1, null);
  private static final DeletionVector NEW = new DeletionVector("p", "u-new", 1, 12, 2, null);

  private static PlannedFile file(
      String id, FileAction.Kind kind, long version, DeletionVector dv, String dvId) {
    return new PlannedFile(
        id, "url-" + id, 0, 100, Map.of(), 5, kind, version, 1000, dv, dvId, null, null);
  }

  @Test
  void aVectorThatGrewBecomesTheReadOfTheNewlyDeletedRows() {
    PlannedFile remove = file("f", FileAction.Kind.REMOVE, 3, OLD, "dv-old");
    PlannedFile add = file("f", FileAction.Kind.ADD, 3, NEW, "dv-new");
    List<PlannedFile> out = ChangePairs.resolve(List.of(remove, add));
    assertThat(out).hasSize(2);
    PlannedFile deleted = out.get(0);
    assertThat(deleted.kind()).isEqualTo(FileAction.Kind.REMOVE);
    assertThat(deleted.deleted()).isEqualTo(OLD);
    assertThat(deleted.keepOnly()).isEqualTo(NEW);
    assertThat(deleted.keepOnlyId()).isEqualTo("dv-new");
    // rows the new vector no longer deletes come back as inserts (empty when it only grew)
    PlannedFile restored = out.get(1);
    assertThat(restored.kind()).isEqualTo(FileAction.Kind.ADD);
    assertThat(restored.deleted()).isEqualTo(NEW);
    assertThat(restored.keepOnly()).isEqualTo(OLD);
  }

  @Test
  void aFirstVectorGivesOnlyDeletes() {
    PlannedFile remove = file("f", FileAction.Kind.REMOVE, 2, null, null);
    PlannedFile add = file("f", FileAction.Kind.ADD, 2, NEW, "dv-new");
    List<PlannedFile> out = ChangePairs.resolve(List.of(add, remove));
    assertThat(out).hasSize(1);
    assertThat(out.get(0).kind()).isEqualTo(FileAction.Kind.REMOVE);
    assertThat(out.get(0).deleted()).isNull();
    assertThat(out.get(0).keepOnly()).isEqualTo(NEW);
  }

  @Test
  void unpairedFilesAndOtherVersionsStayAsTheyAre() {
    PlannedFile remove = file("f", FileAction.Kind.REMOVE, 2, OLD, "dv-old");
    PlannedFile addLater = file("f", FileAction.Kind.ADD, 3, NEW, "dv-new");
    PlannedFile other = file("g", FileAction.Kind.ADD, 2, null, null);
    PlannedFile cdf = file("h", FileAction.Kind.CDF, 2, null, null);
    List<PlannedFile> in = List.of(remove, addLater, other, cdf);
    assertThat(ChangePairs.resolve(in)).isEqualTo(in);
    // a pair without vectors (a rewrite of the same path) is left alone
    PlannedFile r = file("k", FileAction.Kind.REMOVE, 4, null, null);
    PlannedFile a = file("k", FileAction.Kind.ADD, 4, null, null);
    assertThat(ChangePairs.resolve(List.of(r, a))).containsExactly(r, a);
  }
}
