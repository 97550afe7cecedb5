package io.lakeshare.server.config;

/**
 * The {@code ssl} section: serve HTTPS, with a self-signed certificate or the PEM files named here.
 * File names are kept as written; {@code certificatePasswordFile} may be null.
 */
public record SslConfig(
    boolean selfSigned,
    String certificateFile,
    String certificateKeyFile,
    String certificatePasswordFile) {}
