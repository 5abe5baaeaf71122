package dev.genaiprocessors.testkit.openai;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The default conversation of one connection: its items in order, without audio bytes (only their durations).
 * Engine thread only.
 *
 * <p>Bounded: at most {@link #MAX_ITEMS} items; beyond that the oldest item is forgotten (the real server also
 * drops the oldest context), so an hour-long session stays in flat memory.
 */
final class Conversation {
  static final int MAX_ITEMS = 4096;
  private static final Set<String> ITEM_TYPES =
      Set.of("message", "function_call", "function_call_output");
  private static final Set<String> ROLES = Set.of("user", "assistant", "system");

  /** Item ids in conversation order; bounded by {@link #MAX_ITEMS}, oldest dropped. */
  private final List<String> order = new ArrayList<>();

  private final Map<String, ObjectNode> items = new HashMap<>();

  /** Milliseconds of audio of each item's audio content at index 0. */
  private final Map<String, Long> audioMs = new HashMap<>();

  private final Ids ids;

  Conversation(Ids ids) {
    this.ids = ids;
  }

  /** The id of the last item, or null when empty. */
  @Nullable String lastId() {
    return order.isEmpty() ? null : order.get(order.size() - 1);
  }

  @Nullable ObjectNode get(String id) {
    return items.get(id);
  }

  /**
   * Checks a client's item and returns it as the server stores it: an id, {@code object}, {@code status}
   * completed, audio bytes replaced by their duration.
   *
   * @throws ProtocolError when the item is not valid
   */
  ObjectNode accept(JsonNode item, String path, int inputBytesPerMs) {
    if (!item.isObject()) {
      throw ProtocolError.invalid(
          "invalid_type", "Invalid type for '" + path + "': expected an object.", path);
    }
    String type = RealtimeWire.text(item, "type");
    if (type == null) {
      throw ProtocolError.missing(path + ".type");
    }
    if (!ITEM_TYPES.contains(type)) {
      throw ProtocolError.invalidValue(
          path + ".type",
          type,
          "Supported values are: 'message', 'function_call' and 'function_call_output'.");
    }
    ObjectNode stored = RealtimeWire.object();
    String id = RealtimeWire.text(item, "id");
    if (id != null && items.containsKey(id)) {
      throw ProtocolError.invalid(
          "item_id_already_exists",
          "Item with item_id '" + id + "' already exists in the conversation.",
          path + ".id");
    }
    stored.put("id", id != null ? id : ids.next("item"));
    stored.put("type", type);
    stored.put("object", "realtime.item");
    stored.put("status", "completed");
    long ms = 0;
    if (type.equals("message")) {
      String role = RealtimeWire.text(item, "role");
      if (role == null || !ROLES.contains(role)) {
        throw ProtocolError.invalidValue(
            path + ".role",
            String.valueOf(role),
            "Supported values are: 'user', 'assistant' and 'system'.");
      }
      stored.put("role", role);
      ArrayNode content = stored.putArray("content");
      for (JsonNode part : item.path("content")) {
        ObjectNode copy = (ObjectNode) part.deepCopy();
        JsonNode audio = copy.remove("audio");
        if (audio != null && audio.isString()) {
          try {
            ms += RealtimeWire.unbase64(audio.stringValue()).length / inputBytesPerMs;
          } catch (IllegalArgumentException e) {
            throw ProtocolError.invalid(
                "invalid_value",
                "Invalid 'audio': expected base64-encoded audio.",
                path + ".content.audio");
          }
          if (!copy.has("transcript")) {
            copy.putNull("transcript");
          }
        }
        content.add(copy);
      }
    } else if (type.equals("function_call_output")) {
      requireString(item, "call_id", path);
      requireString(item, "output", path);
      stored.put("call_id", item.get("call_id").stringValue());
      stored.put("output", item.get("output").stringValue());
    } else {
      requireString(item, "call_id", path);
      requireString(item, "name", path);
      stored.put("call_id", item.get("call_id").stringValue());
      stored.put("name", item.get("name").stringValue());
      stored.put("arguments", item.path("arguments").asString(""));
    }
    if (ms > 0) {
      audioMs.put(stored.get("id").asString(), ms);
    }
    return stored;
  }

  private static void requireString(JsonNode item, String field, String path) {
    if (!item.path(field).isString()) {
      throw ProtocolError.missing(path + "." + field);
    }
  }

  /**
   * Inserts an item after {@code previousId} ({@code "root"}: first; null: last).
   *
   * @return the id of the item before it, or null when it is first
   * @throws ProtocolError when the previous item does not exist
   */
  @Nullable String insert(ObjectNode item, @Nullable String previousId) {
    int at;
    if (previousId == null) {
      at = order.size();
    } else if (previousId.equals("root")) {
      at = 0;
    } else {
      int index = order.indexOf(previousId);
      if (index < 0) {
        throw ProtocolError.invalid(
            "invalid_value",
            "Previous item with id '" + previousId + "' not found in the conversation.",
            "previous_item_id");
      }
      at = index + 1;
    }
    String id = item.get("id").asString();
    order.add(at, id);
    items.put(id, item);
    if (order.size() > MAX_ITEMS) {
      String oldest = order.remove(0);
      items.remove(oldest);
      audioMs.remove(oldest);
    }
    return at == 0 ? null : order.get(at - 1);
  }

  /** Appends an item the server made, with this much audio. */
  @Nullable String append(ObjectNode item, long ms) {
    if (ms > 0) {
      audioMs.put(item.get("id").asString(), ms);
    }
    return insert(item, null);
  }

  /** @throws ProtocolError when there is no such item */
  void delete(String id) {
    if (items.remove(id) == null) {
      throw ProtocolError.invalid(
          "item_delete_invalid_item_id",
          "Error deleting item: the item with id '" + id + "' does not exist.",
          "item_id");
    }
    order.remove(id);
    audioMs.remove(id);
  }

  /**
   * Truncates an assistant audio item to {@code audioEndMs}; its transcript is dropped, as the server does.
   *
   * @throws ProtocolError when the item is missing, is no assistant audio, or is shorter than that
   */
  void truncate(String id, int contentIndex, long audioEndMs) {
    ObjectNode item = items.get(id);
    if (item == null) {
      throw ProtocolError.invalid(
          "item_truncate_invalid_item_id",
          "Error truncating item: the item with id '" + id + "' does not exist.",
          "item_id");
    }
    JsonNode part = item.path("content").path(contentIndex);
    if (!"assistant".equals(item.path("role").asString())
        || !"output_audio".equals(part.path("type").asString())) {
      throw ProtocolError.invalid(
          "invalid_value",
          "Only assistant messages with audio content at content_index "
              + contentIndex
              + " can be truncated.",
          "content_index");
    }
    if (audioEndMs < 0) {
      throw ProtocolError.invalid(
          "invalid_value", "Invalid 'audio_end_ms': must not be negative.", "audio_end_ms");
    }
    long duration = audioMs.getOrDefault(id, 0L);
    if (audioEndMs > duration) {
      throw ProtocolError.invalid(
          "invalid_value",
          "Audio content of " + duration + "ms is already shorter than " + audioEndMs + "ms",
          "audio_end_ms");
    }
    audioMs.put(id, audioEndMs);
    ((ObjectNode) part).put("transcript", "");
  }

  int size() {
    return order.size();
  }

  /** Makes ids: {@code <prefix>_<n>}, counting per connection. */
  static final class Ids {
    private long next;

    String next(String prefix) {
      return prefix + "_" + (++next);
    }
  }
}
