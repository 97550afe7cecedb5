package io.lakeshare.protocol.client;

/**
 * Optional request headers of the metadata and query calls: the raw {@code
 * delta-sharing-capabilities} value (see {@link io.lakeshare.protocol.model.Capabilities}) and the
 * {@code fileidhash} scheme. {@code null} leaves a header out.
 */
public record RequestOptions(String capabilities, String fileIdHash) {
  /** No optional header: the server answers in parquet format with its default file ids. */
  public static final RequestOptions NONE = new RequestOptions(null, null);
}
