package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.audio.G711;
import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.HeardAudio;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.live.LiveParts.SessionEvent;
import dev.genaiprocessors.live.OutOfBandRequest;
import dev.genaiprocessors.openai.realtime.Responses.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the server events of one session into output parts, as the {@link dev.genaiprocessors.live.LiveProcessor}
 * table says, and does what they call for: barge-in truncation, the queued {@code response.create}, the
 * session's expiry. Runs under the session's lock.
 */
final class ServerEvents {
  private static final Logger log = LoggerFactory.getLogger(ServerEvents.class);

  private final RealtimeSession session;
  private final RealtimeSettings s;
  private final Responses responses;
  private final Transcript transcript;

  ServerEvents(RealtimeSession session, Responses responses, Transcript transcript) {
    this.session = session;
    this.s = session.settings();
    this.responses = responses;
    this.transcript = transcript;
  }

  /**
   * The parts of one server event.
   *
   * @throws dev.genaiprocessors.core.error.ModelException for an error event that ends the session, or a
   *     malformed event
   */
  List<Part> onEvent(byte[] frame) {
    AudioDelta delta = AudioDelta.read(frame);
    if (delta != null) {
      List<Part> out = new ArrayList<>(1);
      audio(delta.responseId(), delta.itemId(), delta.audio(), out);
      return out;
    }
    return onEvent(new String(frame, StandardCharsets.UTF_8));
  }

  /**
   * The parts of one server event, read as a tree.
   *
   * @throws dev.genaiprocessors.core.error.ModelException for an error event that ends the session, or a
   *     malformed event
   */
  List<Part> onEvent(String text) {
    ObjectNode e =
        WireJson.parseObject(text, RealtimeSettings.PROVIDER, session.redactor()::redact);
    String type = WireJson.stringOr(e, "type", "");
    List<Part> out = new ArrayList<>(2);
    switch (type) {
      case "session.created" -> session.sessionCreated(out);
      case "input_audio_buffer.speech_started" -> speechStarted(out);
      case "input_audio_buffer.speech_stopped" -> out.add(Part.endOfSpeech().withRole("user"));
      case "conversation.item.input_audio_transcription.delta" ->
          out.add(
              Part.inputTranscription(WireJson.stringOr(e, "delta", ""), false)
                  .withMetadata(RealtimeParts.ITEM_ID, WireJson.text(e, "item_id")));
      case "conversation.item.input_audio_transcription.completed" -> {
        String said = WireJson.stringOr(e, "transcript", "");
        transcript.add("user", said);
        out.add(
            Part.inputTranscription(said, true)
                .withMetadata(RealtimeParts.ITEM_ID, WireJson.text(e, "item_id")));
      }
      case "response.created" -> created(e.path("response"));
      case "response.output_audio.delta" -> audio(e, out);
      case "response.output_audio_transcript.delta" ->
          add(out, e, Part.outputTranscription(WireJson.stringOr(e, "delta", ""), false));
      case "response.output_audio_transcript.done" -> {
        String said = WireJson.stringOr(e, "transcript", "");
        remember(e, said);
        add(out, e, Part.outputTranscription(said, true));
      }
      case "response.output_text.delta" ->
          add(out, e, Part.text(WireJson.stringOr(e, "delta", "")).withRole("model"));
      case "response.output_text.done" -> remember(e, WireJson.stringOr(e, "text", ""));
      case "response.function_call_arguments.done" -> functionCall(e, out);
      case "response.done" -> done(e.path("response"), out);
      case "rate_limits.updated" -> out.add(rateLimits(e));
      case "error" -> error(e.path("error"), out);
      default -> log.trace("OpenAI Realtime: {} needs no part", type);
    }
    return out;
  }

  private void speechStarted(List<Part> out) {
    out.add(Part.startOfSpeech().withRole("user"));
    Response r = responses.active();
    if (r != null && !r.interrupted && session.serverInterrupts()) {
      // The server cancels the answer itself (interrupt_response); the player must stop now.
      interrupt(r, out);
    }
  }

  /**
   * Cuts the answer in flight: an interrupted part with the milliseconds heard, and the item truncated to
   * them.
   */
  void interrupt(Response r, List<Part> out) {
    r.interrupted = true;
    Part interrupted = Part.interrupted();
    HeardAudio heard = s.playback;
    if (heard != null && r.audioItemId != null && !r.outOfBand) {
      long received = receivedMillis(r.audioBytes);
      long played = Math.min(heard.heardMillis(r.audioItemId), received);
      interrupted = interrupted.withMetadata(LiveParts.HEARD_MS, played);
      session.send(ClientEvents.truncate(r.audioItemId, played), false);
    }
    out.add(interrupted);
  }

  private long receivedMillis(long bytes) {
    int bytesPerSample = s.outputFormat == RealtimeAudioFormat.PCM_24KHZ ? 2 : 1;
    return bytes / bytesPerSample * 1000 / s.outputFormat.sampleRate();
  }

  private void created(JsonNode response) {
    String id = WireJson.stringOr(response, "id", "");
    boolean outOfBand =
        response.path("conversation_id").isNull()
            || response.path("conversation_id").isMissingNode();
    Map<String, String> metadata = null;
    if (response.path("metadata").isObject()) {
      metadata = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> m : response.get("metadata").properties()) {
        metadata.put(m.getKey(), m.getValue().asString());
      }
    }
    responses.created(id, outOfBand, metadata);
  }

  private void audio(ObjectNode e, List<Part> out) {
    String responseId = WireJson.text(e, "response_id");
    String itemId = WireJson.text(e, "item_id");
    Response r = responses.get(responseId);
    if (r != null && r.interrupted) {
      return; // stale audio of a cut answer: never played (and not decoded)
    }
    byte[] data;
    try {
      data = Base64.getDecoder().decode(WireJson.stringOr(e, "delta", ""));
    } catch (IllegalArgumentException bad) {
      throw RealtimeErrors.protocol(
          1007, "OpenAI Realtime sent audio that is not base64: " + bad.getMessage());
    }
    audio(responseId, itemId, data, out);
  }

  /** The part of a {@code response.output_audio.delta} whose audio is decoded, from either path. */
  private void audio(
      @Nullable String responseId, @Nullable String itemId, byte[] data, List<Part> out) {
    Response r = responses.get(responseId);
    if (r != null && r.interrupted) {
      return; // stale audio of a cut answer: never played
    }
    if (r != null) {
      if (itemId != null && !itemId.equals(r.audioItemId)) {
        r.audioItemId = itemId;
        r.audioBytes = 0;
      }
      r.audioBytes += data.length;
    }
    byte[] pcm =
        switch (s.outputFormat) {
          case PCM_24KHZ -> data;
          case G711_ULAW -> G711.decodeUlaw(data);
          case G711_ALAW -> G711.decodeAlaw(data);
        };
    Part audio = Part.audio(pcm, s.outputFormat.sampleRate()).withRole("model");
    add(
        out,
        responseId,
        itemId,
        itemId == null ? audio : audio.withMetadata(LiveParts.ANSWER_ID, itemId));
  }

  private void functionCall(ObjectNode e, List<Part> out) {
    String callId = WireJson.stringOr(e, "call_id", "");
    String name = WireJson.stringOr(e, "name", "");
    JsonNode args = WireJson.tryParse(WireJson.stringOr(e, "arguments", "{}"));
    if (args == null || !args.isObject()) {
      throw RealtimeErrors.protocol(
          1007, "OpenAI Realtime sent arguments of " + name + " that are not a JSON object");
    }
    Response r = responses.get(WireJson.text(e, "response_id"));
    if (r != null) {
      responses.callMade(r, callId);
    }
    add(out, e, Part.functionCall(callId, name, args).withRole("model"));
  }

  private void done(JsonNode response, List<Part> out) {
    String id = WireJson.stringOr(response, "id", "");
    String status = WireJson.stringOr(response, "status", "completed");
    Response r = responses.done(id);
    List<Part> parts = new ArrayList<>(4);
    if (r != null && !r.interrupted && status.equals("cancelled")) {
      interrupt(r, parts);
    }
    Part complete = Part.generationComplete().withMetadata(RealtimeParts.RESPONSE_STATUS, status);
    String reason = response.path("status_details").path("reason").asString(null);
    if (reason != null) {
      complete = complete.withMetadata(RealtimeParts.RESPONSE_STATUS_REASON, reason);
    }
    if (r != null && r.outOfBand && status.equals("failed")) {
      // Only "failed" is a failure: "incomplete" and "cancelled" end an answer that is what came.
      complete =
          complete.withMetadata(
              OutOfBandRequest.ERROR, failure(response.path("status_details").path("error")));
    }
    parts.add(complete);
    JsonNode usage = response.path("usage");
    if (usage.isObject()) {
      parts.add(
          LiveParts.usage(
              new LiveParts.Usage(
                  usage.path("input_tokens").asLong(0),
                  usage.path("output_tokens").asLong(0),
                  usage.path("total_tokens").asLong(0))));
    }
    parts.add(Part.endOfTurn().withRole("model"));
    for (Part p : parts) {
      out.add(tag(p, id, r));
    }
    session.afterResponseDone();
  }

  /** What went wrong in a failed response, for {@link OutOfBandRequest#ERROR}: never a secret. */
  private String failure(JsonNode error) {
    if (!error.isObject()) {
      return "the response failed; the server gave no error";
    }
    return "the response failed: "
        + RealtimeErrors.describe(
            WireJson.stringOr(error, "type", "error"),
            WireJson.text(error, "code"),
            WireJson.stringOr(error, "message", ""),
            session.redactor());
  }

  /**
   * Ends the answer to an out-of-band request that failed, or will never come: a generation-complete part
   * with {@link OutOfBandRequest#ERROR}, then an end of turn, both marked with the request.
   *
   * @param request the request
   * @param error what went wrong, and what to do about it; never a secret
   * @param out where the two parts go
   */
  static void endWithError(OutOfBandRequest request, String error, List<Part> out) {
    out.add(request.mark(Part.generationComplete().withMetadata(OutOfBandRequest.ERROR, error)));
    out.add(request.mark(Part.endOfTurn().withRole("model")));
  }

  /**
   * Ends visibly an answer of the conversation whose {@code response.done} will never come (its session
   * ended): an {@code interrupted} part (unless the answer was already interrupted, by a barge-in say), then a
   * model end of turn, both with {@link RealtimeParts#INTERRUPTION_REASON} and the response's id. The item is
   * not truncated: the session that had it is gone.
   *
   * @param r the response cut
   * @param reason why it was cut, for {@link RealtimeParts#INTERRUPTION_REASON}
   * @param out where the parts go
   */
  static void endCutTurn(Response r, String reason, List<Part> out) {
    if (!r.interrupted) {
      r.interrupted = true;
      out.add(
          tag(Part.interrupted().withMetadata(RealtimeParts.INTERRUPTION_REASON, reason), r.id, r));
    }
    out.add(
        tag(
            Part.endOfTurn()
                .withRole("model")
                .withMetadata(RealtimeParts.INTERRUPTION_REASON, reason),
            r.id,
            r));
  }

  private Part rateLimits(ObjectNode e) {
    List<Map<String, Object>> limits = new ArrayList<>();
    for (JsonNode l : e.path("rate_limits")) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", l.path("name").asString(""));
      m.put("limit", l.path("limit").asLong(0));
      m.put("remaining", l.path("remaining").asLong(0));
      m.put("reset_seconds", l.path("reset_seconds").asDouble(0));
      limits.add(m);
    }
    return RealtimeParts.rateLimits(limits);
  }

  private void error(JsonNode error, List<Part> out) {
    String type = WireJson.stringOr(error, "type", "error");
    String code = WireJson.text(error, "code");
    String message = WireJson.stringOr(error, "message", "");
    if ("session_expired".equals(code)) {
      out.add(LiveParts.sessionEvent(SessionEvent.EXPIRED));
      session.expired();
      return;
    }
    OutOfBandRequest refused = responses.outOfBandRefused(WireJson.text(error, "event_id"));
    if (refused != null) {
      // The server refused the request's response.create: no response comes; its answer ends here.
      log.debug("OpenAI Realtime: out-of-band request {} refused ({})", refused.id(), type);
      endWithError(
          refused,
          "the response.create was refused: "
              + RealtimeErrors.describe(type, code, message, session.redactor()),
          out);
      return;
    }
    if ("response_cancel_not_active".equals(code)) {
      log.debug("OpenAI Realtime: a cancel found nothing active (harmless)");
      return;
    }
    if ("conversation_already_has_active_response".equals(code)) {
      // Only a race with server VAD's own response gets here: ask again once that one is done.
      log.debug(
          "OpenAI Realtime: response.create raced a server-started response; retrying after it");
      responses.createRefused();
      return;
    }
    throw RealtimeErrors.ofErrorEvent(type, code, message, session.redactor());
  }

  private void remember(ObjectNode e, String text) {
    Response r = responses.get(WireJson.text(e, "response_id"));
    if (r == null || !r.outOfBand) {
      transcript.add("assistant", text);
    }
  }

  private void add(List<Part> out, ObjectNode e, Part part) {
    add(out, WireJson.text(e, "response_id"), WireJson.text(e, "item_id"), part);
  }

  private void add(List<Part> out, @Nullable String responseId, @Nullable String item, Part part) {
    Part p = part;
    if (item != null) {
      p = p.withMetadata(RealtimeParts.ITEM_ID, item);
    }
    out.add(tag(p, responseId, responses.get(responseId)));
  }

  private static Part tag(Part p, @Nullable String responseId, @Nullable Response r) {
    if (responseId != null) {
      p = p.withMetadata(RealtimeParts.RESPONSE_ID, responseId);
    }
    if (r != null && r.request != null) {
      p = r.request.mark(p);
    }
    return p;
  }
}
