package io.lakeshare.server.config;

/**
 * Lakeshare's operations settings: the audit log, the metrics and health endpoints and the
 * per-recipient rate limit.
 *
 * @param auditFile the audit log file (JSON lines), or null for none
 * @param auditMaxFileSizeMb the size at which the audit file rolls over (it also rolls daily)
 * @param auditMaxFiles how many rolled audit files are kept
 * @param metricsPath where the Prometheus exposition is served, or null for no metrics
 * @param metricsPort a separate port (bound on the server's host) for metrics and detailed health,
 *     or null for the server's own port
 * @param rateLimitPerSecond requests per second each recipient may make, 0 for no limit
 * @param rateLimitBurst requests a recipient may make at once above its rate
 * @param shutdownGraceSeconds how long a stopping server lets requests in flight finish
 * @param warmUpFileLists whether the start-up warm-up also fills each table's latest file list
 * @param warmUpReadyWaitSeconds how long at most readiness says the server is warming while the
 *     start-up warm-up runs, 0 for not at all
 */
public record OpsConfig(
    String auditFile,
    int auditMaxFileSizeMb,
    int auditMaxFiles,
    String metricsPath,
    Integer metricsPort,
    double rateLimitPerSecond,
    int rateLimitBurst,
    int shutdownGraceSeconds,
    boolean warmUpFileLists,
    int warmUpReadyWaitSeconds) {
  public static final OpsConfig NONE =
      new OpsConfig(null, 100, 30, null, null, 0, 0, 30, true, 120);
}
