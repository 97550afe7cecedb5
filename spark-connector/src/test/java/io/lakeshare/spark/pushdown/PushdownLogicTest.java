package io.lakeshare.spark.pushdown;

import static io.lakeshare.spark.pushdown.Preds.and;
import static io.lakeshare.spark.pushdown.Preds.cmp;
import static io.lakeshare.spark.pushdown.Preds.col;
import static io.lakeshare.spark.pushdown.Preds.eq;
import static io.lakeshare.spark.pushdown.Preds.isNullJson;
import static io.lakeshare.spark.pushdown.Preds.lit;
import static io.lakeshare.spark.pushdown.Preds.node;
import static io.lakeshare.spark.pushdown.Preds.not;
import static io.lakeshare.spark.pushdown.Preds.or;
import static io.lakeshare.spark.pushdown.Preds.pred;
import static io.lakeshare.spark.pushdown.Preds.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.lakeshare.protocol.predicate.JsonPredicates;
import java.util.List;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.junit.jupiter.api.Test;

/** NOT/AND/OR bookkeeping, constant folding and the protocol's size and depth limits. */
class PushdownLogicTest {
  private final PushdownConverter converter =
      new PushdownConverter(PushdownConverterTest.SCHEMA, List.of("p", "pt"), false);

  private String json(Predicate... predicates) {
    return PushdownConverterTest.json(converter, predicates);
  }

  @Test
  void notOverCompleteChildIsKept() {
    assertThat(json(not(and(eq(col("i"), lit(1)), pred("IS_NULL", col("s"))))))
        .isEqualTo(
            node("not", node("and", cmp("equal", "i", "int", "1"), isNullJson("s", "string"))));
    assertThat(json(not(or(eq(col("i"), lit(1)), eq(col("l"), lit(2L))))))
        .isEqualTo(
            node("not", node("or", cmp("equal", "i", "int", "1"), cmp("equal", "l", "long", "2"))));
    // double negation collapses
    assertThat(json(not(not(eq(col("i"), lit(1)))))).isEqualTo(cmp("equal", "i", "int", "1"));
  }

  @Test
  void notOverWeakenedChildIsDropped() {
    // NOT(i = 1 AND starts_with(s, 'a')) is not NOT(i = 1): it holds for i = 1 rows too
    Predicate weakenedAnd = and(eq(col("i"), lit(1)), pred("STARTS_WITH", col("s"), str("a")));
    assertThat(json(weakenedAnd)).isEqualTo(cmp("equal", "i", "int", "1"));
    assertThat(json(not(weakenedAnd))).isNull();
    assertThat(json(or(eq(col("l"), lit(5L)), not(weakenedAnd)))).isNull();
    // deeper: the weakening sits two levels below the NOT
    assertThat(json(not(or(eq(col("l"), lit(5L)), weakenedAnd)))).isNull();
    assertThat(json(and(eq(col("l"), lit(5L)), not(or(eq(col("l"), lit(6L)), weakenedAnd)))))
        .isEqualTo(cmp("equal", "l", "long", "5"));
  }

  @Test
  void andKeepsConvertibleChildrenAndOrNeedsAll() {
    Predicate unsupported = pred("STARTS_WITH", col("s"), str("a"));
    PushdownConverter.Hints h =
        converter.convert(new Predicate[] {and(unsupported, eq(col("i"), lit(3)))});
    assertThat(h.jsonString()).isEqualTo(cmp("equal", "i", "int", "3"));
    assertThat(h.converted()).hasSize(1);
    PushdownConverter.Hints dropped =
        converter.convert(new Predicate[] {or(unsupported, eq(col("i"), lit(3)))});
    assertThat(dropped.json()).isNull();
    assertThat(dropped.converted()).isEmpty();
    // nested and/or are flattened
    assertThat(
            json(
                or(
                    or(eq(col("i"), lit(1)), eq(col("i"), lit(2))),
                    and(eq(col("l"), lit(1L)), and(eq(col("l"), lit(2L)), unsupported)))))
        .isEqualTo(
            node(
                "or",
                cmp("equal", "i", "int", "1"),
                cmp("equal", "i", "int", "2"),
                node("and", cmp("equal", "l", "long", "1"), cmp("equal", "l", "long", "2"))));
  }

  @Test
  void constantsFoldWithThreeValuedLogic() {
    Predicate i1 = eq(col("i"), lit(1));
    Predicate unsupported = pred("STARTS_WITH", col("s"), str("a"));
    assertThat(json(and(i1, Preds.alwaysTrue()))).isEqualTo(cmp("equal", "i", "int", "1"));
    assertThat(json(or(i1, Preds.alwaysFalse()))).isEqualTo(cmp("equal", "i", "int", "1"));
    assertThat(json(or(i1, Preds.alwaysTrue()))).isNull();
    assertThat(json(Preds.alwaysTrue())).isNull();
    assertThat(json(Preds.alwaysFalse())).isNull();
    // FALSE AND <anything> is FALSE even when the other side is unknown, so the OR stays exact
    assertThat(json(not(or(i1, and(unsupported, Preds.alwaysFalse())))))
        .isEqualTo(node("not", cmp("equal", "i", "int", "1")));
    // TRUE OR <anything> is TRUE: the AND keeps only i = 1, and exactly so
    assertThat(json(not(and(i1, or(unsupported, Preds.alwaysTrue())))))
        .isEqualTo(node("not", cmp("equal", "i", "int", "1")));
  }

  @Test
  void severalConjunctsAreAndedInOrder() {
    PushdownConverter.Hints h =
        converter.convert(
            new Predicate[] {
              eq(col("i"), lit(1)),
              pred("STARTS_WITH", col("s"), str("a")),
              and(pred("IS_NOT_NULL", col("s")), eq(col("p"), str("x")))
            });
    assertThat(h.jsonString())
        .isEqualTo(
            node(
                "and",
                cmp("equal", "i", "int", "1"),
                node("not", isNullJson("s", "string")),
                cmp("equal", "p", "string", "x")));
    assertThat(h.converted()).hasSize(2);
    assertThat(h.converted().get(0).name()).isEqualTo("=");
    assertThat(h.converted().get(1).name()).isEqualTo("AND");
  }

  @Test
  void conjunctsOverTheSizeLimitAreLeftOutKeepingTheFirstThatFit() {
    String padding = "x".repeat(60);
    int conjuncts = 30;
    Predicate[] big = new Predicate[conjuncts];
    for (int k = 0; k < conjuncts; k++) {
      Expression[] in = new Expression[PredicateTranslator.MAX_IN_VALUES + 1];
      in[0] = col("s");
      for (int v = 1; v < in.length; v++) {
        in[v] = str(padding + k + "_" + v);
      }
      big[k] = pred("IN", in);
    }
    Predicate small = eq(col("i"), lit(1));
    Predicate[] all = java.util.Arrays.copyOf(big, conjuncts + 1);
    all[conjuncts] = small;
    PushdownConverter.Hints h = converter.convert(all);
    String json = h.jsonString();
    assertThat(json.length()).isLessThanOrEqualTo(JsonPredicates.MAX_LENGTH);
    assertThat(json.length()).isGreaterThan(JsonPredicates.MAX_LENGTH - 200_000);
    assertThat(JsonPredicates.problems(JsonPredicates.parseStrict(json))).isEmpty();
    int kept = h.converted().size() - 1;
    assertThat(kept).isBetween(1, conjuncts - 1);
    assertThat(h.converted().subList(0, kept)).containsExactly(java.util.Arrays.copyOf(big, kept));
    // a later, smaller conjunct still fits
    assertThat(h.converted().get(kept)).isSameAs(small);
  }

  @Test
  void conjunctsTooDeepForTheProtocolAreLeftOut() {
    Predicate deep = eq(col("i"), lit(0));
    for (int k = 1; k < 120; k++) {
      Predicate leaf = eq(col("i"), lit(k));
      deep = k % 2 == 0 ? and(leaf, or(leaf, deep)) : or(leaf, and(leaf, deep));
    }
    Predicate shallow = eq(col("l"), lit(1L));
    PushdownConverter.Hints h = converter.convert(new Predicate[] {deep, shallow});
    assertThat(h.converted()).containsExactly(shallow);
    assertThat(h.jsonString()).isEqualTo(cmp("equal", "l", "long", "1"));
    // depth 98 for the conjunct itself still fits below the root `and`
    Predicate fits = eq(col("i"), lit(0));
    for (int k = 1; k < 48; k++) {
      Predicate leaf = eq(col("i"), lit(k));
      fits = k % 2 == 0 ? and(leaf, or(leaf, fits)) : or(leaf, and(leaf, fits));
    }
    PushdownConverter.Hints ok = converter.convert(new Predicate[] {fits, shallow});
    assertThat(ok.converted()).hasSize(2);
    assertThat(PushdownConverter.depth(ok.json(), 1)).isLessThanOrEqualTo(JsonPredicates.MAX_DEPTH);
    assertThat(JsonPredicates.parseStrict(ok.jsonString())).isEqualTo(ok.json());
  }

  @Test
  void absurdlyDeepInputNeverThrows() {
    Predicate deep = eq(col("i"), lit(0));
    for (int k = 0; k < 20_000; k++) {
      deep = not(deep);
    }
    Predicate finalDeep = deep;
    PushdownConverter.Hints h =
        converter.convert(new Predicate[] {finalDeep, eq(col("i"), lit(2))});
    assertThat(h.jsonString()).isEqualTo(cmp("equal", "i", "int", "2"));
  }
}
