package io.lakeshare.protocol.predicate;

import java.util.List;
import java.util.Objects;

/**
 * A node of the JSON predicate tree sent as {@code jsonPredicateHints} (CONFORMANCE §4.2).
 *
 * <p>Parsing is lenient below the root: a subtree that is not valid (unknown op, unknown type,
 * wrong number of children, mismatched comparison types) becomes an {@link Unsupported} node that
 * carries the reason, so that evaluators can treat it as "maybe" while the rest of the tree still
 * prunes.
 */
public sealed interface JsonPredicate {

  /** {@code {"op":"column","name":...,"valueType":...}}. */
  record Column(String name, ValueType valueType) implements JsonPredicate {
    public Column {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(valueType, "valueType");
    }
  }

  /** {@code {"op":"literal","value":...,"valueType":...}}; the value is always a string. */
  record Literal(String value, ValueType valueType) implements JsonPredicate {
    public Literal {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(valueType, "valueType");
    }
  }

  /** {@code isNull} with exactly one child. */
  record IsNull(JsonPredicate child) implements JsonPredicate {
    public IsNull {
      Objects.requireNonNull(child, "child");
    }
  }

  /** {@code not} with exactly one child. */
  record Not(JsonPredicate child) implements JsonPredicate {
    public Not {
      Objects.requireNonNull(child, "child");
    }
  }

  /** A binary comparison between two leaves. */
  record Comparison(ComparisonOp op, JsonPredicate left, JsonPredicate right)
      implements JsonPredicate {
    public Comparison {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }
  }

  /** {@code and} with two or more children. */
  record And(List<JsonPredicate> children) implements JsonPredicate {
    public And {
      children = List.copyOf(children);
    }
  }

  /** {@code or} with two or more children. */
  record Or(List<JsonPredicate> children) implements JsonPredicate {
    public Or {
      children = List.copyOf(children);
    }
  }

  /**
   * A subtree that could not be understood. {@code op} is the raw op text (may be {@code null}),
   * {@code reason} says why, in words fit for an error message.
   */
  record Unsupported(String op, String reason) implements JsonPredicate {}
}
