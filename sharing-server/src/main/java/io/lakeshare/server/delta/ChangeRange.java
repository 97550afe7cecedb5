package io.lakeshare.server.delta;

import io.delta.kernel.CommitActions;
import io.delta.kernel.CommitRange;
import io.delta.kernel.CommitRangeBuilder.CommitBoundary;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.internal.DeltaLogActionUtils.DeltaAction;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Set;

/**
 * The commits of a version range, handed out one at a time through Kernel's commit-range API, so
 * that a range of any length needs the memory of one commit (see {@link CommitChanges}) at most.
 */
public final class ChangeRange {
  private static final Set<DeltaAction> ACTIONS =
      EnumSet.of(
          DeltaAction.ADD,
          DeltaAction.REMOVE,
          DeltaAction.CDC,
          DeltaAction.METADATA,
          DeltaAction.PROTOCOL,
          DeltaAction.COMMITINFO);

  private final Engine engine;
  private final String location;
  private final CommitRange range;
  private final Snapshot start;

  private ChangeRange(Engine engine, String location, CommitRange range, Snapshot start) {
    this.engine = engine;
    this.location = location;
    this.range = range;
    this.start = start;
  }

  static ChangeRange open(Engine engine, String location, long from, long to, Snapshot start) {
    try {
      CommitRange range =
          TableManager.loadCommitRange(location, CommitBoundary.atVersion(from))
              .withEndBoundary(CommitBoundary.atVersion(to))
              .build(engine);
      return new ChangeRange(
          engine, location, range, start != null && start.getVersion() == from ? start : null);
    } catch (KernelException e) {
      throw new DeltaTableException(
          DeltaTableException.Kind.HISTORY_MISSING,
          "The history of versions "
              + from
              + " to "
              + to
              + " is not available: "
              + DeltaErrorsMapper.scrub(e.getMessage(), location),
          e);
    } catch (RuntimeException e) {
      throw DeltaTables.translate(e, location);
    }
  }

  /** What a caller does with each commit; returning false stops the walk. */
  public interface CommitVisitor {
    boolean visit(CommitChanges commit) throws IOException;
  }

  /** Visits the commits in version order until the visitor returns false. */
  public void forEach(CommitVisitor visitor) throws IOException {
    try (CloseableIterator<CommitActions> commits =
        start != null
            ? range.getCommitActions(engine, start, ACTIONS)
            : range.getCommitActions(engine, ACTIONS)) {
      while (commits.hasNext()) {
        CommitActions actions = commits.next();
        try (CommitChanges commit = new CommitChanges(actions, engine, location)) {
          if (!visitor.visit(commit)) {
            return;
          }
        }
      }
    } catch (KernelException e) {
      throw new DeltaTableException(
          DeltaTableException.Kind.UNSUPPORTED,
          DeltaErrorsMapper.scrub(e.getMessage(), location),
          e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (RuntimeException e) {
      throw DeltaTables.translate(e, location);
    }
  }
}
