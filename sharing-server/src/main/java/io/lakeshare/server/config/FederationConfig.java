package io.lakeshare.server.config;

/** A recipient's identity at a token issuer: the issuer's name and the value of its claim. */
public record FederationConfig(String issuer, String subject) {}
