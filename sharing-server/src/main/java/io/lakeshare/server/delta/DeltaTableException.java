package io.lakeshare.server.delta;

/** A failure to read a Delta table, classified so that the service can map it to the protocol. */
public final class DeltaTableException extends RuntimeException {

  /** What went wrong. */
  public enum Kind {
    /** No Delta log at the location. */
    TABLE_NOT_FOUND,
    /** The requested version does not exist (beyond latest or cleaned up). */
    VERSION_NOT_FOUND,
    /** A timestamp before the first available commit. */
    TIMESTAMP_BEFORE_FIRST,
    /** A timestamp after the latest commit. */
    TIMESTAMP_AFTER_LATEST,
    /** Commit files of a requested version range are gone (e.g. removed by log cleanup). */
    HISTORY_MISSING,
    /** The log holds something this server cannot read (e.g. a newer protocol). */
    UNSUPPORTED,
    /** Log or data files are missing or unreadable. */
    STORAGE
  }

  private final Kind kind;

  public DeltaTableException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
