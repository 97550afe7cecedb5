package io.lakeshare.protocol.predicate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** Writes a predicate tree as compact JSON with keys in a fixed order. */
final class PredicateWriter {
  private static final JsonFactory FACTORY = new JsonFactory();

  private PredicateWriter() {}

  static String toJson(JsonPredicate p) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(p, g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void write(JsonPredicate p, JsonGenerator g) throws IOException {
    if (p instanceof JsonPredicate.Column c) {
      g.writeStartObject();
      g.writeStringField("op", "column");
      g.writeStringField("name", c.name());
      g.writeStringField("valueType", c.valueType().wireName());
      g.writeEndObject();
    } else if (p instanceof JsonPredicate.Literal l) {
      g.writeStartObject();
      g.writeStringField("op", "literal");
      g.writeStringField("value", l.value());
      g.writeStringField("valueType", l.valueType().wireName());
      g.writeEndObject();
    } else if (p instanceof JsonPredicate.IsNull n) {
      writeNode("isNull", List.of(n.child()), g);
    } else if (p instanceof JsonPredicate.Not n) {
      writeNode("not", List.of(n.child()), g);
    } else if (p instanceof JsonPredicate.Comparison c) {
      writeNode(c.op().wireName(), List.of(c.left(), c.right()), g);
    } else if (p instanceof JsonPredicate.And a) {
      writeNode("and", a.children(), g);
    } else if (p instanceof JsonPredicate.Or o) {
      writeNode("or", o.children(), g);
    } else if (p instanceof JsonPredicate.Unsupported u) {
      throw new IllegalArgumentException(
          "An unsupported predicate node cannot be serialized: " + u.reason());
    } else {
      throw new IllegalArgumentException("Unknown predicate node: " + p);
    }
  }

  private static void writeNode(String op, List<JsonPredicate> children, JsonGenerator g)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("op", op);
    g.writeArrayFieldStart("children");
    for (JsonPredicate c : children) {
      write(c, g);
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
