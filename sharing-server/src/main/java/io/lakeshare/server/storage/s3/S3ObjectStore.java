package io.lakeshare.server.storage.s3;

import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.ObjectInfo;
import io.lakeshare.server.storage.ObjectStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Reads Delta logs from one S3 endpoint with one credential. */
final class S3ObjectStore implements ObjectStore {
  private final S3Client client;
  private final S3Errors errors;

  /** Folders seen holding objects, so an empty listing there is "nothing new", not "no table". */
  private final Set<String> knownFolders = ConcurrentHashMap.newKeySet();

  S3ObjectStore(S3Client client, S3Settings settings) {
    this.client = client;
    this.errors = new S3Errors(settings);
  }

  @Override
  public List<ObjectInfo> listFrom(String location) throws IOException {
    BlobPath p = BlobPath.parse(location);
    String prefix = p.folderPrefix();
    ListObjectsV2Request.Builder req =
        ListObjectsV2Request.builder().bucket(p.authority()).prefix(prefix).delimiter("/");
    if (p.key().length() > prefix.length()) {
      // startAfter is exclusive; dropping the last character keeps the key itself in the listing.
      req.startAfter(p.key().substring(0, p.key().length() - 1));
    }
    List<ObjectInfo> out = new ArrayList<>();
    try {
      for (ListObjectsV2Response page : client.listObjectsV2Paginator(req.build())) {
        for (S3Object o : page.contents()) {
          if (o.key().compareTo(p.key()) >= 0) {
            out.add(
                new ObjectInfo(
                    p.withKey(o.key()).uri(), o.size(), o.lastModified().toEpochMilli()));
          }
        }
      }
    } catch (SdkException e) {
      throw errors.translate(e, p, "list");
    }
    String folder = p.withKey(prefix).uri();
    if (!out.isEmpty()) {
      knownFolders.add(folder);
    } else if (!knownFolders.contains(folder) && isEmptyFolder(p.authority(), prefix)) {
      throw new FileNotFoundException("No objects under " + folder);
    }
    return out;
  }

  @Override
  public List<ObjectInfo> listAll(String folder) throws IOException {
    BlobPath p = BlobPath.parse(folder);
    List<ObjectInfo> out = new ArrayList<>();
    try {
      for (ListObjectsV2Response page :
          client.listObjectsV2Paginator(b -> b.bucket(p.authority()).prefix(p.key()))) {
        for (S3Object o : page.contents()) {
          out.add(
              new ObjectInfo(p.withKey(o.key()).uri(), o.size(), o.lastModified().toEpochMilli()));
        }
      }
    } catch (SdkException e) {
      throw errors.translate(e, p, "list");
    }
    return out;
  }

  private boolean isEmptyFolder(String bucket, String prefix) throws IOException {
    try {
      boolean empty =
          client.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(1)).keyCount() == 0;
      if (!empty) {
        knownFolders.add(new BlobPath("s3", bucket, prefix).uri());
      }
      return empty;
    } catch (SdkException e) {
      throw errors.translate(e, new BlobPath("s3", bucket, prefix), "list");
    }
  }

  @Override
  public ObjectInfo stat(String location) throws IOException {
    BlobPath p = BlobPath.parse(location);
    try {
      HeadObjectResponse h = client.headObject(b -> b.bucket(p.authority()).key(p.key()));
      return new ObjectInfo(location, h.contentLength(), h.lastModified().toEpochMilli());
    } catch (SdkException e) {
      throw errors.translate(e, p, "read");
    }
  }

  @Override
  public InputStream open(String location, long offset) throws IOException {
    BlobPath p = BlobPath.parse(location);
    try {
      return client.getObject(
          b -> {
            b.bucket(p.authority()).key(p.key());
            if (offset > 0) {
              b.range("bytes=" + offset + "-");
            }
          });
    } catch (SdkException e) {
      throw errors.translate(e, p, "read");
    }
  }
}
