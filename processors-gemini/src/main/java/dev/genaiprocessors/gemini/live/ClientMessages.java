package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.client.internal.Base64Json;
import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartContent;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.Scheduling;
import dev.genaiprocessors.core.Substreams;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Turns the user's parts into Gemini Live client messages (see {@link GeminiLiveProcessor} for the table). */
final class ClientMessages {

  /** What became of a part. */
  enum Kind {
    /** A function response: sent before everything else that waits. */
    TOOL_RESPONSE,
    /** Realtime audio or video: may be dropped, oldest first, when the send queue is full. */
    MEDIA,
    /** Text, turns and activity signals: never dropped, order kept. */
    CONTENT,
    /** Not for the model: goes to the output unchanged. */
    PASS_THROUGH,
    /** Dropped: nothing to send (an empty part, or activity signals with automatic detection). */
    IGNORED
  }

  /**
   * One message to send.
   *
   * @param utf8 the message, serialised as UTF-8 (handed to the socket as it is, never changed)
   * @param triggersTurn true when the message makes the model answer
   * @param answered ids of calls this message finishes answering
   */
  record Outgoing(Kind kind, byte[] utf8, boolean triggersTurn, List<String> answered) {
    static final Outgoing PASS = new Outgoing(Kind.PASS_THROUGH, "", false, List.of());
    static final Outgoing NONE = new Outgoing(Kind.IGNORED, "", false, List.of());

    Outgoing(Kind kind, String json, boolean triggersTurn, List<String> answered) {
      this(kind, json.getBytes(StandardCharsets.UTF_8), triggersTurn, answered);
    }

    /** The message as text (for tests and logs; the hot path sends {@link #utf8}). */
    String json() {
      return new String(utf8, StandardCharsets.UTF_8);
    }

    boolean droppable() {
      return kind == Kind.MEDIA;
    }

    /** Equal when every component is, the message compared by its bytes. */
    @Override
    public boolean equals(Object o) {
      return o instanceof Outgoing other
          && kind == other.kind
          && triggersTurn == other.triggersTurn
          && Arrays.equals(utf8, other.utf8)
          && answered.equals(other.answered);
    }

    @Override
    public int hashCode() {
      return Objects.hash(kind, Arrays.hashCode(utf8), triggersTurn, answered);
    }

    @Override
    public String toString() {
      return "Outgoing[" + kind + ", " + utf8.length + " bytes, triggersTurn=" + triggersTurn + "]";
    }
  }

  private final GeminiLiveSettings s;

  /**
   * Text with {@code turn_complete=false} under a profile without mid-session {@code clientContent}: held
   * until the turn completes, then sent as one {@code realtimeInput.text}. Bounded by what the user sends
   * before ending the turn (the input is requested one part at a time).
   */
  private final StringBuilder heldText = new StringBuilder();

  /**
   * The prefix and suffix of the last media message's kind and MIME type (a session sends one or two kinds):
   * built once, then reused for every frame of that kind.
   */
  private @Nullable Base64Json lastFrame;

  private String lastField = "";

  /** The last audio MIME type given, and what it is sent as ({@link #audioMimeType}), so it is parsed once. */
  private String lastAudioIn = "";

  private String lastAudioOut = "";
  private String lastMimeType = "";

  /** An encoder for one session; keeps the text of a turn under way (see {@link #heldText}). */
  ClientMessages(GeminiLiveSettings settings) {
    this.s = settings;
  }

  /** Encodes one part with a fresh encoder (nothing held from earlier parts). */
  static Outgoing encode(Part part, GeminiLiveSettings settings) {
    return new ClientMessages(settings).encode(part);
  }

  /**
   * The message for a part.
   *
   * @throws UnsupportedPartException for a part the API cannot take (see {@link GeminiLiveProcessor})
   */
  Outgoing encode(Part part) {
    ModelProfile profile = s.profile();
    boolean manualActivity = s.manualActivity();
    if (part.isFunctionResponse()) {
      PartContent.FunctionResponse r = part.functionResponse();
      if (s.declaredBlocking(r.name()) && (r.willContinue() || r.scheduling() != null)) {
        throw new UnsupportedPartException(
            "function "
                + r.name()
                + " is declared BLOCKING, but its response is"
                + " one of a call run in the background (scheduling "
                + r.scheduling()
                + ", willContinue "
                + r.willContinue()
                + "), which the API ignores for BLOCKING functions: declare it with"
                + " nonBlockingTools(...), or let withBackgroundTools(...) declare and run it");
      }
      return toolResponse(r, s.nonBlocking(r.name()));
    }
    if (part.isStartOfSpeech()) {
      return manualActivity
          ? content(realtime("activityStart", Wire.object()), false)
          : Outgoing.NONE;
    }
    if (part.isEndOfSpeech()) {
      return manualActivity ? content(realtime("activityEnd", Wire.object()), true) : Outgoing.NONE;
    }
    if (part.hasFlag(PartMetadata.AUDIO_STREAM_END)) {
      // Only with automatic activity detection (the protocol's rule); there it makes the model
      // answer.
      return manualActivity
          ? Outgoing.NONE
          : content(realtime("audioStreamEnd", Wire.NODES.booleanNode(true)), true);
    }
    String substream = part.substream();
    boolean realtime = substream.equalsIgnoreCase(Substreams.REALTIME);
    if (!realtime && !substream.isEmpty()) {
      return Outgoing.PASS;
    }
    if (part.isVideo()) {
      throw new UnsupportedPartException(
          "Gemini Live takes video only as image frames: decode the "
              + part.mimeType()
              + " part into JPEG or PNG frames (about 1 per second, at most 768x768) and send"
              + " each as an image part on the realtime substream");
    }
    boolean classic = profile.acceptsClientContent();
    boolean asRealtime = realtime || !classic;
    if (part.isAudio()) {
      String mimeType = part.mimeType();
      if (!mimeType.equals(lastAudioIn)) {
        lastAudioIn = mimeType;
        lastAudioOut = audioMimeType(mimeType);
      }
      return media("audio", lastAudioOut, part);
    }
    if (part.isImage() && asRealtime) {
      return media("video", part.mimeType(), part);
    }
    if (!classic
        && !realtime
        && (part.isText() || part.isBytes())
        && part.role().equalsIgnoreCase("model")) {
      throw new UnsupportedPartException(
          "a model turn cannot be sent to "
              + s.model
              + " after the setup: "
              + "models of the 3.1 generation take earlier model turns only as initial history (the builder's"
              + " initialHistory)");
    }
    if (part.isText()) {
      String text = part.text();
      boolean turnComplete = !Boolean.FALSE.equals(part.metadata(PartMetadata.TURN_COMPLETE));
      if (asRealtime) {
        return realtimeText(text, turnComplete || realtime, part.isEndOfTurn());
      }
      if (text.isEmpty()) {
        if (!part.isEndOfTurn()) {
          return Outgoing.NONE;
        }
        ObjectNode body = Wire.object().put("turnComplete", true);
        return content(wrap("clientContent", body), true);
      }
      return clientContent(part, Wire.object().put("text", text), turnComplete);
    }
    if (part.isBytes() && classic) {
      ObjectNode inline = Wire.object();
      inline
          .putObject("inlineData")
          .put("mimeType", part.mimeType())
          .put("data", Wire.base64(part.bytes()));
      boolean turnComplete = !Boolean.FALSE.equals(part.metadata(PartMetadata.TURN_COMPLETE));
      return clientContent(part, inline, turnComplete);
    }
    if (part.isBytes()) {
      throw new UnsupportedPartException(
          part.mimeType()
              + " cannot be sent to "
              + s.model
              + " after the setup:"
              + " models of the 3.1 generation take realtime audio and image frames only (documents only as initial"
              + " history)");
    }
    return Outgoing.PASS;
  }

  /**
   * Text without {@code clientContent}: held while its turn is not complete, then sent with what was held
   * as one {@code realtimeInput.text}; an empty end of turn with nothing held ends the audio stream
   * (automatic activity detection) so the model answers what it heard, or sends nothing (manual).
   */
  private Outgoing realtimeText(String text, boolean turnComplete, boolean endOfTurn) {
    if (!text.isEmpty()) {
      if (heldText.length() > 0) {
        heldText.append('\n');
      }
      heldText.append(text);
    }
    if (!turnComplete) {
      return Outgoing.NONE;
    }
    if (heldText.length() == 0) {
      if (endOfTurn && !s.manualActivity()) {
        return content(realtime("audioStreamEnd", Wire.NODES.booleanNode(true)), true);
      }
      return Outgoing.NONE;
    }
    String all = heldText.toString();
    heldText.setLength(0);
    return content(realtime("text", Wire.NODES.stringNode(all)), true);
  }

  /**
   * The initial history as one {@code clientContent} with {@code turnComplete: false}: consecutive parts of
   * one role form one turn; null when there is none.
   */
  static @Nullable String history(List<Part> parts) {
    if (parts.isEmpty()) {
      return null;
    }
    ObjectNode body = Wire.object();
    ArrayNode turns = body.putArray("turns");
    ObjectNode turn = null;
    String role = null;
    for (Part p : parts) {
      String r = p.role().equalsIgnoreCase("model") ? "model" : "user";
      if (turn == null || !r.equals(role)) {
        turn = turns.addObject();
        turn.put("role", r);
        turn.putArray("parts");
        role = r;
      }
      ObjectNode part = ((ArrayNode) turn.get("parts")).addObject();
      if (p.isText()) {
        part.put("text", p.text());
      } else {
        part.putObject("inlineData")
            .put("mimeType", p.mimeType())
            .put("data", Wire.base64(p.bytes()));
      }
    }
    body.put("turnComplete", false);
    return write(wrap("clientContent", body));
  }

  /** {@code audio/pcm} without a rate is 16 kHz; {@code audio/l16} is sent as {@code audio/pcm}. */
  static String audioMimeType(String mimeType) {
    String essence = MimeTypes.essence(mimeType);
    if (essence.equals(MimeTypes.AUDIO_PCM) || essence.equals(MimeTypes.AUDIO_L16)) {
      return MimeTypes.pcm(MimeTypes.sampleRate(mimeType).orElse(16000));
    }
    return mimeType;
  }

  private static Outgoing clientContent(Part part, ObjectNode contentPart, boolean turnComplete) {
    ObjectNode body = Wire.object();
    ObjectNode turn = body.putArray("turns").addObject();
    turn.put("role", part.role().equalsIgnoreCase("model") ? "model" : "user");
    turn.putArray("parts").add(contentPart);
    body.put("turnComplete", turnComplete);
    return content(wrap("clientContent", body), turnComplete);
  }

  /**
   * A BLOCKING function's response continues the turn that called it; a NON_BLOCKING one's makes the model
   * answer again unless its scheduling is {@code SILENT}.
   */
  private static Outgoing toolResponse(PartContent.FunctionResponse r, boolean nonBlocking) {
    ObjectNode response = Wire.object();
    if (r.id() != null) {
      response.put("id", r.id());
    }
    response.put("name", r.name());
    response.set("response", responseBody(r));
    Scheduling scheduling = r.scheduling();
    if (scheduling != null) {
      response.put("scheduling", scheduling.name());
    }
    if (r.willContinue()) {
      response.put("willContinue", true);
    }
    ObjectNode body = Wire.object();
    body.putArray("functionResponses").add(response);
    List<String> answered = r.id() == null || r.willContinue() ? List.of() : List.of(r.id());
    return new Outgoing(
        Kind.TOOL_RESPONSE,
        write(wrap("toolResponse", body)),
        nonBlocking && scheduling != Scheduling.SILENT,
        answered);
  }

  /** {@code {"result": x}} becomes {@code {"output": x}} (the API's key); errors and other shapes stay. */
  private static JsonNode responseBody(PartContent.FunctionResponse r) {
    JsonNode response = r.response();
    if (!r.isError() && response.size() == 1 && response.has("result")) {
      return Wire.object().set("output", response.get("result"));
    }
    return response;
  }

  /**
   * A {@code realtimeInput} media message, written straight from the part's bytes (a view, no copy) into one
   * array of its exact size; the text is the same as {@link #write} gives for the message's tree.
   */
  private Outgoing media(String field, String mimeType, Part part) {
    Base64Json frame = lastFrame;
    if (frame == null || !field.equals(lastField) || !mimeType.equals(lastMimeType)) {
      ObjectNode blob = Wire.object().put("mimeType", mimeType);
      frame = Base64Json.of(realtime(field, blob), blob, "data");
      lastFrame = frame;
      lastField = field;
      lastMimeType = mimeType;
    }
    return new Outgoing(Kind.MEDIA, frame.frame(part.byteBuffer()), false, List.of());
  }

  private static Outgoing content(ObjectNode message, boolean triggersTurn) {
    return new Outgoing(Kind.CONTENT, write(message), triggersTurn, List.of());
  }

  private static ObjectNode realtime(String field, JsonNode value) {
    ObjectNode body = Wire.object();
    body.set(field, value);
    return wrap("realtimeInput", body);
  }

  private static ObjectNode wrap(String type, JsonNode body) {
    ObjectNode message = Wire.object();
    message.set(type, body);
    return message;
  }

  static String write(JsonNode message) {
    return WireJson.write(message);
  }

  static @Nullable String typeOf(String json) {
    int quote = json.indexOf('"');
    int end = quote < 0 ? -1 : json.indexOf('"', quote + 1);
    return end < 0 ? null : json.substring(quote + 1, end);
  }
}
