package io.lakeshare.server.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lakeshare.server.filter.SqlNode.LiteralKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlParserTest {

  @Test
  void andBindsTighterThanOr() {
    SqlNode n = SqlParser.parse("a = 1 OR b = 2 AND c = 3");

    assertThat(n).isInstanceOf(SqlNode.Or.class);
    assertThat(((SqlNode.Or) n).right()).isInstanceOf(SqlNode.And.class);
  }

  @Test
  void notAppliesToTheWholeComparison() {
    assertThat(SqlParser.parse("NOT a = 1"))
        .isEqualTo(
            new SqlNode.Not(
                new SqlNode.Compare(
                    "=", new SqlNode.Column("a"), new SqlNode.Literal(LiteralKind.INTEGER, "1"))));
  }

  @Test
  void isNotNullAppliesToItsOperand() {
    assertThat(SqlParser.parse("`my col` IS NOT NULL"))
        .isEqualTo(new SqlNode.IsNull(new SqlNode.Column("my col"), true));
  }

  @Test
  void dateIsATypedLiteralOnlyBeforeAString() {
    assertThat(SqlParser.parse("date = DATE '2021-04-28'"))
        .isEqualTo(
            new SqlNode.Compare(
                "=",
                new SqlNode.Column("date"),
                new SqlNode.Literal(LiteralKind.DATE, "2021-04-28")));
  }

  @Test
  void castKeepsTheTargetTypeWithParameters() {
    assertThat(SqlParser.parse("CAST(x AS decimal(10, 2)) = 1.5"))
        .isEqualTo(
            new SqlNode.Compare(
                "=",
                new SqlNode.Cast(new SqlNode.Column("x"), "DECIMAL(10,2)"),
                new SqlNode.Literal(LiteralKind.DECIMAL, "1.5")));
  }

  @Test
  void numbersAreTypedLikeSpark() {
    assertThat(SqlParser.parse("-12")).isEqualTo(new SqlNode.Literal(LiteralKind.INTEGER, "-12"));
    assertThat(SqlParser.parse(".5")).isEqualTo(new SqlNode.Literal(LiteralKind.DECIMAL, ".5"));
    assertThat(SqlParser.parse("1e-3")).isEqualTo(new SqlNode.Literal(LiteralKind.DOUBLE, "1e-3"));
  }

  @Test
  void stringEscapes() {
    assertThat(SqlParser.parse("'it''s \\'a\\' \\\\ \\n'"))
        .isEqualTo(new SqlNode.Literal(LiteralKind.STRING, "it's 'a' \\ \n"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "date === 1",
        "a == 1",
        "a = ",
        "(a = 1",
        "a = 1)",
        "a IS 1",
        "a = 1L",
        "a = 'x",
        "a = \"x\"",
        "a = '\\u0041'",
        "a.b = 1",
        "a IN (1, 2)",
        "a LIKE 'x%'",
        "CAST(a AS) = 1",
        "AND = 1",
        "a = 1 2"
      })
  void rejectsTextOutsideTheSubset(String text) {
    assertThatThrownBy(() -> SqlParser.parse(text)).isInstanceOf(SqlParser.SyntaxError.class);
  }
}
