package io.lakeshare.server.service;

import io.lakeshare.protocol.model.DeletionVector;
import io.lakeshare.protocol.model.DeltaFileAction;
import io.lakeshare.protocol.model.DeltaMetadata;
import io.lakeshare.protocol.model.DeltaProtocol;
import io.lakeshare.protocol.model.FileAction;
import io.lakeshare.protocol.model.MetadataLine;
import io.lakeshare.protocol.model.Protocol;
import io.lakeshare.protocol.model.ProtocolLine;
import io.lakeshare.protocol.model.ResponseAction;
import io.lakeshare.server.catalog.SharedTable;
import io.lakeshare.server.delta.ChangeFile;
import io.lakeshare.server.delta.FileExtras;
import io.lakeshare.server.delta.MetadataInfo;
import io.lakeshare.server.delta.ProtocolInfo;
import io.lakeshare.server.delta.ScanFile;
import io.lakeshare.server.storage.FileAccessException;
import io.lakeshare.server.storage.FileSigner;
import io.lakeshare.server.storage.SignedUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the lines of one answer in its response format: header lines, and file lines with their
 * URLs signed (deletion-vector files too, in the delta format), counting the files and keeping the
 * earliest URL expiry for the EndStreamAction.
 */
final class AnswerLines {
  private static final Logger LOG = LoggerFactory.getLogger(AnswerLines.class);

  /**
   * In-commit timestamps concern writers only, and readers that rebuild a local Delta log from the
   * answer (the official Python client) fail when the table says they are on but the rebuilt log
   * has no commit info: the delta format leaves the feature and its properties out.
   */
  private static final String IN_COMMIT_TIMESTAMP = "inCommitTimestamp";

  private static final Set<String> IN_COMMIT_TIMESTAMP_PROPERTIES =
      Set.of(
          "delta.enableInCommitTimestamps",
          "delta.inCommitTimestampEnablementVersion",
          "delta.inCommitTimestampEnablementTimestamp");

  private final ResponseFormat format;
  private final PartitionAccess access;
  private final SharedTable table;
  private final FileSigner signer;
  private final String idScheme;
  private final Map<String, SignedUrl> signedInCommit = new HashMap<>();
  private long signedCommit = Long.MIN_VALUE;
  private final FileLines lines = new FileLines();
  private long count;
  private long minExpiry = Long.MAX_VALUE;

  /**
   * @param fileIdHash the requested id scheme, or {@code null} for the scheme of the format
   */
  AnswerLines(
      ResponseFormat format,
      SharedTable table,
      FileSigner signer,
      String fileIdHash,
      PartitionAccess access) {
    this.access = access;
    this.format = format;
    this.table = table;
    this.signer = signer;
    this.idScheme =
        fileIdHash != null
            ? fileIdHash
            : format == ResponseFormat.DELTA ? FileIds.DELTA : FileIds.PARQUET;
  }

  ResponseFormat format() {
    return format;
  }

  /** File lines written so far. */
  long count() {
    return count;
  }

  /** The earliest expiry of the URLs written so far, or {@code null} when none was. */
  Long minExpiry() {
    return count == 0 ? null : minExpiry;
  }

  /** The protocol line; {@code version} is set only on historical protocol lines. */
  ProtocolLine protocol(ProtocolInfo p, Long version) {
    if (format == ResponseFormat.PARQUET) {
      return new Protocol(Protocol.CURRENT_READER_VERSION);
    }
    List<String> writerFeatures = null;
    if (p.minWriterVersion() >= 7) {
      writerFeatures = new ArrayList<>();
      for (String f : sorted(p.writerFeatures())) {
        if (!f.equals(IN_COMMIT_TIMESTAMP)) {
          writerFeatures.add(f);
        }
      }
    }
    return new DeltaProtocol(
        p.minReaderVersion(),
        p.minWriterVersion(),
        p.minReaderVersion() >= 3 ? sorted(p.readerFeatures()) : null,
        writerFeatures,
        version);
  }

  /**
   * The metadata line.
   *
   * @param sizeAndCount bytes and file count of the version, or {@code null}; delta format only
   */
  MetadataLine metadata(MetadataInfo m, boolean historyShared, Long version, long[] sizeAndCount) {
    if (format == ResponseFormat.PARQUET) {
      return ParquetMetadata.of(m, historyShared, version);
    }
    Map<String, String> configuration = new LinkedHashMap<>(m.configuration());
    IN_COMMIT_TIMESTAMP_PROPERTIES.forEach(configuration::remove);
    return new DeltaMetadata(
        m.id(),
        m.name(),
        m.description(),
        m.format(),
        m.schemaString(),
        m.partitionColumns(),
        configuration,
        m.createdTime(),
        version,
        sizeAndCount == null ? null : sizeAndCount[0],
        sizeAndCount == null ? null : sizeAndCount[1]);
  }

  /**
   * The last line of defence: the file sources already leave out what the recipient may not read,
   * so a file outside its partitions here is a bug, and the answer fails rather than sign it.
   */
  private void checkAccess(java.util.Map<String, String> partitionValues) {
    if (!access.allows(partitionValues)) {
      throw new IllegalStateException(
          "a file outside the recipient's partitions of "
              + table.fullName()
              + " reached the answer");
    }
  }

  /** A snapshot file; {@code version} and {@code timestamp} are set for time travel. */
  void file(ActionSink sink, ScanFile f, Long version, Long timestamp) {
    checkAccess(f.partitionValues());
    SignedUrl url = sign(f.absolutePath());
    count++;
    FileLines.Parts parts = FileLines.parts(f, format, idScheme);
    if (parts != null) {
      lines.join(parts, f, url.url(), version, timestamp, url.expirationTimestampMillis());
      try {
        sink.writeFileLine(lines.buffer(), lines.length(), f.size());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    String id = FileIds.id(idScheme, f.logPath());
    if (format == ResponseFormat.PARQUET) {
      write(
          sink,
          new FileAction(
              FileAction.Kind.FILE,
              url.url(),
              id,
              f.partitionValues(),
              f.size(),
              f.stats(),
              version,
              timestamp,
              url.expirationTimestampMillis()));
      return;
    }
    FileExtras x = f.extras();
    write(
        sink,
        new DeltaFileAction(
            DeltaFileAction.Kind.ADD,
            id,
            deletionVectorFileId(x),
            version,
            timestamp,
            url.expirationTimestampMillis(),
            url.url(),
            f.partitionValues(),
            f.size(),
            f.modificationTime(),
            x.dataChange(),
            f.stats(),
            x.tags(),
            signedDeletionVector(x),
            x.baseRowId(),
            x.defaultRowCommitVersion(),
            null,
            null));
  }

  /**
   * A file of a change answer. Within one commit a file is signed once, so that the {@code remove}
   * and {@code add} of a file whose deletion vector changed carry the same URL: readers pair them
   * by path.
   */
  void change(ActionSink sink, ChangeFile f, long version, long timestamp) {
    checkAccess(f.partitionValues());
    if (version != signedCommit) {
      signedInCommit.clear();
      signedCommit = version;
    }
    SignedUrl url = signedInCommit.computeIfAbsent(f.absolutePath(), this::sign);
    count++;
    String id = FileIds.id(idScheme, f.logPath());
    if (format == ResponseFormat.PARQUET) {
      FileAction.Kind kind =
          switch (f.kind()) {
            case ADD -> FileAction.Kind.ADD;
            case REMOVE -> FileAction.Kind.REMOVE;
            case CDC -> FileAction.Kind.CDF;
          };
      write(
          sink,
          new FileAction(
              kind,
              url.url(),
              id,
              f.partitionValues(),
              f.size(),
              kind == FileAction.Kind.ADD ? f.stats() : null,
              version,
              timestamp,
              url.expirationTimestampMillis()));
      return;
    }
    FileExtras x = f.extras();
    DeltaFileAction.Kind kind =
        switch (f.kind()) {
          case ADD -> DeltaFileAction.Kind.ADD;
          case REMOVE -> DeltaFileAction.Kind.REMOVE;
          case CDC -> DeltaFileAction.Kind.CDC;
        };
    write(
        sink,
        new DeltaFileAction(
            kind,
            id,
            deletionVectorFileId(x),
            version,
            timestamp,
            url.expirationTimestampMillis(),
            url.url(),
            f.partitionValues(),
            f.size(),
            kind == DeltaFileAction.Kind.ADD
                ? (f.modificationTime() == null ? Long.valueOf(timestamp) : f.modificationTime())
                : null,
            f.dataChange(),
            kind == DeltaFileAction.Kind.CDC ? null : f.stats(),
            x.tags(),
            signedDeletionVector(x),
            x.baseRowId(),
            x.defaultRowCommitVersion(),
            x.deletionTimestamp(),
            x.extendedFileMetadata()));
  }

  /** A stable id of the vector's file: the file id scheme over where it lives, or null. */
  private String deletionVectorFileId(FileExtras x) {
    DeletionVector dv = x.deletionVector();
    if (dv == null || dv.isInline()) {
      return null;
    }
    return FileIds.id(idScheme, dv.storageType() + dv.pathOrInlineDv());
  }

  /** On-disk vectors point at a signed URL of their file; inline ones pass through. */
  private DeletionVector signedDeletionVector(FileExtras x) {
    DeletionVector dv = x.deletionVector();
    if (dv == null || dv.isInline() || x.deletionVectorPath() == null) {
      return dv;
    }
    SignedUrl url = sign(x.deletionVectorPath());
    return dv.atUrl(url.url());
  }

  private SignedUrl sign(String absolutePath) {
    SignedUrl url;
    try {
      url = signer.sign(absolutePath);
    } catch (FileAccessException e) {
      // The table's log names a file the server will not share (outside the table's root, in
      // another bucket, ...): the answer is refused as a whole, and the message names the table
      // but none of the server's paths.
      LOG.warn("Refusing to sign a file of table {}: {}", table.fullName(), e.getMessage());
      throw ServerErrors.fileOutsideTable(table.fullName());
    }
    minExpiry = Math.min(minExpiry, url.expirationTimestampMillis());
    return url;
  }

  private static List<String> sorted(Set<String> features) {
    List<String> out = new ArrayList<>(features);
    out.sort(null);
    return out;
  }

  private static void write(ActionSink sink, ResponseAction a) {
    try {
      sink.write(a);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
