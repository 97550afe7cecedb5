package io.lakeshare.server.storage;

/**
 * Turns the location of a data file, as Delta Kernel reports it, into a URL a recipient can read
 * without further authentication. One implementation per storage scheme.
 */
public interface FileSigner {

  /**
   * Signs one data file.
   *
   * @param fileUri the absolute location of the file, in the form Kernel's {@code
   *     FileStatus.getPath()} returns it (Hadoop path string, e.g. {@code
   *     file:/t/p=1/part-0.parquet} or {@code s3a://bucket/key}); see each implementation for the
   *     forms it accepts
   * @return the URL and the moment it stops working
   * @throws FileAccessException if the file may not be shared through this signer
   */
  SignedUrl sign(String fileUri);
}
