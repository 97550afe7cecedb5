package io.lakeshare.server.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive-descent parser for the subset of Spark SQL boolean expressions that partition filters
 * are written in (CONFORMANCE §4.1): comparisons, {@code IS [NOT] NULL}, {@code NOT}, {@code AND},
 * {@code OR}, parentheses, {@code CAST(x AS type)}, typed {@code DATE}/{@code TIMESTAMP} literals,
 * quoted strings, numbers, booleans and {@code NULL}.
 */
final class SqlParser {
  private static final int MAX_NESTING = 64;
  private static final Set<String> RESERVED = Set.of("AND", "OR", "NOT", "IS", "AS", "CAST");

  /** Thrown for any text outside the subset; the entry is then skipped. */
  static final class SyntaxError extends RuntimeException {
    SyntaxError(String message) {
      super(message, null, false, false);
    }
  }

  private enum Kind {
    WORD,
    QUOTED_IDENT,
    STRING,
    NUMBER,
    OP,
    LPAREN,
    RPAREN,
    COMMA,
    EOF
  }

  private record Token(Kind kind, String text) {}

  private final List<Token> tokens;
  private int pos;
  private int nesting;

  private SqlParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  static SqlNode parse(String text) {
    SqlParser p = new SqlParser(tokenize(text));
    SqlNode node = p.or();
    if (p.peek().kind != Kind.EOF) {
      throw new SyntaxError("unexpected token '" + p.peek().text + "'");
    }
    return node;
  }

  private SqlNode or() {
    SqlNode left = and();
    while (keyword("OR")) {
      left = new SqlNode.Or(left, and());
    }
    return left;
  }

  private SqlNode and() {
    SqlNode left = not();
    while (keyword("AND")) {
      left = new SqlNode.And(left, not());
    }
    return left;
  }

  private SqlNode not() {
    if (keyword("NOT")) {
      enter();
      SqlNode child = not();
      nesting--;
      return new SqlNode.Not(child);
    }
    return predicate();
  }

  private SqlNode predicate() {
    SqlNode left = primary();
    Token t = peek();
    if (t.kind == Kind.OP && !t.text.equals("-")) {
      pos++;
      left = new SqlNode.Compare(t.text, left, primary());
    }
    while (keyword("IS")) {
      boolean negated = keyword("NOT");
      if (!keyword("NULL")) {
        throw new SyntaxError("expected NULL after IS");
      }
      left = new SqlNode.IsNull(left, negated);
    }
    return left;
  }

  private SqlNode primary() {
    Token t = next();
    switch (t.kind) {
      case LPAREN -> {
        enter();
        SqlNode inner = or();
        expect(Kind.RPAREN);
        nesting--;
        return inner;
      }
      case STRING -> {
        return new SqlNode.Literal(SqlNode.LiteralKind.STRING, t.text);
      }
      case NUMBER -> {
        return number(t.text);
      }
      case QUOTED_IDENT -> {
        return new SqlNode.Column(t.text);
      }
      case OP -> {
        if (t.text.equals("-") && peek().kind == Kind.NUMBER) {
          return number("-" + next().text);
        }
        throw new SyntaxError("unexpected operator '" + t.text + "'");
      }
      case WORD -> {
        return word(t.text);
      }
      default -> throw new SyntaxError("unexpected token '" + t.text + "'");
    }
  }

  private SqlNode word(String word) {
    String upper = word.toUpperCase(Locale.ROOT);
    switch (upper) {
      case "TRUE", "FALSE" -> {
        return new SqlNode.Literal(SqlNode.LiteralKind.BOOLEAN, upper.toLowerCase(Locale.ROOT));
      }
      case "NULL" -> {
        return new SqlNode.Literal(SqlNode.LiteralKind.NULL, null);
      }
      case "CAST" -> {
        expect(Kind.LPAREN);
        enter();
        SqlNode child = or();
        if (!keyword("AS")) {
          throw new SyntaxError("expected AS in CAST");
        }
        String type = typeName();
        expect(Kind.RPAREN);
        nesting--;
        return new SqlNode.Cast(child, type);
      }
      case "DATE", "TIMESTAMP" -> {
        if (peek().kind == Kind.STRING) {
          SqlNode.LiteralKind kind =
              upper.equals("DATE") ? SqlNode.LiteralKind.DATE : SqlNode.LiteralKind.TIMESTAMP;
          return new SqlNode.Literal(kind, next().text);
        }
        return new SqlNode.Column(word); // a column named date or timestamp
      }
      default -> {
        if (RESERVED.contains(upper)) {
          throw new SyntaxError("unexpected keyword " + upper);
        }
        return new SqlNode.Column(word);
      }
    }
  }

  private String typeName() {
    Token t = next();
    if (t.kind != Kind.WORD) {
      throw new SyntaxError("expected a type name");
    }
    StringBuilder type = new StringBuilder(t.text.toUpperCase(Locale.ROOT));
    if (peek().kind == Kind.LPAREN) {
      pos++;
      List<String> params = new ArrayList<>();
      while (true) {
        Token n = next();
        if (n.kind != Kind.NUMBER) {
          throw new SyntaxError("expected a type parameter");
        }
        params.add(n.text);
        if (peek().kind != Kind.COMMA) {
          break;
        }
        pos++;
      }
      expect(Kind.RPAREN);
      type.append('(').append(String.join(",", params)).append(')');
    }
    return type.toString();
  }

  private static SqlNode number(String text) {
    SqlNode.LiteralKind kind =
        text.indexOf('e') >= 0 || text.indexOf('E') >= 0
            ? SqlNode.LiteralKind.DOUBLE
            : text.indexOf('.') >= 0 ? SqlNode.LiteralKind.DECIMAL : SqlNode.LiteralKind.INTEGER;
    return new SqlNode.Literal(kind, text);
  }

  private void enter() {
    if (++nesting > MAX_NESTING) {
      throw new SyntaxError("nested too deeply");
    }
  }

  private boolean keyword(String upper) {
    Token t = peek();
    if (t.kind == Kind.WORD && t.text.toUpperCase(Locale.ROOT).equals(upper)) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(Kind kind) {
    if (next().kind != kind) {
      throw new SyntaxError("expected " + kind);
    }
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private Token next() {
    Token t = tokens.get(pos);
    if (t.kind != Kind.EOF) {
      pos++;
    }
    return t;
  }

  private static List<Token> tokenize(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')' || c == ',') {
        out.add(new Token(c == '(' ? Kind.LPAREN : c == ')' ? Kind.RPAREN : Kind.COMMA, "" + c));
        i++;
      } else if (c == '\'') {
        StringBuilder value = new StringBuilder();
        i = quoted(s, i, value);
        out.add(new Token(Kind.STRING, value.toString()));
      } else if (c == '`') {
        StringBuilder name = new StringBuilder();
        i = backquoted(s, i, name);
        out.add(new Token(Kind.QUOTED_IDENT, name.toString()));
      } else if (isDigit(c) || c == '.' && i + 1 < s.length() && isDigit(s.charAt(i + 1))) {
        int end = numberEnd(s, i);
        out.add(new Token(Kind.NUMBER, s.substring(i, end)));
        i = end;
      } else if (isIdentStart(c)) {
        int end = i + 1;
        while (end < s.length() && isIdentPart(s.charAt(end))) {
          end++;
        }
        out.add(new Token(Kind.WORD, s.substring(i, end)));
        i = end;
      } else {
        String op = operator(s, i);
        out.add(new Token(Kind.OP, op));
        i += op.length();
      }
    }
    out.add(new Token(Kind.EOF, "<end>"));
    return out;
  }

  private static String operator(String s, int i) {
    for (String op : new String[] {"<=>", "<=", ">=", "<>", "!=", "=", "<", ">", "-"}) {
      if (s.startsWith(op, i)) {
        return op;
      }
    }
    throw new SyntaxError("unexpected character '" + s.charAt(i) + "'");
  }

  /**
   * A single-quoted string. Both SQL's doubled quote and Spark's backslash escapes are accepted;
   * escapes whose meaning differs between Spark versions are rejected.
   */
  private static int quoted(String s, int start, StringBuilder value) {
    int i = start + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\'') {
        if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
          value.append('\'');
          i += 2;
          continue;
        }
        return i + 1;
      }
      if (c == '\\') {
        if (i + 1 >= s.length()) {
          break;
        }
        char e = s.charAt(i + 1);
        switch (e) {
          case '\'', '"', '\\' -> value.append(e);
          case 'n' -> value.append('\n');
          case 't' -> value.append('\t');
          case 'r' -> value.append('\r');
          default -> throw new SyntaxError("unsupported escape \\" + e);
        }
        i += 2;
        continue;
      }
      value.append(c);
      i++;
    }
    throw new SyntaxError("unterminated string");
  }

  private static int backquoted(String s, int start, StringBuilder name) {
    int i = start + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '`') {
        if (i + 1 < s.length() && s.charAt(i + 1) == '`') {
          name.append('`');
          i += 2;
          continue;
        }
        return i + 1;
      }
      name.append(c);
      i++;
    }
    throw new SyntaxError("unterminated quoted identifier");
  }

  private static int numberEnd(String s, int i) {
    int j = i;
    while (j < s.length() && isDigit(s.charAt(j))) {
      j++;
    }
    if (j < s.length() && s.charAt(j) == '.') {
      j++;
      while (j < s.length() && isDigit(s.charAt(j))) {
        j++;
      }
    }
    if (j < s.length() && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
      int k = j + 1;
      if (k < s.length() && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
        k++;
      }
      if (k < s.length() && isDigit(s.charAt(k))) {
        j = k;
        while (j < s.length() && isDigit(s.charAt(j))) {
          j++;
        }
      }
    }
    if (j < s.length() && (isIdentPart(s.charAt(j)) || s.charAt(j) == '.')) {
      // typed suffixes (1L, 1.5D, 2BD) and names like 1col are outside the subset
      throw new SyntaxError("unsupported number '" + s.substring(i, j + 1) + "'");
    }
    return j;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentStart(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || isDigit(c);
  }
}
