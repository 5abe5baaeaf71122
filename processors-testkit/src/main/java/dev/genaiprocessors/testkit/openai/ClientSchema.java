package dev.genaiprocessors.testkit.openai;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The fields of every GA client event, at every depth, as the real server knows them (from the protocol
 * reference, section 3.3): the emulator answers any other field with {@code Unknown parameter: '<path>'.}.
 * Scalars are not type-checked here; the values a field may take are checked where it is applied.
 */
final class ClientSchema {
  /** What a JSON value may hold. */
  private sealed interface Shape permits Fields, ArrayOf, Opaque {}

  /** An object with these fields; a non-object value (a string choice, null) passes. */
  private record Fields(Map<String, Shape> fields) implements Shape {}

  /** An array whose elements have this shape. */
  private record ArrayOf(Shape element) implements Shape {}

  /** The user's own JSON (tool parameters, metadata) or a scalar: anything passes. */
  private record Opaque() implements Shape {}

  private static final Shape ANY = new Opaque();
  private static final Shape FORMAT = fields("type", ANY, "rate", ANY);
  private static final Shape TOOL =
      fields(
          "type",
          ANY,
          "name",
          ANY,
          "description",
          ANY,
          "parameters",
          ANY,
          "server_label",
          ANY,
          "server_url",
          ANY,
          "server_description",
          ANY,
          "connector_id",
          ANY,
          "authorization",
          ANY,
          "headers",
          ANY,
          "allowed_tools",
          ANY,
          "require_approval",
          ANY);
  private static final Shape TOOL_CHOICE = fields("type", ANY, "name", ANY, "server_label", ANY);
  private static final Shape CONTENT =
      fields(
          "type",
          ANY,
          "text",
          ANY,
          "audio",
          ANY,
          "transcript",
          ANY,
          "image_url",
          ANY,
          "detail",
          ANY);
  private static final Shape ITEM =
      fields(
          "id",
          ANY,
          "type",
          ANY,
          "object",
          ANY,
          "status",
          ANY,
          "role",
          ANY,
          "content",
          new ArrayOf(CONTENT),
          "call_id",
          ANY,
          "name",
          ANY,
          "arguments",
          ANY,
          "output",
          ANY);
  private static final Shape SESSION =
      fields(
          "type",
          ANY,
          "model",
          ANY,
          "output_modalities",
          ANY,
          "instructions",
          ANY,
          "audio",
          fields(
              "input",
                  fields(
                      "format",
                      FORMAT,
                      "transcription",
                      fields("model", ANY, "language", ANY, "prompt", ANY),
                      "noise_reduction",
                      fields("type", ANY),
                      "turn_detection",
                      fields(
                          "type",
                          ANY,
                          "threshold",
                          ANY,
                          "prefix_padding_ms",
                          ANY,
                          "silence_duration_ms",
                          ANY,
                          "idle_timeout_ms",
                          ANY,
                          "create_response",
                          ANY,
                          "interrupt_response",
                          ANY,
                          "eagerness",
                          ANY)),
              "output", fields("format", FORMAT, "voice", ANY, "speed", ANY)),
          "include",
          ANY,
          "tracing",
          fields("workflow_name", ANY, "group_id", ANY, "metadata", ANY),
          "tools",
          new ArrayOf(TOOL),
          "tool_choice",
          TOOL_CHOICE,
          "max_output_tokens",
          ANY,
          "truncation",
          fields(
              "type",
              ANY,
              "retention_ratio",
              ANY,
              "token_limits",
              fields("post_instructions", ANY)),
          "prompt",
          fields("id", ANY, "version", ANY, "variables", ANY),
          "reasoning",
          fields("effort", ANY),
          "parallel_tool_calls",
          ANY);
  private static final Shape RESPONSE =
      fields(
          "conversation",
          ANY,
          "output_modalities",
          ANY,
          "instructions",
          ANY,
          "metadata",
          ANY,
          "input",
          new ArrayOf(ITEM),
          "tools",
          new ArrayOf(TOOL),
          "tool_choice",
          TOOL_CHOICE,
          "max_output_tokens",
          ANY,
          "audio",
          fields("output", fields("format", FORMAT, "voice", ANY)),
          "prompt",
          fields("id", ANY, "version", ANY, "variables", ANY));

  /** Every client event type, with the fields beside {@code type} and {@code event_id}. */
  static final Map<String, Map<String, Shape>> EVENTS =
      Map.ofEntries(
          Map.entry("session.update", Map.of("session", SESSION)),
          Map.entry("input_audio_buffer.append", Map.of("audio", ANY)),
          Map.entry("input_audio_buffer.commit", Map.of()),
          Map.entry("input_audio_buffer.clear", Map.of()),
          Map.entry("conversation.item.create", Map.of("previous_item_id", ANY, "item", ITEM)),
          Map.entry("conversation.item.retrieve", Map.of("item_id", ANY)),
          Map.entry("conversation.item.delete", Map.of("item_id", ANY)),
          Map.entry(
              "conversation.item.truncate",
              Map.of("item_id", ANY, "content_index", ANY, "audio_end_ms", ANY)),
          Map.entry("response.create", Map.of("response", RESPONSE)),
          Map.entry("response.cancel", Map.of("response_id", ANY)),
          Map.entry("output_audio_buffer.clear", Map.of()));

  /** The client event types, for {@link Step} validation and the unknown-type error. */
  static final Set<String> TYPES = EVENTS.keySet();

  private ClientSchema() {}

  /**
   * The path of the first field the server does not know ({@code session.audio.output.bogus},
   * {@code session.tools[0].strict}), or null when every field is known. The event's type must be known.
   */
  static @Nullable String unknownField(String type, JsonNode event) {
    Map<String, Shape> top = new LinkedHashMap<>(EVENTS.get(type));
    top.put("type", ANY);
    top.put("event_id", ANY);
    return unknown(new Fields(top), event, "");
  }

  private static @Nullable String unknown(Shape shape, JsonNode value, String path) {
    if (shape instanceof Fields f && value.isObject()) {
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        Shape s = f.fields().get(e.getKey());
        if (s == null) {
          return child;
        }
        String found = unknown(s, e.getValue(), child);
        if (found != null) {
          return found;
        }
      }
    } else if (shape instanceof ArrayOf a && value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        String found = unknown(a.element(), value.get(i), path + "[" + i + "]");
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static Shape fields(Object... namesAndShapes) {
    Map<String, Shape> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndShapes.length; i += 2) {
      map.put((String) namesAndShapes[i], (Shape) namesAndShapes[i + 1]);
    }
    return new Fields(map);
  }
}
