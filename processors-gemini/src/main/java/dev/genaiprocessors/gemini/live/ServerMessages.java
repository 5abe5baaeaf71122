package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.client.internal.SecretRedactor;
import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelProtocolException;
import dev.genaiprocessors.gemini.live.ServerEvent.SignalKind;
import dev.genaiprocessors.live.LiveParts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decodes a server frame (JSON in a binary or text frame, possibly pretty-printed) into events. Field
 * names are read in lowerCamelCase or snake_case; unknown fields and messages are ignored, so newer
 * servers do not break older clients.
 *
 * <p><b>Shape.</b> Every known field is checked before it is read: a message is an object, each known
 * message and {@code modelTurn} an object, {@code parts}, {@code functionCalls} and {@code ids} arrays of
 * objects (of strings for {@code ids}), {@code args} an object, {@code inlineData} a string MIME type and
 * base64 data. Anything else is a {@link ModelProtocolException} (1007) naming the field; no Jackson or JDK
 * exception comes out. Text fields of another type are ignored as absent, and a {@code timeLeft} that is
 * malformed or does not fit a {@link java.time.Duration} is taken as absent.
 *
 * <p><b>Limits.</b> A frame is parsed with at most {@value #MAX_TOKENS} JSON tokens, and gives at most
 * {@code maxEvents} events (parts); over either, a {@link ModelProtocolException} (1009). So a frame of many
 * tiny parts is refused before it becomes a tree or a list of that size.
 *
 * <p><b>Secrets.</b> A malformed frame's message quotes at most {@value #QUOTE_LIMIT} characters of it, and
 * the whole message goes through the key's {@link SecretRedactor}.
 */
final class ServerMessages {
  private static final int QUOTE_LIMIT = 200;

  /** JSON tokens a server frame may have: {@value}; far more than a real message, far less than memory. */
  static final int MAX_TOKENS = 100_000;

  /** Events (parts) one server message may give when no other limit is set: {@value}. */
  static final int DEFAULT_MAX_EVENTS = 256;

  static final JsonMapper READER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxTokenCount(MAX_TOKENS).build())
                  .build())
          .build();

  private ServerMessages() {}

  /** {@link #decode(byte[], int, SecretRedactor)} with {@value #DEFAULT_MAX_EVENTS} events and no secret. */
  static List<ServerEvent> decode(byte[] frame) throws ModelProtocolException {
    return decode(frame, DEFAULT_MAX_EVENTS, SecretRedactor.none());
  }

  /**
   * @param frame the frame's bytes
   * @param maxEvents the most events (parts) the message may give
   * @param redactor masks the key in the message of an error
   * @return the events, in the order the message gives them
   * @throws ModelProtocolException 1007 when the frame is not a JSON object or a known field has the wrong
   *     shape; 1009 when it has more than {@value #MAX_TOKENS} tokens or more than {@code maxEvents} events
   */
  static List<ServerEvent> decode(byte[] frame, int maxEvents, SecretRedactor redactor)
      throws ModelProtocolException {
    List<ServerEvent> audio = AudioMessages.decode(frame, maxEvents);
    return audio != null ? audio : decodeTree(frame, maxEvents, redactor);
  }

  /**
   * {@link #decode(byte[], int, SecretRedactor)} by way of a tree, for every message ({@link AudioMessages}
   * takes model audio first, giving the same events).
   */
  static List<ServerEvent> decodeTree(byte[] frame, int maxEvents, SecretRedactor redactor)
      throws ModelProtocolException {
    JsonNode root;
    try {
      root = READER.readTree(frame);
    } catch (StreamConstraintsException e) {
      throw LiveErrors.protocol(
          1009,
          "the Gemini Live server sent a message of more than "
              + MAX_TOKENS
              + " JSON tokens, which the client does not read");
    } catch (JacksonException e) {
      throw malformed("is not JSON", frame, redactor);
    }
    if (root == null || !root.isObject()) {
      throw malformed("is not a JSON object", frame, redactor);
    }
    try {
      return new Decoding(maxEvents).decode(root);
    } catch (TooManyEvents e) {
      throw LiveErrors.protocol(
          1009,
          "the Gemini Live server sent a message of "
              + e.getMessage()
              + "; the client takes at most "
              + maxEvents
              + " per message (receiveBufferCapacity, at least "
              + DEFAULT_MAX_EVENTS
              + ")");
    } catch (IllegalArgumentException | IllegalStateException | JacksonException e) {
      // IllegalArgumentException: the shape checks below, base64, MIME types; JacksonException: a
      // net under them.
      throw malformed("has a field of the wrong shape (" + e.getMessage() + ")", frame, redactor);
    }
  }

  /** More events in one message than the limit; the message says how many. */
  private static final class TooManyEvents extends RuntimeException {
    TooManyEvents(String what) {
      super(what, null, false, false);
    }
  }

  /** One decoding: the events so far, within the limit. */
  private static final class Decoding {
    private final int maxEvents;
    private final List<ServerEvent> events = new ArrayList<>();

    Decoding(int maxEvents) {
      this.maxEvents = maxEvents;
    }

    /** Checks that {@code more} events still fit, before they are made. */
    void room(int more, String what) {
      if ((long) events.size() + more > maxEvents) {
        throw new TooManyEvents(more + " " + what);
      }
    }

    List<ServerEvent> decode(JsonNode root) {
      ServerMessages.decode(root, this);
      room(0, "events");
      return events;
    }

    void add(ServerEvent event) {
      room(1, "events");
      events.add(event);
    }
  }

  private static void decode(JsonNode root, Decoding events) {
    JsonNode setupComplete = Wire.object(root, "setupComplete");
    if (setupComplete != null) {
      String sessionId = Wire.string(setupComplete, "sessionId");
      events.add(
          new ServerEvent.SetupComplete(
              sessionId == null || sessionId.isEmpty()
                  ? null
                  : Part.text("")
                      .withRole("model")
                      .withMetadata(GeminiLiveParts.SESSION_ID, sessionId)));
    }
    JsonNode content = Wire.object(root, "serverContent");
    if (content != null) {
      serverContent(content, events);
    }
    JsonNode toolCall = Wire.object(root, "toolCall");
    if (toolCall != null) {
      JsonNode calls = Wire.array(toolCall, "functionCalls");
      events.room(calls.size(), "function calls");
      for (JsonNode call : calls) {
        Wire.requireObject(call, "functionCalls[]");
        String id = Wire.string(call, "id");
        String name = Wire.string(call, "name");
        if (name == null) {
          throw new IllegalArgumentException("a function call without a name");
        }
        JsonNode args = Wire.object(call, "args");
        Part part =
            Part.functionCall(id, name, args == null ? Wire.object() : args).withRole("model");
        if (Wire.flag(call, "willContinue")) {
          part = part.withMetadata(GeminiLiveParts.WILL_CONTINUE, true);
        }
        events.add(new ServerEvent.ToolCall(part, id));
      }
    }
    JsonNode cancellation = Wire.object(root, "toolCallCancellation");
    if (cancellation != null) {
      List<String> ids = new ArrayList<>();
      for (JsonNode id : Wire.array(cancellation, "ids")) {
        if (!id.isString()) {
          throw new IllegalArgumentException(
              "toolCallCancellation.ids holds a " + id.getNodeType() + ", not a string");
        }
        ids.add(id.stringValue());
      }
      ObjectNode json = Wire.object();
      ids.forEach(json.putArray("ids")::add);
      events.add(
          new ServerEvent.ToolCancel(
              Part.json(json, GeminiLiveParts.TOOL_CALL_CANCELLATION).withRole("model"), ids));
    }
    JsonNode goAway = Wire.object(root, "goAway");
    if (goAway != null) {
      events.add(
          new ServerEvent.GoAway(
              LiveParts.withSessionEvent(
                  signal(GeminiLiveParts.GO_AWAY, goAway), LiveParts.SessionEvent.GOING_AWAY),
              Wire.duration(Wire.string(goAway, "timeLeft"))));
    }
    JsonNode update = Wire.object(root, "sessionResumptionUpdate");
    if (update != null) {
      events.add(
          new ServerEvent.Resumption(
              signal(GeminiLiveParts.SESSION_RESUMPTION_UPDATE, update),
              Wire.string(update, "newHandle"),
              Wire.flag(update, "resumable")));
    }
    JsonNode activity = Wire.object(root, "voiceActivity");
    if (activity != null) {
      String type = Wire.string(activity, "voiceActivityType");
      if (type == null) {
        type = Wire.string(activity, "type");
      }
      Part speech =
          "ACTIVITY_END".equals(type)
              ? Part.endOfSpeech()
              : "ACTIVITY_START".equals(type) ? Part.startOfSpeech() : Part.text("");
      events.add(
          new ServerEvent.Signal(
              speech.withRole("user").withMetadata(GeminiLiveParts.VOICE_ACTIVITY, activity),
              SignalKind.OTHER));
    }
    JsonNode vadSignal = Wire.object(root, "voiceActivityDetectionSignal");
    if (vadSignal != null) {
      events.add(
          new ServerEvent.Signal(signal(GeminiLiveParts.VAD_SIGNAL, vadSignal), SignalKind.OTHER));
    }
    JsonNode usage = Wire.object(root, "usageMetadata");
    if (usage != null) {
      events.add(
          new ServerEvent.Signal(
              LiveParts.withUsage(
                  signal(GeminiLiveParts.USAGE_METADATA, usage),
                  new LiveParts.Usage(
                      Wire.longOr(usage, "promptTokenCount"),
                      Wire.longOr(usage, "responseTokenCount"),
                      Wire.longOr(usage, "totalTokenCount"))),
              SignalKind.OTHER));
    }
  }

  private static void serverContent(JsonNode content, Decoding events) {
    JsonNode turn = Wire.object(content, "modelTurn");
    if (turn != null) {
      JsonNode parts = Wire.array(turn, "parts");
      events.room(parts.size(), "parts");
      for (JsonNode p : parts) {
        Part part = contentPart(Wire.requireObject(p, "modelTurn.parts[]"));
        if (part != null) {
          events.add(new ServerEvent.Content(part));
        }
      }
    }
    JsonNode input = Wire.object(content, "inputTranscription");
    String inputText = input == null ? null : Wire.string(input, "text");
    if (input != null && inputText != null) {
      events.add(
          new ServerEvent.Signal(
              transcription(
                  Part.inputTranscription(inputText, Wire.flag(input, "finished")), input),
              SignalKind.OTHER));
    }
    JsonNode interim = Wire.object(content, "interimInputTranscription");
    String interimText = interim == null ? null : Wire.string(interim, "text");
    if (interim != null && interimText != null) {
      events.add(
          new ServerEvent.Signal(
              transcription(
                  Part.inputTranscription(interimText, false)
                      .withMetadata(GeminiLiveParts.INTERIM, true),
                  interim),
              SignalKind.OTHER));
    }
    JsonNode output = Wire.object(content, "outputTranscription");
    String outputText = output == null ? null : Wire.string(output, "text");
    if (output != null && outputText != null) {
      events.add(
          new ServerEvent.Signal(
              transcription(
                  Part.outputTranscription(outputText, Wire.flag(output, "finished")), output),
              SignalKind.OTHER));
    }
    JsonNode grounding = Wire.object(content, "groundingMetadata");
    if (grounding != null) {
      events.add(
          new ServerEvent.Signal(
              signal(GeminiLiveParts.GROUNDING_METADATA, grounding), SignalKind.OTHER));
    }
    JsonNode urlContext = Wire.object(content, "urlContextMetadata");
    if (urlContext != null) {
      events.add(
          new ServerEvent.Signal(
              signal(GeminiLiveParts.URL_CONTEXT_METADATA, urlContext), SignalKind.OTHER));
    }
    if (Wire.flag(content, "interrupted")) {
      events.add(new ServerEvent.Signal(Part.interrupted(), SignalKind.INTERRUPTED));
    }
    if (Wire.flag(content, "generationComplete")) {
      events.add(new ServerEvent.Signal(Part.generationComplete(), SignalKind.GENERATION_COMPLETE));
    }
    if (Wire.flag(content, "waitingForInput")) {
      events.add(
          new ServerEvent.Signal(
              Part.text("").withRole("model").withMetadata(GeminiLiveParts.WAITING_FOR_INPUT, true),
              SignalKind.OTHER));
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
      events.add(
          new ServerEvent.Signal(
              Part.text("")
                  .withRole("model")
                  .withMetadata(GeminiLiveParts.INTERACTION_STATUS, status),
              SignalKind.OTHER));
    }
  }

  /** A text or inline-data part of a model turn; null for kinds this client does not map. */
  private static @Nullable Part contentPart(JsonNode p) {
    String text = Wire.string(p, "text");
    if (text != null) {
      Part part = Part.text(text).withRole("model");
      return Wire.flag(p, "thought") ? part.withMetadata(GeminiLiveParts.THOUGHT, true) : part;
    }
    JsonNode code = Wire.object(p, "executableCode");
    if (code != null) {
      return Part.json(code, GeminiLiveParts.EXECUTABLE_CODE).withRole("model");
    }
    JsonNode result = Wire.object(p, "codeExecutionResult");
    if (result != null) {
      return Part.json(result, GeminiLiveParts.CODE_EXECUTION_RESULT).withRole("model");
    }
    JsonNode inline = Wire.object(p, "inlineData");
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
    return language == null || language.isEmpty()
        ? part
        : part.withMetadata(GeminiLiveParts.LANGUAGE_CODE, language);
  }

  private static Part signal(String key, JsonNode value) {
    return Part.text("").withRole("model").withMetadata(key, value);
  }

  private static ModelProtocolException malformed(
      String what, byte[] frame, SecretRedactor redactor) {
    String text =
        new String(frame, 0, Math.min(frame.length, 4 * QUOTE_LIMIT), StandardCharsets.UTF_8);
    String quoted = text.length() > QUOTE_LIMIT ? text.substring(0, QUOTE_LIMIT) + "…" : text;
    // The whole message is redacted: the key may hide in the quote or in a parser's or a check's
    // message.
    return LiveErrors.protocol(
        1007,
        redactor.redact("malformed frame from the Gemini Live server: it " + what + ": " + quoted));
  }
}
