package dev.genaiprocessors.testkit.gemini;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Proto3-JSON as the real server reads and writes it. */
final class EmulatorWire {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Fields whose values are the user's own JSON: their keys are not renamed. */
  private static final Set<String> OPAQUE =
      Set.of(
          "args",
          "response",
          "parameters",
          "parametersJsonSchema",
          "responseJsonSchema",
          "output",
          "error");

  private EmulatorWire() {}

  static JsonNode parse(String json) {
    return JSON.readTree(json);
  }

  /** The message with snake_case field names turned to lowerCamelCase, user JSON left alone. */
  static JsonNode normalize(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String key = camel(e.getKey());
        out.set(key, OPAQUE.contains(key) ? e.getValue().deepCopy() : normalize(e.getValue()));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      for (JsonNode item : node) {
        out.add(normalize(item));
      }
      return out;
    }
    return node.deepCopy();
  }

  /** {@code generationConfig} to {@code generation_config}, as the server's error paths name fields. */
  static String snake(String camel) {
    StringBuilder sb = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        sb.append('_').append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  static String camel(String name) {
    if (name.indexOf('_') < 0) {
      return name;
    }
    StringBuilder sb = new StringBuilder(name.length());
    boolean upper = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_') {
        upper = sb.length() > 0;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }

  /**
   * Standard or URL-safe base64, padded or not.
   *
   * @throws IllegalArgumentException when it is neither
   */
  static byte[] base64(String data) {
    try {
      return Base64.getDecoder().decode(data);
    } catch (IllegalArgumentException notStandard) {
      return Base64.getUrlDecoder().decode(data);
    }
  }

  /** Pretty-printed with a trailing newline, as the real frames look, or compact. */
  static String write(JsonNode message, boolean pretty) {
    return pretty
        ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(message) + "\n"
        : JSON.writeValueAsString(message);
  }

  /** {@code "50s"}, {@code "1.250s"}. */
  static String duration(Duration d) {
    if (d.getNano() == 0) {
      return d.getSeconds() + "s";
    }
    return d.getSeconds() + "." + String.format("%03d", d.toMillisPart()) + "s";
  }

  /** The text cut to at most 123 UTF-8 bytes, the limit of a close reason. */
  static String closeReason(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= 123) {
      return reason;
    }
    int end = 123;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  static boolean flag(JsonNode object, String field) {
    JsonNode value = object.get(field);
    return value != null
        && (value.isBoolean() ? value.booleanValue() : "true".equals(value.asString()));
  }

  static String text(JsonNode object, String field) {
    JsonNode value = object.get(field);
    return value != null && value.isString() ? value.stringValue() : "";
  }
}
