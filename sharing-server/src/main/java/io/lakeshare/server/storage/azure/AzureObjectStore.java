package io.lakeshare.server.storage.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.ObjectInfo;
import io.lakeshare.server.storage.ObjectStore;
import io.lakeshare.server.storage.StorageAccessException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Delta logs from one Azure storage account through the Blob API, which ADLS Gen2 accounts
 * also serve, so {@code abfss://}, {@code abfs://}, {@code wasbs://} and {@code wasb://} locations
 * all work.
 */
final class AzureObjectStore implements ObjectStore {
  private final BlobServiceClient service;
  private final String label;

  AzureObjectStore(BlobServiceClient service, String label) {
    this.service = service;
    this.label = label;
  }

  static String container(BlobPath p) {
    int at = p.authority().indexOf('@');
    return at < 0 ? p.authority() : p.authority().substring(0, at);
  }

  private BlobContainerClient containerOf(BlobPath p) {
    return service.getBlobContainerClient(container(p));
  }

  @Override
  public List<ObjectInfo> listFrom(String location) throws IOException {
    BlobPath p = BlobPath.parse(location);
    String prefix = p.folderPrefix();
    List<ObjectInfo> out = new ArrayList<>();
    boolean any = false;
    try {
      // The Blob API has no "start at" for listings: list the folder and skip earlier names.
      for (BlobItem item :
          containerOf(p)
              .listBlobsByHierarchy("/", new ListBlobsOptions().setPrefix(prefix), null)) {
        any = true;
        if (Boolean.TRUE.equals(item.isPrefix()) || item.getName().compareTo(p.key()) < 0) {
          continue;
        }
        out.add(toInfo(p, item));
      }
    } catch (BlobStorageException e) {
      throw translate(e, p, "list");
    }
    if (!any) {
      throw new FileNotFoundException("No blobs under " + p.withKey(prefix).uri());
    }
    out.sort((a, b) -> a.location().compareTo(b.location()));
    return out;
  }

  @Override
  public List<ObjectInfo> listAll(String folder) throws IOException {
    BlobPath p = BlobPath.parse(folder);
    List<ObjectInfo> out = new ArrayList<>();
    try {
      for (BlobItem item :
          containerOf(p).listBlobs(new ListBlobsOptions().setPrefix(p.key()), null)) {
        if (Boolean.TRUE.equals(item.isPrefix())) {
          continue;
        }
        out.add(toInfo(p, item));
      }
    } catch (BlobStorageException e) {
      throw translate(e, p, "list");
    }
    return out;
  }

  /** A listed blob of the container {@code p} names. */
  private static ObjectInfo toInfo(BlobPath p, BlobItem item) {
    return new ObjectInfo(
        p.withKey(item.getName()).uri(),
        item.getProperties().getContentLength(),
        item.getProperties().getLastModified().toInstant().toEpochMilli());
  }

  @Override
  public ObjectInfo stat(String location) throws IOException {
    BlobPath p = BlobPath.parse(location);
    try {
      BlobProperties props = containerOf(p).getBlobClient(p.key()).getProperties();
      return new ObjectInfo(
          location, props.getBlobSize(), props.getLastModified().toInstant().toEpochMilli());
    } catch (BlobStorageException e) {
      throw translate(e, p, "read");
    }
  }

  @Override
  public InputStream open(String location, long offset) throws IOException {
    BlobPath p = BlobPath.parse(location);
    try {
      return containerOf(p)
          .getBlobClient(p.key())
          .openInputStream(new BlobInputStreamOptions().setRange(new BlobRange(offset)));
    } catch (BlobStorageException e) {
      throw translate(e, p, "read");
    }
  }

  private IOException translate(BlobStorageException e, BlobPath p, String action) {
    String code = e.getErrorCode() == null ? "" : e.getErrorCode().toString();
    String where = p.uri();
    if (code.equals("ContainerNotFound")) {
      return new StorageAccessException(
          "Container '"
              + container(p)
              + "' does not exist in the account of "
              + label
              + ": check the table location or the storage entry's 'accountName'/'endpoint'",
          e);
    }
    if (e.getStatusCode() == 404) {
      FileNotFoundException f = new FileNotFoundException("No blob " + where);
      f.initCause(e);
      return f;
    }
    if (code.equals("AuthenticationFailed")) {
      return new StorageAccessException(
          "The account rejected the credential of "
              + label
              + ": fix 'accountKey', 'sasToken' or the service principal, and the server's clock",
          e);
    }
    if (e.getStatusCode() == 403) {
      return new StorageAccessException(
          "Access denied to "
              + action
              + " "
              + where
              + " with "
              + label
              + ": grant read and list on the container (e.g. the 'Storage Blob Data Reader' role"
              + " or a SAS with r and l permissions); error "
              + code,
          e);
    }
    return new StorageAccessException(
        "Azure answered " + e.getStatusCode() + " (" + code + ") to " + action + " " + where, e);
  }
}
