package dev.genaiprocessors.testkit.openai;

import java.util.Base64;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** JSON trees as the Realtime server reads and writes them: snake_case, one event per text frame. */
final class RealtimeWire {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** PCM16 mono at 24 kHz: 48 bytes per millisecond. */
  static final int PCM_BYTES_PER_MS = 48;

  /** G.711 at 8 kHz: 8 bytes per millisecond. */
  static final int G711_BYTES_PER_MS = 8;

  private RealtimeWire() {}

  static JsonNode parse(String json) {
    return JSON.readTree(json);
  }

  static String write(JsonNode event) {
    return JSON.writeValueAsString(event);
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }

  /** A server event of this type with its id: {@code {"type": type, "event_id": eventId}}. */
  static ObjectNode event(String type, String eventId) {
    ObjectNode e = object();
    e.put("type", type);
    e.put("event_id", eventId);
    return e;
  }

  /**
   * The {@code error} event body: {@code {"type", "code", "message", "param", "event_id"}}, the client's event id
   * echoed when it sent one.
   */
  static ObjectNode error(
      String type,
      @Nullable String code,
      String message,
      @Nullable String param,
      @Nullable String clientEventId) {
    ObjectNode error = object();
    error.put("type", type);
    putNullable(error, "code", code);
    error.put("message", message);
    putNullable(error, "param", param);
    putNullable(error, "event_id", clientEventId);
    return error;
  }

  static void putNullable(ObjectNode node, String field, @Nullable String value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  static String base64(byte[] data) {
    return Base64.getEncoder().encodeToString(data);
  }

  /** @throws IllegalArgumentException when the text is not standard base64 */
  static byte[] unbase64(String data) {
    return Base64.getDecoder().decode(data);
  }

  /** The string at this field, or null when it is absent or not a string. */
  static @Nullable String text(JsonNode object, String field) {
    JsonNode value = object.get(field);
    return value != null && value.isString() ? value.stringValue() : null;
  }
}
