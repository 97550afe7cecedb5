package io.lakeshare.spark;

import io.lakeshare.protocol.model.MetadataLine;
import java.util.List;

/**
 * An answer of the server, all pages read.
 *
 * @param version the {@code Delta-Table-Version} header: the snapshot's version, or the start of a
 *     change range
 * @param metadata the table metadata line at that version
 * @param laterMetadata metadata lines of later versions inside a change range, in order
 * @param refreshToken token to fetch the same files again later, or {@code null}
 */
record FileListing(
    long version,
    MetadataLine metadata,
    List<MetadataLine> laterMetadata,
    List<PlannedFile> files,
    String refreshToken) {}
