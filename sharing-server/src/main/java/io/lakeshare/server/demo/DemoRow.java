package io.lakeshare.server.demo;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One row of the demo {@code sales} table; {@code product} may be null. */
public record DemoRow(
    long id, String product, BigDecimal amount, LocalDate soldAt, String region) {}
