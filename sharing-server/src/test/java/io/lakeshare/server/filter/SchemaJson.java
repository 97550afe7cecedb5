package io.lakeshare.server.filter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds Spark JSON schema strings for tests. */
final class SchemaJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final ObjectNode root = MAPPER.createObjectNode().put("type", "struct");
  private final ArrayNode fields = root.putArray("fields");

  SchemaJson field(String name, String type) {
    fields
        .addObject()
        .put("name", name)
        .put("type", type)
        .put("nullable", true)
        .putObject("metadata");
    return this;
  }

  SchemaJson field(String name, String type, String metadataKey, String metadataValue) {
    fields
        .addObject()
        .put("name", name)
        .put("type", type)
        .put("nullable", true)
        .putObject("metadata")
        .put(metadataKey, metadataValue);
    return this;
  }

  SchemaJson structField(String name) {
    ObjectNode f = fields.addObject().put("name", name).put("nullable", true);
    ObjectNode t = f.putObject("type").put("type", "struct");
    t.putArray("fields").addObject().put("name", "inner").put("type", "integer");
    f.putObject("metadata");
    return this;
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
