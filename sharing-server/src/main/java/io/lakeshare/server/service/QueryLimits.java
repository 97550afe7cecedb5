package io.lakeshare.server.service;

/** Server-wide limits of query answers, from the configuration. */
record QueryLimits(int pageSizeLimit, long pageTokenTtlMs, long refreshTokenTtlMs) {}
