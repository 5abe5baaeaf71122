package dev.genaiprocessors.testkit.openai;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import reactor.util.concurrent.Queues;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One connection: the server side of the protocol. Every method but {@link #afterSending} runs on the emulator's
 * single engine thread, so the state here is not shared.
 */
final class RealtimeConnection {
  private static final Logger log = LoggerFactory.getLogger(RealtimeConnection.class);

  /**
   * Server events queued for the socket. Bounded: a client that leaves this many unread is treated as dead and
   * its connection dropped (logged), as a real server drops a consumer that does not keep up.
   */
  static final int MAX_QUEUED_EVENTS = 8192;

  /** The largest {@code input_audio_buffer.append}: 15 MiB of audio. */
  static final int MAX_APPEND_BYTES = 15 * 1024 * 1024;

  /** What to do once the queued events are written. */
  private record Ending(int code, String reason, boolean drop) {}

  final int id;
  final Conversation.Ids ids = new Conversation.Ids();
  final Conversation conversation = new Conversation(ids);
  SessionState session;
  final OpenAiRealtimeEmulator server;
  private final WebsocketInbound in;
  private final WebsocketOutbound out;

  /** Single producer (the engine thread), single consumer (the socket); see {@link #MAX_QUEUED_EVENTS}. */
  final Sinks.Many<String> frames =
      Sinks.many().unicast().onBackpressureBuffer(Queues.<String>get(MAX_QUEUED_EVENTS).get());

  final Sinks.Empty<Void> ended = Sinks.empty();
  private volatile @Nullable Ending ending;
  boolean closing;
  private long eventCount;
  final String conversationId;

  /** Bytes in the input audio buffer (the bytes themselves are not kept). */
  private long bufferedBytes;

  /** Milliseconds of input audio appended since the connection opened, and before the last append. */
  long appendedMs;

  long lastAppendStartMs;
  @Nullable String speakingItemId;
  @Nullable String lastUserAudioItemId;
  long lastUserAudioMs;

  /** Active responses in creation order (bounded by the client's own requests: one default and its out-of-band ones). */
  final Map<String, ResponseRun> active = new LinkedHashMap<>();

  @Nullable ResponseRun defaultActive;

  /** Plays the scripted actions. */
  private final ScriptedActions actions = new ScriptedActions(this);

  private @Nullable Disposable expiry;

  RealtimeConnection(
      OpenAiRealtimeEmulator server, int id, WebsocketInbound in, WebsocketOutbound out) {
    this.server = server;
    this.id = id;
    this.in = in;
    this.out = out;
    this.conversationId = "conv_" + id;
    this.session = new SessionState("sess_" + id, "", 0);
  }

  // ---------------------------------------------------------------- socket side (event loop)

  /** After every queued event is written: the close or drop asked for. */
  Mono<Void> afterSending() {
    Ending e = ending;
    if (e == null) {
      return Mono.empty();
    }
    if (e.drop()) {
      return Mono.fromRunnable(() -> in.withConnection(c -> c.channel().close()));
    }
    return out.sendClose(e.code(), e.reason());
  }

  // ---------------------------------------------------------------- engine side

  /** The upgrade was accepted: refuse it as the real server does, or start the session. */
  void opened(
      OpenAiRealtimeEmulator.Admission admission,
      @Nullable String model,
      Duration sessionDuration,
      long nowEpochSeconds) {
    switch (admission) {
      case BETA_HEADER -> close(4000, "beta_api_shape_disabled");
      case MISSING_KEY ->
          refuse(
              "invalid_request_error",
              null,
              "You didn't provide an API key. You need to provide "
                  + "your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
              "invalid_request_error.missing_api_key");
      case WRONG_KEY ->
          refuse(
              "invalid_request_error",
              "invalid_api_key",
              "Incorrect API key provided. You can find "
                  + "your API key at https://platform.openai.com/account/api-keys.",
              "invalid_request_error.invalid_api_key");
      case MISSING_MODEL ->
          refuse(
              "invalid_request_error",
              "missing_required_parameter",
              "Missing required parameter: 'model'.",
              "invalid_request_error.missing_required_parameter");
      case UNKNOWN_MODEL ->
          refuse(
              "invalid_request_error",
              "model_not_found",
              "The model '" + model + "' does not exist or you do not have access to it.",
              "invalid_request_error.model_not_found");
      case ACCEPTED -> {
        session =
            new SessionState(
                "sess_" + id,
                model == null ? "" : model,
                nowEpochSeconds + sessionDuration.toSeconds());
        // the timer starts before session.created leaves, so a client's clock never runs ahead of
        // it
        expiry = server.schedule(() -> expire(sessionDuration), sessionDuration);
        ObjectNode created = event("session.created");
        created.set("session", session.json().deepCopy());
        send(created);
      }
    }
  }

  private void refuse(String type, @Nullable String code, String message, String closeReason) {
    ObjectNode e = event("error");
    e.set("error", RealtimeWire.error(type, code, message, null, null));
    send(e);
    close(3000, closeReason);
  }

  private void expire(Duration duration) {
    long minutes = duration.toMinutes();
    long seconds = duration.toSeconds();
    String length =
        duration.equals(Duration.ofMinutes(minutes))
            ? minutes + (minutes == 1 ? " minute" : " minutes")
            : seconds + (seconds == 1 ? " second" : " seconds");
    ObjectNode e = event("error");
    e.set(
        "error",
        RealtimeWire.error(
            "invalid_request_error",
            "session_expired",
            "Your session hit the maximum duration of " + length + ".",
            null,
            null));
    send(e);
    close(1001, "");
  }

  void inboundEnded() {
    closing = true;
    if (expiry != null) {
      expiry.dispose();
    }
    actions.clear();
    frames.tryEmitComplete();
    ended.tryEmitEmpty();
  }

  void inbound(String text) {
    if (closing) {
      return;
    }
    JsonNode json;
    try {
      json = RealtimeWire.parse(text);
    } catch (JacksonException e) {
      server.record(new ClientMessage(id, "", RealtimeWire.NODES.stringNode(text)));
      sendError(
          ProtocolError.invalid("invalid_json", "Invalid JSON: " + e.getOriginalMessage(), null),
          null);
      return;
    }
    String type = json.isObject() ? RealtimeWire.text(json, "type") : null;
    ClientMessage message = new ClientMessage(id, type == null ? "" : type, json);
    server.record(message);
    String eventId = json.isObject() ? RealtimeWire.text(json, "event_id") : null;
    try {
      if (type == null) {
        throw ProtocolError.missing("type");
      }
      if (!ClientSchema.TYPES.contains(type)) {
        throw ProtocolError.invalidValue(
            "type", type, "Supported values are: " + String.join(", ", ClientSchema.TYPES) + ".");
      }
      String unknown = ClientSchema.unknownField(type, json);
      if (unknown != null) {
        throw ProtocolError.unknownParameter(unknown);
      }
      ResponseRun requested = handle(type, json);
      List<Action> step = server.stepFor(message);
      if (step != null) {
        actions.play(step, requested);
      }
    } catch (ProtocolError e) {
      sendError(e, eventId);
    }
  }

  /** Applies an accepted event; returns the response a {@code response.create} asked for. */
  private @Nullable ResponseRun handle(String type, JsonNode json) {
    switch (type) {
      case "session.update" -> {
        if (!json.has("session")) {
          throw ProtocolError.missing("session");
        }
        session.apply(json.get("session"));
        ObjectNode updated = event("session.updated");
        updated.set("session", session.json().deepCopy());
        send(updated);
      }
      case "input_audio_buffer.append" -> append(json);
      case "input_audio_buffer.commit" -> {
        long ms = bufferedBytes / session.inputBytesPerMs();
        if (ms < 100) {
          throw ProtocolError.invalid(
              "input_audio_buffer_commit_empty",
              "Error committing input audio buffer: "
                  + "buffer too small. Expected at least 100ms of audio, but buffer only has "
                  + ms
                  + ".00ms of audio.",
              null);
        }
        commit(ids.next("item"));
      }
      case "input_audio_buffer.clear" -> {
        bufferedBytes = 0;
        send(event("input_audio_buffer.cleared"));
      }
      case "conversation.item.create" -> {
        ObjectNode item = conversation.accept(json.path("item"), "item", session.inputBytesPerMs());
        String previous = conversation.insert(item, RealtimeWire.text(json, "previous_item_id"));
        itemAddedAndDone(item, previous);
      }
      case "conversation.item.retrieve" -> {
        String itemId = requiredText(json, "item_id");
        ObjectNode item = conversation.get(itemId);
        if (item == null) {
          throw ProtocolError.invalid(
              "item_retrieve_invalid_item_id",
              "Error retrieving item: the item with id '" + itemId + "' does not exist.",
              "item_id");
        }
        ObjectNode e = event("conversation.item.retrieved");
        e.set("item", item.deepCopy());
        send(e);
      }
      case "conversation.item.delete" -> {
        String itemId = requiredText(json, "item_id");
        conversation.delete(itemId);
        send(event("conversation.item.deleted").put("item_id", itemId));
      }
      case "conversation.item.truncate" -> {
        String itemId = requiredText(json, "item_id");
        int contentIndex = json.path("content_index").asInt(0);
        if (!json.path("audio_end_ms").isNumber()) {
          throw ProtocolError.missing("audio_end_ms");
        }
        long end = json.get("audio_end_ms").asLong();
        conversation.truncate(itemId, contentIndex, end);
        send(
            event("conversation.item.truncated")
                .put("item_id", itemId)
                .put("content_index", contentIndex)
                .put("audio_end_ms", end));
      }
      case "response.create" -> {
        return requestResponse(json.path("response"));
      }
      case "response.cancel" -> {
        String responseId = RealtimeWire.text(json, "response_id");
        ResponseRun run =
            responseId != null
                ? active.get(responseId)
                : defaultActive != null
                    ? defaultActive
                    : active.values().stream().reduce((a, b) -> b).orElse(null);
        if (run == null) {
          throw ProtocolError.invalid(
              "response_cancel_not_active", "Cancellation failed: no active response found.", null);
        }
        finish(run, "cancelled", "client_cancelled");
      }
      case "output_audio_buffer.clear" ->
          throw ProtocolError.invalid(
              "invalid_value",
              "output_audio_buffer.clear is only supported for WebRTC and SIP connections.",
              "type");
      default -> throw new IllegalStateException("unreachable: " + type);
    }
    return null;
  }

  private static String requiredText(JsonNode json, String field) {
    String value = RealtimeWire.text(json, field);
    if (value == null) {
      throw ProtocolError.missing(field);
    }
    return value;
  }

  private void append(JsonNode json) {
    String audio = requiredText(json, "audio");
    byte[] bytes;
    try {
      bytes = RealtimeWire.unbase64(audio);
    } catch (IllegalArgumentException e) {
      throw ProtocolError.invalid(
          "invalid_value", "Invalid 'audio'. Expected base64-encoded audio bytes.", "audio");
    }
    if (bytes.length > MAX_APPEND_BYTES) {
      throw ProtocolError.invalid(
          "invalid_value", "Invalid 'audio': at most 15 MiB per append.", "audio");
    }
    bufferedBytes += bytes.length;
    lastAppendStartMs = appendedMs;
    appendedMs += bytes.length / session.inputBytesPerMs();
  }

  /** The input buffer becomes a user audio item. */
  void commit(String itemId) {
    ObjectNode item = RealtimeWire.object();
    item.put("id", itemId);
    item.put("type", "message");
    item.put("object", "realtime.item");
    item.put("status", "completed");
    item.put("role", "user");
    item.putArray("content").addObject().put("type", "input_audio").putNull("transcript");
    long ms = bufferedBytes / session.inputBytesPerMs();
    bufferedBytes = 0;
    String previous = conversation.append(item, ms);
    ObjectNode committed = event("input_audio_buffer.committed");
    RealtimeWire.putNullable(committed, "previous_item_id", previous);
    committed.put("item_id", itemId);
    send(committed);
    itemAddedAndDone(item, previous);
    lastUserAudioItemId = itemId;
    lastUserAudioMs = ms;
  }

  private void itemAddedAndDone(ObjectNode item, @Nullable String previous) {
    for (String type : List.of("conversation.item.added", "conversation.item.done")) {
      ObjectNode e = event(type);
      RealtimeWire.putNullable(e, "previous_item_id", previous);
      e.set("item", item.deepCopy());
      send(e);
    }
  }

  /** Checks a {@code response.create} and makes its response, not started yet. */
  private ResponseRun requestResponse(JsonNode params) {
    String conversationMode = params.path("conversation").asString("auto");
    if (!conversationMode.equals("auto") && !conversationMode.equals("none")) {
      throw ProtocolError.invalidValue(
          "response.conversation", conversationMode, "Supported values are: 'auto' and 'none'.");
    }
    SessionState.checkModalities(params.get("output_modalities"), "response.output_modalities");
    boolean outOfBand = conversationMode.equals("none");
    if (!outOfBand && defaultActive != null) {
      throw ProtocolError.invalid(
          "conversation_already_has_active_response",
          "Conversation already has an active "
              + "response in progress: "
              + defaultActive.id
              + ". Wait until the response is finished before creating a new one.",
          null);
    }
    JsonNode input = params.path("input");
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      if ("item_reference".equals(RealtimeWire.text(item, "type"))) {
        String ref = RealtimeWire.text(item, "id");
        if (ref == null || conversation.get(ref) == null) {
          throw ProtocolError.invalid(
              "invalid_value",
              "Item with id '" + ref + "' not found in the conversation.",
              "response.input[" + i + "].id");
        }
      } else {
        conversation.accept(item, "response.input[" + i + "]", session.inputBytesPerMs());
      }
    }
    JsonNode modalities =
        params.has("output_modalities")
            ? params.get("output_modalities")
            : session.outputModalities();
    ObjectNode audio = RealtimeWire.object();
    ObjectNode audioOut = audio.putObject("output");
    audioOut.set(
        "format",
        params.at("/audio/output/format").isObject()
            ? params.at("/audio/output/format").deepCopy()
            : session.json().at("/audio/output/format").deepCopy());
    audioOut.put("voice", params.at("/audio/output/voice").asString(session.voice()));
    JsonNode max =
        params.has("max_output_tokens")
            ? params.get("max_output_tokens")
            : session.json().get("max_output_tokens");
    JsonNode metadata = params.get("metadata");
    ResponseRun run =
        new ResponseRun(
            this,
            ids.next("resp"),
            outOfBand ? null : conversationId,
            (ArrayNode) modalities.deepCopy(),
            metadata == null || metadata.isNull() ? null : metadata,
            audio,
            max,
            100 + 20 * (outOfBand ? input.size() : conversation.size()));
    active.put(run.id, run);
    if (!outOfBand) {
      defaultActive = run;
    }
    return run;
  }

  void finish(ResponseRun run, String status, @Nullable String reason) {
    finish(run, status, reason, null);
  }

  /** Ends an active response; {@code error} is the {@code status_details.error} of a failed one. */
  void finish(ResponseRun run, String status, @Nullable String reason, @Nullable ObjectNode error) {
    if (!run.started) {
      run.start(List.of());
    }
    active.remove(run.id);
    if (defaultActive == run) {
      defaultActive = null;
    }
    run.finish(status, reason, error);
  }

  // ---------------------------------------------------------------- output

  /** A server event of this type with the next event id ({@code event_<connection>_<n>}). */
  ObjectNode event(String type) {
    return RealtimeWire.event(type, "event_" + id + "_" + (++eventCount));
  }

  void send(ObjectNode event) {
    if (closing) {
      return;
    }
    Sinks.EmitResult result = frames.tryEmitNext(RealtimeWire.write(event));
    if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
      log.warn(
          "connection {}: the client left {} events unread; dropping the connection",
          id,
          MAX_QUEUED_EVENTS);
      drop();
    }
  }

  private void sendError(ProtocolError e, @Nullable String clientEventId) {
    ObjectNode error = event("error");
    // Not null: ProtocolError's only constructor takes a non-null message.
    String message = Objects.requireNonNull(e.getMessage());
    error.set("error", RealtimeWire.error(e.type, e.code, message, e.param, clientEventId));
    send(error);
  }

  /** Sends a close frame after the events already queued. */
  void close(int code, String reason) {
    end(new Ending(code, reason, false));
  }

  /** Closes the TCP connection, without a close frame, after the events already queued. */
  void drop() {
    end(new Ending(0, "", true));
  }

  private void end(Ending e) {
    if (closing) {
      return;
    }
    closing = true;
    if (expiry != null) {
      expiry.dispose();
    }
    actions.clear();
    ending = e;
    frames.tryEmitComplete();
  }
}
