package io.lakeshare.server.storage.gcs;

import com.google.auth.oauth2.CredentialAccessBoundary;
import com.google.auth.oauth2.CredentialAccessBoundary.AccessBoundaryRule;

/**
 * The Credential Access Boundary of a downscoped token for one table directory: the permissions of
 * {@code roles/storage.objectViewer} (read and list objects) on one bucket, only for objects whose
 * name starts with the directory's prefix and only for listings of that prefix. The token can do no
 * more than its source credentials either. A prefix with a quote or a backslash, which the
 * condition's string literal would have to escape, is refused rather than guessed at.
 */
final class GcsAccessBoundary {
  static final String VIEWER = "inRole:roles/storage.objectViewer";

  private GcsAccessBoundary() {}

  /**
   * @param prefix the directory's object-name prefix without leading or trailing {@code /}; empty
   *     for the whole bucket
   * @throws IllegalArgumentException when the prefix cannot be written into the condition
   */
  static CredentialAccessBoundary readOnly(String bucket, String prefix) {
    if (prefix.indexOf('\'') >= 0 || prefix.indexOf('\\') >= 0 || bucket.indexOf('\'') >= 0) {
      throw new IllegalArgumentException(
          "the location has a quote or a backslash, which an access boundary condition cannot"
              + " hold as written");
    }
    AccessBoundaryRule.Builder rule =
        AccessBoundaryRule.newBuilder()
            .setAvailableResource("//storage.googleapis.com/projects/_/buckets/" + bucket)
            .addAvailablePermission(VIEWER);
    if (!prefix.isEmpty()) {
      String dir = prefix + "/";
      rule.setAvailabilityCondition(
          AccessBoundaryRule.AvailabilityCondition.newBuilder()
              .setTitle("Lakeshare table directory")
              .setExpression(
                  "resource.name.startsWith('projects/_/buckets/"
                      + bucket
                      + "/objects/"
                      + dir
                      + "') || api.getAttribute('storage.googleapis.com/objectListPrefix', '')"
                      + ".startsWith('"
                      + dir
                      + "')")
              .build());
    }
    return CredentialAccessBoundary.newBuilder().addRule(rule.build()).build();
  }
}
