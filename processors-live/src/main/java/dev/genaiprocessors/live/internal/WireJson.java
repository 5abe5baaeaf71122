package dev.genaiprocessors.live.internal;

import dev.genaiprocessors.live.MalformedResponseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** For internal use only. JSON reading and writing shared by the wire formats. */
public final class WireJson {

  /** The mapper of the wire formats; thread-safe. */
  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  private WireJson() {}

  /** The JSON text of a node. */
  public static String write(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }

  /**
   * Parses one event's data as a JSON object.
   *
   * @param redact removes secrets from the data quoted in the message
   * @throws MalformedResponseException when it is not a JSON object
   */
  public static ObjectNode parseObject(String data, String provider, UnaryOperator<String> redact)
      throws MalformedResponseException {
    JsonNode node;
    try {
      node = MAPPER.readTree(data);
    } catch (JacksonException e) {
      throw new MalformedResponseException(provider + " sent an event that is not JSON ("
          + e.getOriginalMessage() + "): " + StreamedCall.snippet(redact.apply(data)));
    }
    if (!(node instanceof ObjectNode object)) {
      throw new MalformedResponseException(provider + " sent an event that is not a JSON object: "
          + StreamedCall.snippet(redact.apply(data)));
    }
    return object;
  }

  /** Parses JSON, or returns null when the text is not JSON. */
  public static @Nullable JsonNode tryParse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JacksonException e) {
      return null;
    }
  }

  /** A JSON value as a part metadata value: maps, lists, strings, booleans, longs and doubles. */
  public static @Nullable Object toMetadata(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        Object v = toMetadata(e.getValue());
        if (v != null) {
          map.put(e.getKey(), v);
        }
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      for (JsonNode item : node) {
        Object v = toMetadata(item);
        if (v != null) {
          list.add(v);
        }
      }
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isString()) {
      return node.asString();
    }
    return null;
  }

  /** The text of a field when it is a non-empty string, else null. */
  public static @Nullable String text(@Nullable JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(field);
    return v != null && v.isString() && !v.asString().isEmpty() ? v.asString() : null;
  }
}
