package io.lakeshare.spark;

import io.lakeshare.protocol.model.Metadata;
import java.util.List;

/**
 * The answer of a snapshot query, all pages read.
 *
 * @param version the table version the files belong to
 * @param refreshToken token to fetch the same files again later, or {@code null}
 */
record FileListing(long version, Metadata metadata, List<PlannedFile> files, String refreshToken) {}
