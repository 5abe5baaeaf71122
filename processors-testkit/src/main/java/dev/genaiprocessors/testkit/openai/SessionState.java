package dev.genaiprocessors.testkit.openai;

import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The session of one connection, the full GA session object that {@code session.created} and
 * {@code session.updated} carry, and the rules of {@code session.update}. Engine thread only.
 */
final class SessionState {
  private static final Set<String> FORMATS = Set.of("audio/pcm", "audio/pcmu", "audio/pcma");
  private static final Set<String> TURN_DETECTION = Set.of("server_vad", "semantic_vad");

  private final ObjectNode session;

  /** Set once a response has sent audio: the voice is fixed from then on. */
  private boolean audioProduced;

  SessionState(String id, String model, long expiresAtEpochSeconds) {
    session = RealtimeWire.object();
    session.put("type", "realtime");
    session.put("object", "realtime.session");
    session.put("id", id);
    session.put("model", model);
    session.putArray("output_modalities").add("audio");
    session.put(
        "instructions",
        "Your knowledge cutoff is 2023-10. You are a helpful, witty, and friendly AI.");
    ObjectNode audio = session.putObject("audio");
    ObjectNode input = audio.putObject("input");
    input.set("format", pcm());
    input.putNull("transcription");
    input.putNull("noise_reduction");
    input.set("turn_detection", turnDetection("server_vad"));
    ObjectNode output = audio.putObject("output");
    output.set("format", pcm());
    output.put("voice", "alloy");
    output.put("speed", 1.0);
    session.putNull("include");
    session.putArray("tools");
    session.put("tool_choice", "auto");
    session.put("max_output_tokens", "inf");
    session.putNull("tracing");
    session.put("truncation", "auto");
    session.putNull("prompt");
    session.put("expires_at", expiresAtEpochSeconds);
  }

  /** The full session object; callers must not change it. */
  ObjectNode json() {
    return session;
  }

  void audioProduced() {
    audioProduced = true;
  }

  /** Bytes of output audio per millisecond in the session's output format. */
  int outputBytesPerMs() {
    return bytesPerMs(session.at("/audio/output/format/type").asString());
  }

  /** Bytes of input audio per millisecond in the session's input format. */
  int inputBytesPerMs() {
    return bytesPerMs(session.at("/audio/input/format/type").asString());
  }

  static int bytesPerMs(String formatType) {
    return "audio/pcm".equals(formatType)
        ? RealtimeWire.PCM_BYTES_PER_MS
        : RealtimeWire.G711_BYTES_PER_MS;
  }

  /** The turn detection object, or a null node when turns are manual. */
  JsonNode turnDetection() {
    return session.at("/audio/input/turn_detection");
  }

  String voice() {
    return session.at("/audio/output/voice").asString();
  }

  JsonNode outputModalities() {
    return session.get("output_modalities");
  }

  /**
   * Applies a {@code session.update}'s session: only the fields present change, {@code null} clears. Checks
   * before changing anything, so a refused update changes nothing.
   *
   * @throws ProtocolError what the server answers a bad update with
   */
  void apply(JsonNode update) {
    if (!update.isObject()) {
      throw ProtocolError.invalid(
          "invalid_type", "Invalid type for 'session': expected an object.", "session");
    }
    JsonNode type = update.get("type");
    if (type == null) {
      throw ProtocolError.missing("session.type");
    }
    if (!"realtime".equals(type.asString())) {
      throw ProtocolError.invalidValue(
          "session.type",
          type.asString(),
          "Supported values are: 'realtime' (this emulator does not serve transcription sessions).");
    }
    checkModalities(update.get("output_modalities"), "session.output_modalities");
    checkFormat(update.at("/audio/input/format"), "session.audio.input.format.type");
    checkFormat(update.at("/audio/output/format"), "session.audio.output.format.type");
    JsonNode turn = update.at("/audio/input/turn_detection");
    if (turn.isObject() && !TURN_DETECTION.contains(turn.path("type").asString())) {
      throw ProtocolError.invalidValue(
          "session.audio.input.turn_detection.type",
          turn.path("type").asString(),
          "Supported values are: 'server_vad' and 'semantic_vad'.");
    }
    JsonNode voice = update.at("/audio/output/voice");
    if (audioProduced && voice.isString() && !voice.asString().equals(voice())) {
      throw ProtocolError.invalid(
          "cannot_update_voice",
          "Cannot update a conversation's voice if assistant audio is present.",
          "session.audio.output.voice");
    }
    merge(session, (ObjectNode) update);
    if (turn.isObject()) {
      ObjectNode full = turnDetection(turn.get("type").asString());
      full.setAll((ObjectNode) turn);
      ((ObjectNode) session.at("/audio/input")).set("turn_detection", full);
    }
  }

  static void checkModalities(JsonNode modalities, String path) {
    if (modalities == null || modalities.isNull()) {
      return;
    }
    if (!modalities.isArray()
        || modalities.size() != 1
        || !Set.of("audio", "text").contains(modalities.get(0).asString())) {
      throw ProtocolError.invalidValue(
          path, modalities.toString(), "Supported combinations are: ['text'] and ['audio'].");
    }
  }

  private static void checkFormat(JsonNode format, String path) {
    if (!format.isObject()) {
      return;
    }
    String type = format.path("type").asString();
    if (!FORMATS.contains(type)) {
      throw ProtocolError.invalidValue(
          path, type, "Supported values are: 'audio/pcm', 'audio/pcmu' and 'audio/pcma'.");
    }
    JsonNode rate = format.get("rate");
    if (type.equals("audio/pcm") && rate != null && rate.asInt() != 24000) {
      throw ProtocolError.invalidValue(
          path.replace(".type", ".rate"), rate.asString(), "Supported values are: 24000.");
    }
  }

  /**
   * Objects merge field by field; anything else (arrays, scalars, null) replaces, and so does an audio format,
   * which is one choice ({@code {"type": "audio/pcmu"}} has no rate left over from PCM).
   */
  private static void merge(ObjectNode target, ObjectNode update) {
    for (Map.Entry<String, JsonNode> e : update.properties()) {
      JsonNode current = target.get(e.getKey());
      if (!e.getKey().equals("format")
          && current instanceof ObjectNode currentObject
          && e.getValue() instanceof ObjectNode updateObject) {
        merge(currentObject, updateObject);
      } else {
        target.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }

  private static ObjectNode pcm() {
    ObjectNode format = RealtimeWire.object();
    format.put("type", "audio/pcm");
    format.put("rate", 24000);
    return format;
  }

  private static ObjectNode turnDetection(String type) {
    ObjectNode t = RealtimeWire.object();
    t.put("type", type);
    if (type.equals("server_vad")) {
      t.put("threshold", 0.5);
      t.put("prefix_padding_ms", 300);
      t.put("silence_duration_ms", 200);
      t.putNull("idle_timeout_ms");
    } else {
      t.put("eagerness", "auto");
    }
    t.put("create_response", true);
    t.put("interrupt_response", true);
    return t;
  }
}
