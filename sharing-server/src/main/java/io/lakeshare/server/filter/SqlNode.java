package io.lakeshare.server.filter;

/** Syntax tree of one SQL {@code predicateHints} entry, before typing. */
sealed interface SqlNode {

  record Column(String name) implements SqlNode {}

  /** A literal; {@code text} is unescaped, and {@code null} for {@link LiteralKind#NULL}. */
  record Literal(LiteralKind kind, String text) implements SqlNode {}

  /** {@code CAST(child AS type)}; type is upper case, parameters included: "DECIMAL(10,2)". */
  record Cast(SqlNode child, String type) implements SqlNode {}

  /** op is one of {@code = < > <= >= <> != <=>}. */
  record Compare(String op, SqlNode left, SqlNode right) implements SqlNode {}

  record IsNull(SqlNode child, boolean negated) implements SqlNode {}

  record Not(SqlNode child) implements SqlNode {}

  record And(SqlNode left, SqlNode right) implements SqlNode {}

  record Or(SqlNode left, SqlNode right) implements SqlNode {}

  /** Literal kinds as Spark's parser types them. */
  enum LiteralKind {
    STRING,
    /** digits only */
    INTEGER,
    /** digits with a point: Spark types it DECIMAL */
    DECIMAL,
    /** with an exponent: Spark types it DOUBLE */
    DOUBLE,
    BOOLEAN,
    NULL,
    /** {@code DATE 'yyyy-MM-dd'} */
    DATE,
    /** {@code TIMESTAMP '...'} */
    TIMESTAMP
  }
}
