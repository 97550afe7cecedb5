package io.lakeshare.protocol.predicate;

import static io.lakeshare.protocol.predicate.JsonPredicates.and;
import static io.lakeshare.protocol.predicate.JsonPredicates.column;
import static io.lakeshare.protocol.predicate.JsonPredicates.equal;
import static io.lakeshare.protocol.predicate.JsonPredicates.greaterThanOrEqual;
import static io.lakeshare.protocol.predicate.JsonPredicates.isNull;
import static io.lakeshare.protocol.predicate.JsonPredicates.lessThan;
import static io.lakeshare.protocol.predicate.JsonPredicates.literal;
import static io.lakeshare.protocol.predicate.JsonPredicates.not;
import static io.lakeshare.protocol.predicate.JsonPredicates.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonPredicatesTest {
  private static final String DATE_EQUAL =
      "{\"op\":\"equal\",\"children\":[{\"op\":\"column\",\"name\":\"hireDate\","
          + "\"valueType\":\"date\"},{\"op\":\"literal\",\"value\":\"2021-04-29\","
          + "\"valueType\":\"date\"}]}";
  private static final String NOT_NULL =
      "{\"op\":\"not\",\"children\":[{\"op\":\"isNull\",\"children\":[{\"op\":\"column\","
          + "\"name\":\"id\",\"valueType\":\"int\"}]}]}";

  private static final String INT_COL = "{\"op\":\"column\",\"name\":\"a\",\"valueType\":\"int\"}";
  private static final String INT_LIT =
      "{\"op\":\"literal\",\"value\":\"1\",\"valueType\":\"int\"}";

  private static JsonPredicate.Unsupported unsupported(String json) {
    JsonPredicate p = JsonPredicates.parse(json);
    assertThat(p).isInstanceOf(JsonPredicate.Unsupported.class);
    return (JsonPredicate.Unsupported) p;
  }

  @Test
  void parsesConformanceExamples() {
    assertThat(JsonPredicates.parse(DATE_EQUAL))
        .isEqualTo(
            equal(column("hireDate", ValueType.DATE), literal("2021-04-29", ValueType.DATE)));
    assertThat(JsonPredicates.parse(NOT_NULL)).isEqualTo(not(isNull(column("id", ValueType.INT))));
  }

  @Test
  void toJsonReproducesTheExamplesExactly() {
    assertThat(JsonPredicates.toJson(JsonPredicates.parse(DATE_EQUAL))).isEqualTo(DATE_EQUAL);
    assertThat(JsonPredicates.toJson(JsonPredicates.parse(NOT_NULL))).isEqualTo(NOT_NULL);
  }

  @Test
  void factoriesBuildTreesThatRoundTrip() {
    JsonPredicate p =
        and(
            or(
                lessThan(column("x", ValueType.LONG), literal("10", ValueType.LONG)),
                greaterThanOrEqual(
                    column("ts", ValueType.TIMESTAMP),
                    literal("2021-04-28T23:33:57.955Z", ValueType.TIMESTAMP))),
            not(isNull(column("s", ValueType.STRING))),
            column("flag", ValueType.BOOL));
    String json = JsonPredicates.toJson(p);
    assertThat(json)
        .startsWith(
            "{\"op\":\"and\",\"children\":[{\"op\":\"or\",\"children\":[{\"op\":\"lessThan\"");
    assertThat(JsonPredicates.parseStrict(json)).isEqualTo(p);
  }

  @Test
  void fieldOrderInsideNodesDoesNotMatterAndUnknownFieldsAreIgnored() {
    String json =
        "{\"children\":[{\"valueType\":\"int\",\"name\":\"a\",\"op\":\"column\",\"x\":[1]},"
            + INT_LIT
            + "],\"comment\":{\"k\":\"v\"},\"op\":\"lessThanOrEqual\"}";
    assertThat(JsonPredicates.parseStrict(json))
        .isEqualTo(
            new JsonPredicate.Comparison(
                ComparisonOp.LESS_THAN_OR_EQUAL,
                column("a", ValueType.INT),
                literal("1", ValueType.INT)));
  }

  @Test
  void specErratumWithTrailingCommaIsRejected() {
    String spec3 =
        "{\"op\":\"not\",\"children\":[{\"op\":\"isNull\",\"children\":[{\"op\":\"column\","
            + "\"name\":\"id\",\"valueType\":\"int\"},]}]}";
    assertThatThrownBy(() -> JsonPredicates.parse(spec3))
        .isInstanceOf(PredicateParseException.class)
        .hasMessageStartingWith("The predicate is not valid JSON");
  }

  @Test
  void rootMustBeAnObject() {
    assertThatThrownBy(() -> JsonPredicates.parse("[" + INT_COL + "]"))
        .isInstanceOf(PredicateParseException.class)
        .hasMessage("The predicate is not a JSON object at the root: found an array");
    assertThatThrownBy(() -> JsonPredicates.parse("\"x\""))
        .hasMessage("The predicate is not a JSON object at the root: found a string");
    assertThatThrownBy(() -> JsonPredicates.parse(""))
        .hasMessage("The predicate is not a JSON object at the root: found nothing");
    assertThatThrownBy(() -> JsonPredicates.parse(INT_COL + " {}"))
        .hasMessage("The predicate has content after the root object");
    assertThatThrownBy(() -> JsonPredicates.parse(null))
        .isInstanceOf(PredicateParseException.class);
  }

  @Test
  void lengthLimitIsExactly1MiBCharacters() {
    String base = INT_COL.substring(0, INT_COL.length() - 1) + ",\"pad\":\"";
    int padding = JsonPredicates.MAX_LENGTH - base.length() - 2;
    String atLimit = base + "x".repeat(padding) + "\"}";
    assertThat(atLimit).hasSize(1_048_576);
    assertThat(JsonPredicates.parse(atLimit)).isEqualTo(column("a", ValueType.INT));
    String overLimit = base + "x".repeat(padding + 1) + "\"}";
    assertThatThrownBy(() -> JsonPredicates.parse(overLimit))
        .isInstanceOf(PredicateParseException.class)
        .hasMessage("The predicate is 1048577 characters long; the limit is 1048576");
  }

  private static String nestedNots(int depth) {
    String json = "{\"op\":\"column\",\"name\":\"b\",\"valueType\":\"bool\"}";
    for (int i = 1; i < depth; i++) {
      json = "{\"op\":\"not\",\"children\":[" + json + "]}";
    }
    return json;
  }

  @Test
  void depthLimitIsOneHundredNodes() {
    JsonPredicate deepest = JsonPredicates.parseStrict(nestedNots(100));
    assertThat(deepest).isInstanceOf(JsonPredicate.Not.class);
    assertThatThrownBy(() -> JsonPredicates.parse(nestedNots(101)))
        .isInstanceOf(PredicateParseException.class)
        .hasMessage("The predicate tree is deeper than 100 levels");
  }

  @Test
  void unknownOpBecomesUnsupportedWithoutFailing() {
    JsonPredicate.Unsupported u =
        unsupported("{\"op\":\"between\",\"children\":[" + INT_COL + "]}");
    assertThat(u.op()).isEqualTo("between");
    assertThat(u.reason()).isEqualTo("unknown op 'between'");
  }

  @Test
  void opNamesAreCaseSensitive() {
    assertThat(
            unsupported("{\"op\":\"Equal\",\"children\":[" + INT_COL + "," + INT_LIT + "]}")
                .reason())
        .isEqualTo("unknown op 'Equal'");
  }

  @Test
  void leafProblemsAreNamedPrecisely() {
    assertThat(unsupported("{\"op\":\"column\",\"valueType\":\"int\"}").reason())
        .isEqualTo("column: missing 'name'");
    assertThat(unsupported("{\"op\":\"column\",\"name\":\"a\"}").reason())
        .isEqualTo("column 'a': missing 'valueType'");
    assertThat(unsupported("{\"op\":\"column\",\"name\":\"a\",\"valueType\":\"decimal\"}").reason())
        .isEqualTo("column 'a': unknown valueType 'decimal'");
    assertThat(unsupported("{\"op\":\"literal\",\"valueType\":\"int\"}").reason())
        .isEqualTo("literal: missing 'value'");
    assertThat(unsupported("{\"op\":\"literal\",\"value\":\"1\",\"valueType\":\"x\"}").reason())
        .isEqualTo("literal '1': unknown valueType 'x'");
    assertThat(
            unsupported(
                    "{\"op\":\"column\",\"name\":\"a\",\"valueType\":\"int\",\"children\":["
                        + INT_LIT
                        + "]}")
                .reason())
        .isEqualTo("column: a leaf must not have children");
    assertThat(unsupported("{\"children\":[]}").reason()).isEqualTo("a node has no 'op'");
    assertThat(unsupported("{\"op\":\"literal\",\"value\":{},\"valueType\":\"int\"}").reason())
        .isEqualTo("literal: 'value' must be a string, got an object");
  }

  @Test
  void numericLiteralValuesAreTakenAsText() {
    assertThat(
            JsonPredicates.parseStrict("{\"op\":\"literal\",\"value\":42,\"valueType\":\"int\"}"))
        .isEqualTo(literal("42", ValueType.INT));
  }

  @Test
  void childCountsAreChecked() {
    assertThat(unsupported("{\"op\":\"isNull\",\"children\":[]}").reason())
        .isEqualTo("isNull: expected exactly 1 child, got 0");
    assertThat(
            unsupported("{\"op\":\"not\",\"children\":[" + INT_COL + "," + INT_COL + "]}").reason())
        .isEqualTo("not: expected exactly 1 child, got 2");
    assertThat(unsupported("{\"op\":\"equal\",\"children\":[" + INT_COL + "]}").reason())
        .isEqualTo("equal: expected exactly 2 children, got 1");
    assertThat(unsupported("{\"op\":\"and\",\"children\":[" + INT_COL + "]}").reason())
        .isEqualTo("and: expected at least 2 children, got 1");
    assertThat(unsupported("{\"op\":\"or\"}").reason())
        .isEqualTo("or: expected at least 2 children, got 0");
  }

  @Test
  void comparisonChildrenMustBeLeavesOfOneType() {
    String longLit = "{\"op\":\"literal\",\"value\":\"1\",\"valueType\":\"long\"}";
    assertThat(
            unsupported("{\"op\":\"equal\",\"children\":[" + INT_COL + "," + longLit + "]}")
                .reason())
        .isEqualTo("equal: children have different valueTypes (int and long)");
    String and = "{\"op\":\"and\",\"children\":[" + INT_COL + "," + INT_COL + "]}";
    assertThat(
            unsupported("{\"op\":\"lessThan\",\"children\":[" + INT_COL + "," + and + "]}")
                .reason())
        .isEqualTo("lessThan: child 2 must be a column or literal, got 'and'");
    String badCol = "{\"op\":\"column\",\"name\":\"z\",\"valueType\":\"uuid\"}";
    assertThat(
            unsupported("{\"op\":\"greaterThan\",\"children\":[" + badCol + "," + INT_LIT + "]}")
                .reason())
        .isEqualTo("greaterThan: invalid child 1: column 'z': unknown valueType 'uuid'");
  }

  @Test
  void isNullNeedsAColumn() {
    assertThat(unsupported("{\"op\":\"isNull\",\"children\":[" + INT_LIT + "]}").reason())
        .isEqualTo("isNull: the child must be a column, got 'literal'");
  }

  @Test
  void invalidSubtreesStayLocalAndAreAllListed() {
    String json =
        "{\"op\":\"and\",\"children\":["
            + "{\"op\":\"equal\",\"children\":["
            + INT_COL
            + ","
            + INT_LIT
            + "]},"
            + "{\"op\":\"like\",\"children\":[]},"
            + "{\"op\":\"or\",\"children\":["
            + INT_COL
            + ",\"oops\"]}]}";
    JsonPredicate p = JsonPredicates.parse(json);
    assertThat(p).isInstanceOf(JsonPredicate.And.class);
    List<JsonPredicate> children = ((JsonPredicate.And) p).children();
    assertThat(children.get(0))
        .isEqualTo(equal(column("a", ValueType.INT), literal("1", ValueType.INT)));
    assertThat(children.get(1))
        .isEqualTo(new JsonPredicate.Unsupported("like", "unknown op 'like'"));
    assertThat(JsonPredicates.problems(p))
        .containsExactly("unknown op 'like'", "a node is a string, not an object");
    assertThatThrownBy(() -> JsonPredicates.parseStrict(json))
        .isInstanceOf(PredicateParseException.class)
        .hasMessage("Unsupported predicate: unknown op 'like'");
    assertThatThrownBy(() -> JsonPredicates.toJson(p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown op 'like'");
  }

  @Test
  void valueTypesAreReadCaseInsensitively() {
    assertThat(
            JsonPredicates.parseStrict("{\"op\":\"column\",\"name\":\"a\",\"valueType\":\"LONG\"}"))
        .isEqualTo(column("a", ValueType.LONG));
  }

  @Test
  void validTreeHasNoProblems() {
    assertThat(JsonPredicates.problems(JsonPredicates.parse(DATE_EQUAL))).isEmpty();
  }

  @Test
  void factoriesRejectInvalidShapes() {
    assertThatThrownBy(() -> equal(column("a", ValueType.INT), literal("1", ValueType.LONG)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different valueTypes (int and long)");
    assertThatThrownBy(() -> lessThan(column("a", ValueType.INT), not(column("b", ValueType.BOOL))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> isNull(literal("1", ValueType.INT)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> and(List.of())).isInstanceOf(IllegalArgumentException.class);
    JsonPredicate single = column("b", ValueType.BOOL);
    assertThat(and(single)).isSameAs(single);
    assertThat(or(List.of(single))).isSameAs(single);
  }
}
