package io.lakeshare.protocol.predicate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses predicate JSON in two steps: a syntax pass that only collects each node's raw fields
 * (nodes may list {@code children} before {@code op}), then a validation pass that turns invalid
 * subtrees into {@link JsonPredicate.Unsupported} with a reason.
 */
final class PredicateReader {
  static final int MAX_LENGTH = 1_048_576;
  static final int MAX_DEPTH = 100;
  private static final JsonFactory FACTORY = new JsonFactory();

  /** Raw fields of one node; {@code notObject} is set when the JSON value was not an object. */
  private static final class RawNode {
    String notObject;
    String op;
    String name;
    String value;
    String valueType;
    final List<String> fieldProblems = new ArrayList<>();
    final List<RawNode> children = new ArrayList<>();
  }

  private PredicateReader() {}

  static JsonPredicate parse(String json) {
    if (json == null) {
      throw new PredicateParseException("The predicate is missing (null)");
    }
    if (json.length() > MAX_LENGTH) {
      throw new PredicateParseException(
          "The predicate is " + json.length() + " characters long; the limit is " + MAX_LENGTH);
    }
    RawNode root;
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        throw new PredicateParseException(
            "The predicate is not a JSON object at the root: found " + describe(t));
      }
      root = readNode(p, 1);
      if (p.nextToken() != null) {
        throw new PredicateParseException("The predicate has content after the root object");
      }
    } catch (JsonProcessingException e) {
      throw new PredicateParseException(
          "The predicate is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return convert(root);
  }

  private static RawNode readNode(JsonParser p, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new PredicateParseException(
          "The predicate tree is deeper than " + MAX_DEPTH + " levels");
    }
    RawNode n = new RawNode();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "op" -> n.op = scalar(p, t, "op", n);
        case "name" -> n.name = scalar(p, t, "name", n);
        case "value" -> n.value = scalar(p, t, "value", n);
        case "valueType" -> n.valueType = scalar(p, t, "valueType", n);
        case "children" -> readChildren(p, t, n, depth);
        default -> p.skipChildren();
      }
    }
    return n;
  }

  private static void readChildren(JsonParser p, JsonToken t, RawNode n, int depth)
      throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return;
    }
    if (t != JsonToken.START_ARRAY) {
      n.fieldProblems.add("'children' must be an array, got " + describe(t));
      p.skipChildren();
      return;
    }
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == JsonToken.START_OBJECT) {
        n.children.add(readNode(p, depth + 1));
      } else {
        RawNode bad = new RawNode();
        bad.notObject = describe(t);
        n.children.add(bad);
        p.skipChildren();
      }
    }
  }

  /** Strings are taken as is; numbers and booleans by their text (lenient on {@code value}). */
  private static String scalar(JsonParser p, JsonToken t, String field, RawNode n)
      throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t.isScalarValue()) {
      return p.getText();
    }
    n.fieldProblems.add("'" + field + "' must be a string, got " + describe(t));
    p.skipChildren();
    return null;
  }

  private static JsonPredicate convert(RawNode n) {
    if (n.notObject != null) {
      return new JsonPredicate.Unsupported(null, "a node is " + n.notObject + ", not an object");
    }
    if (n.op == null) {
      return new JsonPredicate.Unsupported(null, "a node has no 'op'" + problemsSuffix(n));
    }
    if (!n.fieldProblems.isEmpty()) {
      return unsupported(n, n.fieldProblems.get(0));
    }
    return switch (n.op) {
      case "column" -> column(n);
      case "literal" -> literal(n);
      case "isNull" -> isNull(n);
      case "not" -> not(n);
      case "and", "or" -> junction(n);
      default -> {
        ComparisonOp c = ComparisonOp.fromWire(n.op);
        yield c == null
            ? new JsonPredicate.Unsupported(n.op, "unknown op '" + n.op + "'")
            : comparison(n, c);
      }
    };
  }

  private static String problemsSuffix(RawNode n) {
    return n.fieldProblems.isEmpty() ? "" : " (" + n.fieldProblems.get(0) + ")";
  }

  private static JsonPredicate.Unsupported unsupported(RawNode n, String problem) {
    return new JsonPredicate.Unsupported(n.op, n.op + ": " + problem);
  }

  private static JsonPredicate column(RawNode n) {
    if (!n.children.isEmpty()) {
      return unsupported(n, "a leaf must not have children");
    }
    if (n.name == null) {
      return unsupported(n, "missing 'name'");
    }
    String label = "column '" + n.name + "'";
    Optional<ValueType> t = valueType(n);
    if (t.isEmpty()) {
      return new JsonPredicate.Unsupported(n.op, label + ": " + valueTypeProblem(n));
    }
    return new JsonPredicate.Column(n.name, t.get());
  }

  private static JsonPredicate literal(RawNode n) {
    if (!n.children.isEmpty()) {
      return unsupported(n, "a leaf must not have children");
    }
    if (n.value == null) {
      return unsupported(n, "missing 'value'");
    }
    Optional<ValueType> t = valueType(n);
    if (t.isEmpty()) {
      return new JsonPredicate.Unsupported(
          n.op, "literal '" + n.value + "': " + valueTypeProblem(n));
    }
    return new JsonPredicate.Literal(n.value, t.get());
  }

  private static Optional<ValueType> valueType(RawNode n) {
    return ValueType.fromWire(n.valueType);
  }

  private static String valueTypeProblem(RawNode n) {
    return n.valueType == null ? "missing 'valueType'" : "unknown valueType '" + n.valueType + "'";
  }

  private static JsonPredicate isNull(RawNode n) {
    if (n.children.size() != 1) {
      return unsupported(n, "expected exactly 1 child, got " + n.children.size());
    }
    JsonPredicate child = convert(n.children.get(0));
    if (child instanceof JsonPredicate.Unsupported u) {
      return unsupported(n, "invalid child: " + u.reason());
    }
    if (!(child instanceof JsonPredicate.Column)) {
      return unsupported(n, "the child must be a column, got '" + n.children.get(0).op + "'");
    }
    return new JsonPredicate.IsNull(child);
  }

  private static JsonPredicate not(RawNode n) {
    if (n.children.size() != 1) {
      return unsupported(n, "expected exactly 1 child, got " + n.children.size());
    }
    return new JsonPredicate.Not(convert(n.children.get(0)));
  }

  private static JsonPredicate junction(RawNode n) {
    if (n.children.size() < 2) {
      return unsupported(n, "expected at least 2 children, got " + n.children.size());
    }
    List<JsonPredicate> children = new ArrayList<>(n.children.size());
    for (RawNode c : n.children) {
      children.add(convert(c));
    }
    return n.op.equals("and") ? new JsonPredicate.And(children) : new JsonPredicate.Or(children);
  }

  private static JsonPredicate comparison(RawNode n, ComparisonOp op) {
    if (n.children.size() != 2) {
      return unsupported(n, "expected exactly 2 children, got " + n.children.size());
    }
    JsonPredicate[] sides = new JsonPredicate[2];
    ValueType[] types = new ValueType[2];
    for (int i = 0; i < 2; i++) {
      JsonPredicate c = convert(n.children.get(i));
      if (c instanceof JsonPredicate.Unsupported u) {
        return unsupported(n, "invalid child " + (i + 1) + ": " + u.reason());
      }
      if (c instanceof JsonPredicate.Column col) {
        types[i] = col.valueType();
      } else if (c instanceof JsonPredicate.Literal lit) {
        types[i] = lit.valueType();
      } else {
        return unsupported(
            n,
            "child "
                + (i + 1)
                + " must be a column or literal, got '"
                + n.children.get(i).op
                + "'");
      }
      sides[i] = c;
    }
    if (types[0] != types[1]) {
      return unsupported(
          n,
          "children have different valueTypes ("
              + types[0].wireName()
              + " and "
              + types[1].wireName()
              + ")");
    }
    return new JsonPredicate.Comparison(op, sides[0], sides[1]);
  }

  static String describe(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.name();
    };
  }
}
