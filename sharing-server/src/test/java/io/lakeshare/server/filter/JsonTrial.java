package io.lakeshare.server.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.protocol.predicate.ComparisonOp;
import io.lakeshare.protocol.predicate.JsonPredicate;
import io.lakeshare.protocol.predicate.ValueType;
import io.lakeshare.server.delta.JsonStringBody;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One random trial of the JSON-hint soundness test: a random predicate tree over a {@link
 * RandomTable}, evaluated row by row by {@link SparkOracle} (unsupported nodes may be anything) and
 * by the filter per file.
 */
final class JsonTrial {
  private final RandomTable table;
  private final Random rnd;
  private final ZoneId session;

  /** Values the generated files really hold, per column: literals drawn from them hit bounds. */
  private final Map<String, List<Object>> observed = new HashMap<>();

  JsonTrial(Random rnd) {
    this.table = new RandomTable(rnd);
    this.rnd = rnd;
    this.session = table.session;
  }

  /** Returns {files without a matching row, of which dropped}. */
  int[] checkJson(int seed) {
    List<RandomTable.DataFile> files = new ArrayList<>();
    for (int f = 0; f < 8; f++) {
      RandomTable.DataFile file = table.dataFile();
      files.add(file);
      for (Map<String, Object> row : file.rows()) {
        row.forEach(
            (k, v) -> {
              if (v != null) {
                observed.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
              }
            });
      }
    }
    JsonPredicate predicate = predicate(rnd.nextInt(4)); // shallow trees test leaves harder
    List<FilterSettings> switches =
        List.of(
            TestTable.ALL_ON,
            TestTable.ALL_ON,
            new FilterSettings(false, true, false),
            new FilterSettings(false, false, true));
    FileFilter filter =
        FileFilter.create(
            predicate, null, switches.get(rnd.nextInt(switches.size())), RandomTable.COLUMNS);
    int nonMatching = 0;
    int dropped = 0;
    for (RandomTable.DataFile file : files) {
      boolean anyRowMatches = false;
      for (Map<String, Object> row : file.rows()) {
        anyRowMatches |= (eval(predicate, row) & SparkOracle.T) != 0;
      }
      boolean kept = filter.mightMatch(file.partitionValues(), file.stats());
      // the stats as a kept file holds them give the same answer
      assertThat(
              filter.mightMatchBody(
                  file.partitionValues(),
                  file.stats() == null ? null : JsonStringBody.encode(file.stats())))
          .isEqualTo(kept);
      if (anyRowMatches) {
        assertThat(kept)
            .as(
                "seed %d session %s\npredicate %s\npartitions %s\nstats %s\nrows %s",
                seed, session, predicate, file.partitionValues(), file.stats(), file.rows())
            .isTrue();
      } else {
        nonMatching++;
        dropped += kept ? 0 : 1;
      }
    }
    return new int[] {nonMatching, dropped};
  }

  // ---------------------------------------------------------------- JSON predicates

  private JsonPredicate predicate(int depth) {
    if (depth == 0 || rnd.nextInt(10) < 4) {
      return leaf();
    }
    return switch (rnd.nextInt(5)) {
      case 0 -> new JsonPredicate.Not(predicate(depth - 1));
      case 1, 2 -> new JsonPredicate.And(children(depth));
      default -> new JsonPredicate.Or(children(depth));
    };
  }

  private List<JsonPredicate> children(int depth) {
    List<JsonPredicate> out = new ArrayList<>();
    int n = 2 + rnd.nextInt(2);
    for (int i = 0; i < n; i++) {
      out.add(predicate(depth - 1));
    }
    return out;
  }

  private JsonPredicate leaf() {
    int r = rnd.nextInt(100);
    RandomTable.Col c = RandomTable.COLS.get(rnd.nextInt(RandomTable.COLS.size()));
    ValueType vt = c.readAs().get(rnd.nextInt(c.readAs().size()));
    JsonPredicate column = new JsonPredicate.Column(c.name(), vt);
    ComparisonOp op = ComparisonOp.values()[rnd.nextInt(ComparisonOp.values().length)];
    if (r < 55) {
      JsonPredicate literal = new JsonPredicate.Literal(literalText(c, vt), vt);
      return rnd.nextInt(10) < 7
          ? new JsonPredicate.Comparison(op, column, literal)
          : new JsonPredicate.Comparison(op, literal, column);
    }
    if (r < 63) {
      RandomTable.Col other =
          RandomTable.COLS.stream()
              .filter(o -> o.readAs().contains(vt) && o != c)
              .findAny()
              .orElse(c);
      return new JsonPredicate.Comparison(op, column, new JsonPredicate.Column(other.name(), vt));
    }
    if (r < 67) {
      return new JsonPredicate.Comparison(
          op,
          new JsonPredicate.Literal(literalText(c, vt), vt),
          new JsonPredicate.Literal(literalText(c, vt), vt));
    }
    if (r < 80) {
      return new JsonPredicate.IsNull(column);
    }
    if (r < 86) {
      String b = rnd.nextBoolean() ? (rnd.nextBoolean() ? "p_bool" : "d_bool") : "";
      return b.isEmpty()
          ? new JsonPredicate.Literal(rnd.nextBoolean() ? "true" : "false", ValueType.BOOL)
          : new JsonPredicate.Column(b, ValueType.BOOL);
    }
    if (r < 91) {
      return new JsonPredicate.Unsupported("like", "unknown op");
    }
    if (r < 94) {
      ValueType otherType = ValueType.values()[rnd.nextInt(ValueType.values().length)];
      return new JsonPredicate.Comparison(
          op, column, new JsonPredicate.Literal(literalText(c, otherType), otherType));
    }
    if (r < 96) {
      return column; // non-boolean column as a predicate
    }
    return new JsonPredicate.Comparison(
        op, column, new JsonPredicate.Literal(literalText(c, vt), vt));
  }

  /** A literal of type vt: mostly a value the column could hold, sometimes odd text. */
  private String literalText(RandomTable.Col c, ValueType vt) {
    if (rnd.nextInt(10) < 6) {
      List<Object> seen = observed.getOrDefault(c.name(), List.of());
      Object raw =
          !seen.isEmpty() && rnd.nextBoolean()
              ? seen.get(rnd.nextInt(seen.size()))
              : table.value(c.type(), c.partition());
      Object v = SparkOracle.cast(raw, c.type(), vt, session);
      if (v != null) {
        return render(v, vt);
      }
    }
    List<String> odd =
        switch (vt) {
          case BOOL -> List.of("true", "false", "TRUE", "maybe");
          case INT -> List.of("-3", "0", "2", "2147483647", "2147483648", "1.5", "abc", "01", " 7");
          case LONG -> List.of("-1", "3", "1099511627776", "9223372036854775807", "x");
          case STRING -> RandomTable.STRINGS;
          case DATE -> List.of("2021-04-27", "2021-4-28", "1969-12-31", "2020-07-01", "");
          case FLOAT -> List.of("NaN", "Infinity", "-0.0", "16777217", "0.1", "1.0E10", "q");
          case DOUBLE -> List.of("NaN", "-Infinity", "0.1", "1e300", "2.0000000000000004", "-");
          case TIMESTAMP ->
              List.of(
                  "2021-04-28T10:00:00Z",
                  "2021-04-28T10:00:00.000999+02:00",
                  "2021-04-28T10:00:00",
                  "2021-04-28 03:00:00.000001",
                  "2021-04-29T04:00:00Z",
                  "yesterday");
        };
    return odd.get(rnd.nextInt(odd.size()));
  }

  private String render(Object v, ValueType vt) {
    return switch (vt) {
      case FLOAT -> Float.toString((float) (double) (Double) v);
      case TIMESTAMP -> {
        Instant i = SparkOracle.instant((Long) v);
        yield rnd.nextBoolean()
            ? i.toString()
            : OffsetDateTime.ofInstant(i, ZoneOffset.ofHours(rnd.nextInt(25) - 12)).toString();
      }
      default -> v.toString();
    };
  }

  /** Row-level truth of a JSON predicate, with Unsupported as "anything". */
  private int eval(JsonPredicate p, Map<String, Object> row) {
    if (p instanceof JsonPredicate.And a) {
      int acc = SparkOracle.T;
      for (JsonPredicate c : a.children()) {
        acc = SparkOracle.and(acc, eval(c, row));
      }
      return acc;
    }
    if (p instanceof JsonPredicate.Or o) {
      int acc = SparkOracle.F;
      for (JsonPredicate c : o.children()) {
        acc = SparkOracle.or(acc, eval(c, row));
      }
      return acc;
    }
    if (p instanceof JsonPredicate.Not n) {
      return SparkOracle.not(eval(n.child(), row));
    }
    if (p instanceof JsonPredicate.IsNull n) {
      Object v = leafValue(n.child(), row);
      return v == SparkOracle.INVALID ? SparkOracle.ANY : v == null ? SparkOracle.T : SparkOracle.F;
    }
    if (p instanceof JsonPredicate.Comparison c) {
      if (leafType(c.left()) != leafType(c.right())) {
        return SparkOracle.ANY;
      }
      String op =
          switch (c.op()) {
            case EQUAL -> "=";
            case LESS_THAN -> "<";
            case LESS_THAN_OR_EQUAL -> "<=";
            case GREATER_THAN -> ">";
            case GREATER_THAN_OR_EQUAL -> ">=";
          };
      return SparkOracle.compare(op, leafValue(c.left(), row), leafValue(c.right(), row));
    }
    if ((p instanceof JsonPredicate.Column || p instanceof JsonPredicate.Literal)
        && leafType(p) == ValueType.BOOL) {
      Object v = leafValue(p, row);
      return v == SparkOracle.INVALID
          ? SparkOracle.ANY
          : v == null ? SparkOracle.N : (Boolean) v ? SparkOracle.T : SparkOracle.F;
    }
    return SparkOracle.ANY;
  }

  private static ValueType leafType(JsonPredicate leaf) {
    return leaf instanceof JsonPredicate.Column c
        ? c.valueType()
        : ((JsonPredicate.Literal) leaf).valueType();
  }

  private Object leafValue(JsonPredicate leaf, Map<String, Object> row) {
    if (leaf instanceof JsonPredicate.Literal l) {
      return SparkOracle.literal(l.value(), l.valueType(), session);
    }
    JsonPredicate.Column c = (JsonPredicate.Column) leaf;
    RandomTable.Col col =
        RandomTable.COLS.stream().filter(x -> x.name().equals(c.name())).findFirst().orElseThrow();
    return SparkOracle.cast(row.get(col.name()), col.type(), c.valueType(), session);
  }
}
