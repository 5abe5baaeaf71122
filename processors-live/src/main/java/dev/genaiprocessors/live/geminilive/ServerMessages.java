package dev.genaiprocessors.live.geminilive;

import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.geminilive.ServerEvent.SignalKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decodes a server frame (JSON in a binary or text frame, possibly pretty-printed) into events. Field
 * names are read in lowerCamelCase or snake_case; unknown fields and messages are ignored, so newer
 * servers do not break older clients.
 */
final class ServerMessages {
  private static final int QUOTE_LIMIT = 200;

  private ServerMessages() {}

  /**
   * @throws LiveProtocolException (1007) when the frame is not a JSON object or a known field has the wrong shape
   */
  static List<ServerEvent> decode(byte[] frame) throws LiveProtocolException {
    JsonNode root;
    try {
      root = Wire.JSON.readTree(frame);
    } catch (JacksonException e) {
      throw malformed("is not JSON", frame);
    }
    if (root == null || !root.isObject()) {
      throw malformed("is not a JSON object", frame);
    }
    try {
      return decode(root);
    } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
      throw malformed("has a field of the wrong shape (" + e.getMessage() + ")", frame);
    }
  }

  private static List<ServerEvent> decode(JsonNode root) {
    List<ServerEvent> events = new ArrayList<>();
    JsonNode setupComplete = Wire.field(root, "setupComplete");
    if (setupComplete != null) {
      String sessionId = Wire.string(setupComplete, "sessionId");
      events.add(new ServerEvent.SetupComplete(sessionId == null || sessionId.isEmpty() ? null
          : Part.text("").withRole("model").withMetadata(GeminiLiveParts.SESSION_ID, sessionId)));
    }
    JsonNode content = Wire.field(root, "serverContent");
    if (content != null) {
      serverContent(content, events);
    }
    JsonNode toolCall = Wire.field(root, "toolCall");
    if (toolCall != null) {
      JsonNode calls = Wire.field(toolCall, "functionCalls");
      for (JsonNode call : calls == null ? Wire.NODES.arrayNode() : calls) {
        String id = Wire.string(call, "id");
        String name = Wire.string(call, "name");
        if (name == null) {
          throw new IllegalArgumentException("a function call without a name");
        }
        JsonNode args = Wire.field(call, "args");
        Part part = Part.functionCall(id, name, args == null ? Wire.object() : args).withRole("model");
        if (Wire.flag(call, "willContinue")) {
          part = part.withMetadata(GeminiLiveParts.WILL_CONTINUE, true);
        }
        events.add(new ServerEvent.ToolCall(part, id));
      }
    }
    JsonNode cancellation = Wire.field(root, "toolCallCancellation");
    if (cancellation != null) {
      List<String> ids = new ArrayList<>();
      JsonNode idNodes = Wire.field(cancellation, "ids");
      for (JsonNode id : idNodes == null ? Wire.NODES.arrayNode() : idNodes) {
        ids.add(id.asString());
      }
      ObjectNode json = Wire.object();
      ids.forEach(json.putArray("ids")::add);
      events.add(new ServerEvent.ToolCancel(Part.json(json, GeminiLiveParts.TOOL_CALL_CANCELLATION).withRole("model"), ids));
    }
    JsonNode goAway = Wire.field(root, "goAway");
    if (goAway != null) {
      events.add(new ServerEvent.GoAway(signal(GeminiLiveParts.GO_AWAY, goAway),
          Wire.duration(Wire.string(goAway, "timeLeft"))));
    }
    JsonNode update = Wire.field(root, "sessionResumptionUpdate");
    if (update != null) {
      events.add(new ServerEvent.Resumption(signal(GeminiLiveParts.SESSION_RESUMPTION_UPDATE, update),
          Wire.string(update, "newHandle"), Wire.flag(update, "resumable")));
    }
    JsonNode activity = Wire.field(root, "voiceActivity");
    if (activity != null) {
      String type = Wire.string(activity, "voiceActivityType");
      if (type == null) {
        type = Wire.string(activity, "type");
      }
      Part speech = "ACTIVITY_END".equals(type) ? Part.endOfSpeech() : "ACTIVITY_START".equals(type) ? Part.startOfSpeech()
          : Part.text("");
      events.add(new ServerEvent.Signal(speech.withRole("user").withMetadata(GeminiLiveParts.VOICE_ACTIVITY, activity),
          SignalKind.OTHER));
    }
    JsonNode vadSignal = Wire.field(root, "voiceActivityDetectionSignal");
    if (vadSignal != null) {
      events.add(new ServerEvent.Signal(signal(GeminiLiveParts.VAD_SIGNAL, vadSignal), SignalKind.OTHER));
    }
    JsonNode usage = Wire.field(root, "usageMetadata");
    if (usage != null) {
      events.add(new ServerEvent.Signal(signal(GeminiLiveParts.USAGE_METADATA, usage), SignalKind.OTHER));
    }
    return events;
  }

  private static void serverContent(JsonNode content, List<ServerEvent> events) {
    JsonNode turn = Wire.field(content, "modelTurn");
    if (turn != null) {
      JsonNode parts = Wire.field(turn, "parts");
      for (JsonNode p : parts == null ? Wire.NODES.arrayNode() : parts) {
        Part part = contentPart(p);
        if (part != null) {
          events.add(new ServerEvent.Content(part));
        }
      }
    }
    JsonNode input = Wire.field(content, "inputTranscription");
    if (input != null && Wire.string(input, "text") != null) {
      events.add(new ServerEvent.Signal(transcription(
          Part.inputTranscription(Wire.string(input, "text"), Wire.flag(input, "finished")), input), SignalKind.OTHER));
    }
    JsonNode interim = Wire.field(content, "interimInputTranscription");
    if (interim != null && Wire.string(interim, "text") != null) {
      events.add(new ServerEvent.Signal(transcription(Part.inputTranscription(Wire.string(interim, "text"), false)
          .withMetadata(GeminiLiveParts.INTERIM, true), interim), SignalKind.OTHER));
    }
    JsonNode output = Wire.field(content, "outputTranscription");
    if (output != null && Wire.string(output, "text") != null) {
      events.add(new ServerEvent.Signal(transcription(
          Part.outputTranscription(Wire.string(output, "text"), Wire.flag(output, "finished")), output), SignalKind.OTHER));
    }
    JsonNode grounding = Wire.field(content, "groundingMetadata");
    if (grounding != null) {
      events.add(new ServerEvent.Signal(signal(GeminiLiveParts.GROUNDING_METADATA, grounding), SignalKind.OTHER));
    }
    JsonNode urlContext = Wire.field(content, "urlContextMetadata");
    if (urlContext != null) {
      events.add(new ServerEvent.Signal(signal(GeminiLiveParts.URL_CONTEXT_METADATA, urlContext), SignalKind.OTHER));
    }
    if (Wire.flag(content, "interrupted")) {
      events.add(new ServerEvent.Signal(Part.interrupted(), SignalKind.INTERRUPTED));
    }
    if (Wire.flag(content, "generationComplete")) {
      events.add(new ServerEvent.Signal(Part.generationComplete(), SignalKind.GENERATION_COMPLETE));
    }
    if (Wire.flag(content, "waitingForInput")) {
      events.add(new ServerEvent.Signal(
          Part.text("").withRole("model").withMetadata(GeminiLiveParts.WAITING_FOR_INPUT, true), SignalKind.OTHER));
    }
    String status = Wire.string(content, "interactionStatus");
    if (Wire.flag(content, "turnComplete")) {
      Part end = Part.endOfTurn().withRole("model");
      String reason = Wire.string(content, "turnCompleteReason");
      if (reason != null) {
        end = end.withMetadata(GeminiLiveParts.TURN_COMPLETE_REASON, reason);
      }
      if (status != null) {
        end = end.withMetadata(GeminiLiveParts.INTERACTION_STATUS, status);
      }
      events.add(new ServerEvent.Signal(end, SignalKind.TURN_COMPLETE));
    } else if (status != null) {
      events.add(new ServerEvent.Signal(
          Part.text("").withRole("model").withMetadata(GeminiLiveParts.INTERACTION_STATUS, status), SignalKind.OTHER));
    }
  }

  /** A text or inline-data part of a model turn; null for kinds this client does not map. */
  private static @Nullable Part contentPart(JsonNode p) {
    String text = Wire.string(p, "text");
    if (text != null) {
      Part part = Part.text(text).withRole("model");
      return Wire.flag(p, "thought") ? part.withMetadata(GeminiLiveParts.THOUGHT, true) : part;
    }
    JsonNode code = Wire.field(p, "executableCode");
    if (code != null) {
      return Part.json(code, GeminiLiveParts.EXECUTABLE_CODE).withRole("model");
    }
    JsonNode result = Wire.field(p, "codeExecutionResult");
    if (result != null) {
      return Part.json(result, GeminiLiveParts.CODE_EXECUTION_RESULT).withRole("model");
    }
    JsonNode inline = Wire.field(p, "inlineData");
    if (inline != null) {
      String mimeType = Wire.string(inline, "mimeType");
      String data = Wire.string(inline, "data");
      if (mimeType == null || data == null) {
        throw new IllegalArgumentException("inlineData needs mimeType and data");
      }
      byte[] bytes = Wire.base64(data);
      String essence = MimeTypes.essence(mimeType);
      if (essence.equals(MimeTypes.AUDIO_PCM) || essence.equals(MimeTypes.AUDIO_L16)) {
        mimeType = MimeTypes.pcm(MimeTypes.sampleRate(mimeType).orElse(24000));
      }
      return Part.bytes(bytes, mimeType).withRole("model");
    }
    return null;
  }

  private static Part transcription(Part part, JsonNode transcription) {
    String language = Wire.string(transcription, "languageCode");
    return language == null || language.isEmpty() ? part : part.withMetadata(GeminiLiveParts.LANGUAGE_CODE, language);
  }

  private static Part signal(String key, JsonNode value) {
    return Part.text("").withRole("model").withMetadata(key, value);
  }

  private static LiveProtocolException malformed(String what, byte[] frame) {
    String text = new String(frame, StandardCharsets.UTF_8);
    String quoted = text.length() > QUOTE_LIMIT ? text.substring(0, QUOTE_LIMIT) + "…" : text;
    return new LiveProtocolException(1007, "malformed frame from the Gemini Live server: it " + what + ": " + quoted);
  }
}
