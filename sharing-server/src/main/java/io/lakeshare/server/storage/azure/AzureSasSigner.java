package io.lakeshare.server.storage.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.UserDelegationKey;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.sas.SasProtocol;
import io.lakeshare.server.storage.BlobPath;
import io.lakeshare.server.storage.FileAccessException;
import io.lakeshare.server.storage.FileSigner;
import io.lakeshare.server.storage.PercentEncoding;
import io.lakeshare.server.storage.SignedUrl;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Signs the data files of one table with a read-only SAS for exactly one blob and the URL's
 * lifetime: a service SAS signed with the account key, or a user-delegation SAS when the storage
 * entry holds a service principal. With a SAS-token credential the configured token is appended as
 * it is (its scope cannot be narrowed without a key), which {@link AzureStorage} warns about.
 */
final class AzureSasSigner implements FileSigner {
  private final BlobContainerClient container;
  private final String containerName;
  private final String rootKey;
  private final Duration validity;
  private final Clock clock;
  private final AzureStorage.Mode mode;
  private final AzureStorage storage;
  private final String fixedSas;
  private final String containerUrl;

  AzureSasSigner(
      AzureStorage storage,
      BlobServiceClient service,
      BlobPath tableRoot,
      Duration validity,
      Clock clock) {
    this.storage = storage;
    this.containerName = AzureObjectStore.container(tableRoot);
    this.container = service.getBlobContainerClient(containerName);
    this.rootKey = tableRoot.key();
    this.validity = validity;
    this.clock = clock;
    this.mode = storage.mode();
    this.fixedSas = storage.fixedSas();
    this.containerUrl = container.getBlobContainerUrl();
  }

  @Override
  public SignedUrl sign(String fileUri) {
    BlobPath p = BlobPath.parse(fileUri);
    if (!AzureStorage.isAzureScheme(p.scheme())
        || !AzureObjectStore.container(p).equals(containerName)
        || !BlobPath.isSafelyInside(rootKey, p.key())) {
      throw new FileAccessException(
          "Refusing to sign '" + BlobPath.tail(fileUri) + "': it lies outside the shared table");
    }
    var blob = container.getBlobClient(p.key());
    long now = clock.millis();
    long expiresAt = Math.floorDiv(now, 1000L) * 1000L + validity.toMillis();
    OffsetDateTime expiry =
        OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(expiresAt), ZoneOffset.UTC);
    String sas;
    switch (mode) {
      case SAS_TOKEN -> {
        sas = fixedSas;
        expiresAt = Math.min(expiresAt, storage.fixedSasExpiry());
      }
      case SHARED_KEY -> sas = blob.generateSas(values(expiry));
      case SERVICE_PRINCIPAL -> {
        UserDelegationKey key = storage.userDelegationKey(expiry);
        sas = blob.generateUserDelegationSas(values(expiry), key);
      }
      default -> throw new IllegalStateException(mode.toString());
    }
    // The SDK's blob URL encodes '/' as %2F; plain slashes give the conventional URL.
    return new SignedUrl(
        containerUrl + "/" + PercentEncoding.encodeKeepingSlashes(p.key()) + "?" + sas, expiresAt);
  }

  private BlobServiceSasSignatureValues values(OffsetDateTime expiry) {
    return new BlobServiceSasSignatureValues(
            expiry, new BlobSasPermission().setReadPermission(true))
        .setProtocol(storage.https() ? SasProtocol.HTTPS_ONLY : SasProtocol.HTTPS_HTTP);
  }
}
