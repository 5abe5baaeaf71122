package dev.genaiprocessors.client.internal;

import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelProtocolException;
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
  /**
   * The error of an answer that breaks the wire format, for the model clients.
   *
   * @param provider who answered, such as {@code Gemini}; empty when the caller does not know (the streamed
   *     call fills it in)
   * @param message what was wrong, free of secrets
   * @return the error, a {@link ModelException.Kind#PROTOCOL} one
   */
  public static ModelProtocolException malformed(String provider, String message) {
    return malformed(provider, message, null);
  }

  /**
   * The error of an answer that breaks the wire format, for the model clients.
   *
   * @param provider who answered, such as {@code Gemini}; empty when the caller does not know (the streamed
   *     call fills it in)
   * @param message what was wrong, free of secrets
   * @param cause the parser's error, or null
   * @return the error, a {@link ModelException.Kind#PROTOCOL} one
   */
  public static ModelProtocolException malformed(
      String provider, String message, @Nullable Throwable cause) {
    return (ModelProtocolException)
        ModelException.builder(ModelException.Kind.PROTOCOL, provider, message)
            .cause(cause)
            .build();
  }

  /**
   * Writes JSON compactly, with the shared mapper.
   *
   * @param node the value to write
   * @return the JSON text, on one line
   */
  public static String write(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }

  /**
   * Parses one event's data as a JSON object.
   *
   * @param data the event's data
   * @param provider the provider's name, for the message
   * @param redact removes secrets from the message: the data quoted, and the parser's own message, which
   *     can quote a token of the data (a key echoed alone is one token)
   * @return the parsed object
   * @throws ModelProtocolException when it is not a JSON object
   */
  public static ObjectNode parseObject(String data, String provider, UnaryOperator<String> redact)
      throws ModelProtocolException {
    JsonNode node;
    try {
      node = MAPPER.readTree(data);
    } catch (JacksonException e) {
      throw malformed(
          provider,
          redact.apply(
              provider
                  + " sent an event that is not JSON ("
                  + StreamedCall.snippet(String.valueOf(e.getOriginalMessage()))
                  + "): "
                  + StreamedCall.snippet(redact.apply(data))));
    }
    if (!(node instanceof ObjectNode object)) {
      throw malformed(
          provider,
          provider
              + " sent an event that is not a JSON object: "
              + StreamedCall.snippet(redact.apply(data)));
    }
    return object;
  }

  /**
   * Parses JSON, or returns null when the text is not JSON.
   *
   * @param text any text
   * @return the parsed JSON value, or null when the text does not parse
   */
  public static @Nullable JsonNode tryParse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JacksonException e) {
      return null;
    }
  }

  /**
   * A JSON value as a part metadata value: maps, lists, strings, booleans, longs and doubles; JSON
   * {@code null} members and items are left out.
   *
   * <p>The shape is checked, not trusted: an integer outside the range of a {@code long} (a usage count
   * of 2^63 or more) and a number that is not finite ({@code 1e400} reads as infinity) are refused,
   * since a part's metadata could not hold them exactly. Nesting is bounded by the parser (Jackson's
   * default of 500 levels).
   *
   * @param node the JSON value to convert
   * @param where what the value is, for the message: {@code "Gemini usageMetadata"}
   * @return the value as maps, lists, strings, booleans, longs and doubles; null for JSON {@code null}
   * @throws ModelProtocolException naming the path of the first value that cannot be held
   */
  public static @Nullable Object toMetadata(JsonNode node, String where)
      throws ModelProtocolException {
    return toMetadata(node, where, "");
  }

  private static @Nullable Object toMetadata(JsonNode node, String where, String path)
      throws ModelProtocolException {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        Object v = toMetadata(e.getValue(), where, path + "." + e.getKey());
        if (v != null) {
          map.put(e.getKey(), v);
        }
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      int i = 0;
      for (JsonNode item : node) {
        Object v = toMetadata(item, where, path + "[" + i++ + "]");
        if (v != null) {
          list.add(v);
        }
      }
      return list;
    }
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) {
        throw malformed(
            "",
            where
                + " holds an integer outside the 64-bit range at '"
                + (path.isEmpty() ? "." : path)
                + "': "
                + StreamedCall.snippet(node.toString()));
      }
      return node.longValue();
    }
    if (node.isNumber()) {
      double d = node.doubleValue();
      if (!Double.isFinite(d)) {
        throw malformed(
            "",
            where
                + " holds a number that is not finite at '"
                + (path.isEmpty() ? "." : path)
                + "' ("
                + StreamedCall.snippet(node.toString())
                + ")");
      }
      return d;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isString()) {
      return node.stringValue();
    }
    return null;
  }

  /**
   * The value of a field when it is an integer that fits in an {@code int}, else the fallback (absent,
   * null, another type, or out of range: never an exception).
   *
   * @param node the object to read from, or null
   * @param field the field's name
   * @param fallback the value to return when the field is not an {@code int}
   * @return the field's value or {@code fallback}
   */
  public static int intOr(@Nullable JsonNode node, String field, int fallback) {
    if (node == null) {
      return fallback;
    }
    JsonNode v = node.get(field);
    return v != null && v.isIntegralNumber() && v.canConvertToInt() ? v.intValue() : fallback;
  }

  /**
   * The value of a field when it is a JSON boolean, else the fallback (never an exception).
   *
   * @param node the object to read from, or null
   * @param field the field's name
   * @param fallback the value to return when the field is not a boolean
   * @return the field's value or {@code fallback}
   */
  public static boolean booleanOr(@Nullable JsonNode node, String field, boolean fallback) {
    if (node == null) {
      return fallback;
    }
    JsonNode v = node.get(field);
    return v != null && v.isBoolean() ? v.booleanValue() : fallback;
  }

  /**
   * The value of a field when it is a string (empty included), else the fallback (never an exception).
   *
   * @param node the object to read from, or null
   * @param field the field's name
   * @param fallback the value to return when the field is not a string
   * @return the field's value or {@code fallback}
   */
  public static String stringOr(@Nullable JsonNode node, String field, String fallback) {
    if (node == null) {
      return fallback;
    }
    JsonNode v = node.get(field);
    return v != null && v.isString() ? v.stringValue() : fallback;
  }

  /**
   * The text of a field when it is a non-empty string, else null.
   *
   * @param node the object to read from, or null
   * @param field the field's name
   * @return the field's text, or null when the field is absent, not a string, or empty
   */
  public static @Nullable String text(@Nullable JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(field);
    return v != null && v.isString() && !v.stringValue().isEmpty() ? v.stringValue() : null;
  }
}
