package io.lakeshare.server.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.protocol.predicate.ValueType;
import io.lakeshare.server.filter.SparkOracle.Type;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One random trial of the SQL-hint soundness test: random {@code predicateHints} entries over the
 * partition columns of a {@link RandomTable}, each knowing its own row-level truth.
 */
final class SqlTrial {
  private final RandomTable table;
  private final Random rnd;
  private final ZoneId session;

  SqlTrial(Random rnd) {
    this.table = new RandomTable(rnd);
    this.rnd = rnd;
    this.session = table.session;
  }

  /** Returns {files without a matching row, of which dropped}. */
  int[] checkSql(int seed) {
    List<String> entries = new ArrayList<>();
    List<Sql> trees = new ArrayList<>();
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      if (rnd.nextInt(10) == 0) {
        entries.add(rnd.nextBoolean() ? "p_int === 1" : "d_int = 1 AND p_int = 2");
      } else {
        Sql tree = sqlPredicate(3);
        trees.add(tree);
        entries.add(tree.render());
      }
    }
    FileFilter filter = FileFilter.create(null, entries, TestTable.ALL_ON, RandomTable.COLUMNS);
    int nonMatching = 0;
    int dropped = 0;
    for (int f = 0; f < 8; f++) {
      RandomTable.DataFile file = table.dataFile();
      boolean anyRowMatches = false;
      for (Map<String, Object> row : file.rows()) {
        int all = SparkOracle.T;
        for (Sql t : trees) {
          all = SparkOracle.and(all, t.eval(row, session));
        }
        anyRowMatches |= (all & SparkOracle.T) != 0;
      }
      boolean kept = filter.mightMatch(file.partitionValues(), file.stats());
      if (anyRowMatches) {
        assertThat(kept)
            .as(
                "seed %d session %s\nentries %s\npartitions %s\nrows %s",
                seed, session, entries, file.partitionValues(), file.rows())
            .isTrue();
      } else {
        nonMatching++;
        dropped += kept ? 0 : 1;
      }
    }
    return new int[] {nonMatching, dropped};
  }

  // ---------------------------------------------------------------- SQL predicates

  /** A generated SQL predicate over partition columns that knows its own row-level truth. */
  interface Sql {
    String render();

    int eval(Map<String, Object> row, ZoneId session);
  }

  private Sql sqlPredicate(int depth) {
    if (depth == 0 || rnd.nextInt(10) < 4) {
      return sqlLeaf();
    }
    Sql a = sqlPredicate(depth - 1);
    Sql b = sqlPredicate(depth - 1);
    return switch (rnd.nextInt(3)) {
      case 0 ->
          new Sql() {
            public String render() {
              return (rnd.nextBoolean() ? "NOT (" : "not(") + a.render() + ")";
            }

            public int eval(Map<String, Object> row, ZoneId z) {
              return SparkOracle.not(a.eval(row, z));
            }
          };
      case 1 ->
          new Sql() {
            public String render() {
              return "(" + a.render() + ") AND (" + b.render() + ")";
            }

            public int eval(Map<String, Object> row, ZoneId z) {
              return SparkOracle.and(a.eval(row, z), b.eval(row, z));
            }
          };
      default ->
          new Sql() {
            public String render() {
              return "(" + a.render() + ") or (" + b.render() + ")";
            }

            public int eval(Map<String, Object> row, ZoneId z) {
              return SparkOracle.or(a.eval(row, z), b.eval(row, z));
            }
          };
    };
  }

  private Sql sqlLeaf() {
    List<RandomTable.Col> parts =
        RandomTable.COLS.stream().filter(RandomTable.Col::partition).toList();
    RandomTable.Col c = parts.get(rnd.nextInt(parts.size()));
    String column = rnd.nextBoolean() ? c.name() : "`" + c.name() + "`";
    int r = rnd.nextInt(10);
    if (r == 0) {
      boolean negated = rnd.nextBoolean();
      String text = column + (negated ? " IS NOT NULL" : " IS NULL");
      return fixed(
          text, (row, z) -> (row.get(c.name()) == null) != negated ? SparkOracle.T : SparkOracle.F);
    }
    if (r == 1 && c.type() == Type.BOOLEAN) {
      return fixed(
          column,
          (row, z) -> {
            Object v = row.get(c.name());
            return v == null ? SparkOracle.N : (Boolean) v ? SparkOracle.T : SparkOracle.F;
          });
    }
    String op = List.of("=", "<", "<=", ">", ">=", "<>", "!=", "<=>").get(rnd.nextInt(8));
    boolean castToString =
        rnd.nextInt(6) == 0
            && c.type() != Type.TIMESTAMP
            && c.type() != Type.DOUBLE
            && c.type() != Type.DECIMAL;
    ValueType domain = castToString ? ValueType.STRING : natural(c.type());
    if (domain == null) {
      // decimal: only nullness makes sense without knowing Spark's decimal typing
      return fixed(
          column + " IS NULL",
          (row, z) -> row.get(c.name()) == null ? SparkOracle.T : SparkOracle.F);
    }
    Object literalValue =
        rnd.nextInt(12) == 0
            ? null
            : SparkOracle.cast(table.value(c.type(), true), c.type(), domain, session);
    String literal = literalValue == null ? "NULL" : sqlLiteral(literalValue, domain, c.type());
    String lhs = castToString ? "CAST(" + column + " AS STRING)" : column;
    boolean flip = rnd.nextInt(4) == 0;
    String text = flip ? literal + " " + mirror(op) + " " + lhs : lhs + " " + op + " " + literal;
    Object lit = literalValue;
    return fixed(
        text,
        (row, z) -> {
          Object v = SparkOracle.cast(row.get(c.name()), c.type(), domain, z);
          return switch (op) {
            case "<>", "!=" -> SparkOracle.not(SparkOracle.compare("=", v, lit));
            case "<=>" ->
                v == null || lit == null
                    ? (v == null && lit == null ? SparkOracle.T : SparkOracle.F)
                    : SparkOracle.compare("=", v, lit);
            default -> SparkOracle.compare(op, v, lit);
          };
        });
  }

  private static String mirror(String op) {
    return switch (op) {
      case "<" -> ">";
      case ">" -> "<";
      case "<=" -> ">=";
      case ">=" -> "<=";
      default -> op;
    };
  }

  private static ValueType natural(Type t) {
    return switch (t) {
      case STRING -> ValueType.STRING;
      case INT, LONG -> ValueType.LONG;
      case DOUBLE -> ValueType.DOUBLE;
      case FLOAT -> ValueType.FLOAT;
      case DATE -> ValueType.DATE;
      case TIMESTAMP -> ValueType.TIMESTAMP;
      case BOOLEAN -> ValueType.BOOL;
      case DECIMAL -> null;
    };
  }

  /** Renders a literal so that Spark would type it as the column's type. */
  private String sqlLiteral(Object v, ValueType domain, Type columnType) {
    return switch (domain) {
      case STRING -> quote((String) v);
      case LONG -> v.toString();
      case BOOL -> v.toString().toUpperCase(java.util.Locale.ROOT);
      case DATE ->
          switch (rnd.nextInt(3)) {
            case 0 -> "DATE '" + v + "'";
            case 1 -> "CAST('" + v + "' AS DATE)";
            default -> "'" + v + "'";
          };
      case TIMESTAMP -> {
        Instant i = SparkOracle.instant((Long) v);
        yield rnd.nextBoolean()
            ? "TIMESTAMP '" + i + "'"
            : "TIMESTAMP '"
                + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
                    .format(LocalDateTime.ofInstant(i, session))
                + "'";
      }
      case DOUBLE -> {
        double d = (Double) v;
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          yield "CAST('" + d + "' AS DOUBLE)";
        }
        String s = Double.toString(d);
        yield s.contains("E") ? s : s + "E0";
      }
      default -> throw new IllegalStateException(domain.toString());
    };
  }

  /** Backslash is an escape character in Spark strings either way; quotes double or escape. */
  private String quote(String s) {
    String escaped = s.replace("\\", "\\\\");
    return "'"
        + (rnd.nextBoolean() ? escaped.replace("'", "''") : escaped.replace("'", "\\'"))
        + "'";
  }

  private interface RowTruth {
    int eval(Map<String, Object> row, ZoneId z);
  }

  private static Sql fixed(String text, RowTruth truth) {
    return new Sql() {
      public String render() {
        return text;
      }

      public int eval(Map<String, Object> row, ZoneId z) {
        return truth.eval(row, z);
      }
    };
  }
}
