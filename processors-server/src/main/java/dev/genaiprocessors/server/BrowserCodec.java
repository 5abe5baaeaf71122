package dev.genaiprocessors.server;

import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.Substreams;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The browser wire format, the server's default codec: JSON control messages in text frames, raw
 * 16-bit little-endian mono PCM in binary frames. The README's "Serving browsers and phones" section is
 * its specification for clients in other languages.
 *
 * <p><b>Client to server.</b> First {@code {"type":"start","sampleRate":16000}} (8000 to 48000 Hz: the
 * rate of every binary frame that follows), answered with {@code {"type":"ready","conversation":id,
 * "sampleRate":16000}}. Then binary frames of PCM at that rate (an even number of bytes), and these
 * messages: {@code {"type":"text","text":"..."}} (a typed message, answered at once);
 * {@code {"type":"start_of_speech"}} and {@code {"type":"end_of_speech"}} (the client's own voice
 * detection, for a pipeline in manual mode); {@code {"type":"end_of_turn"}} (answer now);
 * {@code {"type":"interrupt"}} (stop the answer under way); {@code {"type":"stop"}} (the client ends its
 * input; the answer under way finishes, then the server closes with 1000); {@code {"type":"ping"}}
 * (answered with {@code {"type":"pong"}}). Anything else is a bad frame, closed with 1003.
 *
 * <p><b>Server to client.</b> {@code {"type":"audio_format","sampleRate":24000}} before the first binary
 * frame and whenever the rate changes; binary frames of the assistant's PCM at that rate;
 * {@code {"type":"transcript","role":"user"|"assistant","text":"...","final":true|false}};
 * {@code {"type":"text","role":"assistant","text":"..."}} (text the model wrote, not spoken);
 * {@code {"type":"state","state":"idle"|"listening"|"processing"|"speaking"|"interrupted"}};
 * {@code {"type":"interrupted"}} (flush every sample not yet played: the answer was cut);
 * {@code {"type":"turn_complete"}}; {@code {"type":"status","text":"..."}};
 * {@code {"type":"error","code":1003,"message":"..."}} just before a close.
 *
 * <p>One object per connection. {@link #decode} and {@link #encode} keep separate state (the agreed
 * input rate is the only shared value, written once and read on the decoding side only), so they may
 * run at the same time.
 */
public final class BrowserCodec implements ConnectionCodec {
  /** The lowest input rate a client may agree: {@value} Hz. */
  public static final int MIN_SAMPLE_RATE = 8000;

  /** The highest input rate a client may agree: {@value} Hz. */
  public static final int MAX_SAMPLE_RATE = 48000;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String conversationId;
  // Decoding side (one frame at a time).
  private int inputRate;
  // Encoding side (one part at a time).
  private int outputRate;
  private String state = "";

  /**
   * The codec of one connection.
   *
   * @param connection the connection (its id goes into the {@code ready} message)
   */
  public BrowserCodec(ConnectionInfo connection) {
    this.conversationId = connection.id();
  }

  /**
   * The factory the server uses by default.
   *
   * @return a factory of browser codecs
   */
  public static ConnectionCodec.Factory factory() {
    return BrowserCodec::new;
  }

  @Override
  public Decoded decode(WireFrame frame) {
    if (frame instanceof WireFrame.Binary binary) {
      return audio(binary.bytes());
    }
    JsonNode message = parse(((WireFrame.Text) frame).text());
    String type = message.path("type").asString("");
    if (inputRate == 0 && !type.equals("start")) {
      throw bad(
          "the first message must be {\"type\":\"start\",\"sampleRate\":16000}, not "
              + quoted(type));
    }
    return switch (type) {
      case "start" -> start(message);
      case "text" -> {
        JsonNode text = message.get("text");
        if (text == null || !text.isString() || text.asString().isBlank()) {
          throw bad("a text message needs a non-blank string \"text\"");
        }
        yield Decoded.parts(
            Part.text(text.asString())
                .withRole("user")
                .withMetadata(PartMetadata.TURN_COMPLETE, true));
      }
      case "start_of_speech" -> Decoded.parts(Part.startOfSpeech().withRole("user"));
      case "end_of_speech" -> Decoded.parts(Part.endOfSpeech().withRole("user"));
      case "end_of_turn" -> Decoded.parts(Part.endOfTurn().withRole("user"));
      case "interrupt" -> Decoded.parts(Part.interrupted().withRole("user"));
      case "stop" -> Decoded.end();
      case "ping" -> Decoded.reply(message("pong"));
      default ->
          throw bad(
              "unknown message type "
                  + quoted(type)
                  + "; expected start, text, start_of_speech, end_of_speech, end_of_turn,"
                  + " interrupt, stop or ping");
    };
  }

  private Decoded start(JsonNode message) {
    if (inputRate != 0) {
      throw bad("the conversation has already started; send start once");
    }
    JsonNode rate = message.get("sampleRate");
    if (rate == null
        || !rate.canConvertToInt()
        || !rate.isIntegralNumber()
        || rate.asInt() < MIN_SAMPLE_RATE
        || rate.asInt() > MAX_SAMPLE_RATE) {
      throw bad(
          "start needs \"sampleRate\": a whole number of Hz from "
              + MIN_SAMPLE_RATE
              + " to "
              + MAX_SAMPLE_RATE
              + " (the rate of the PCM in binary frames)");
    }
    inputRate = rate.asInt();
    ObjectNode ready = object("ready");
    ready.put("conversation", conversationId);
    ready.put("sampleRate", inputRate);
    return Decoded.reply(WireFrame.text(ready.toString()));
  }

  private Decoded audio(byte[] pcm) {
    if (inputRate == 0) {
      throw bad("audio before start: send {\"type\":\"start\",\"sampleRate\":16000} first");
    }
    if (pcm.length % 2 != 0) {
      throw bad(
          "a binary frame of "
              + pcm.length
              + " bytes holds half a sample; send whole 16-bit little-endian samples");
    }
    if (pcm.length == 0) {
      return Decoded.nothing();
    }
    return Decoded.parts(Part.audio(pcm, inputRate).withRole("user"));
  }

  @Override
  public List<WireFrame> encode(Part part) {
    List<WireFrame> out = new ArrayList<>(3);
    if (part.isInterrupted()) {
      out.add(message("interrupted"));
      state(out, "interrupted");
      state(out, "listening");
      return out;
    }
    if (part.isAudio() && !"user".equals(part.role())) {
      OptionalInt rate = MimeTypes.sampleRate(part.mimeType());
      if (rate.isEmpty() || !MimeTypes.AUDIO_PCM.equals(MimeTypes.essence(part.mimeType()))) {
        return out; // not raw PCM with a rate: a browser cannot play it as such
      }
      if (rate.getAsInt() != outputRate) {
        outputRate = rate.getAsInt();
        ObjectNode format = object("audio_format");
        format.put("sampleRate", outputRate);
        out.add(WireFrame.text(format.toString()));
      }
      state(out, "speaking");
      out.add(WireFrame.binary(part.bytes()));
      return out;
    }
    if (part.isStartOfSpeech()) {
      state(out, "listening");
      return out;
    }
    if (part.isEndOfSpeech()) {
      state(out, "processing");
      return out;
    }
    if (part.isTranscription() && part.isText()) {
      boolean user = Substreams.INPUT_TRANSCRIPTION.equals(part.substream());
      if (user && part.isFinalTranscription()) {
        state(out, "processing");
      }
      ObjectNode t = object("transcript");
      t.put("role", user ? "user" : "assistant");
      t.put("text", part.text());
      t.put("final", part.isFinalTranscription());
      out.add(0, WireFrame.text(t.toString()));
      return out;
    }
    if (part.isEndOfTurn() && !"user".equals(part.role())) {
      out.add(message("turn_complete"));
      state(out, "idle");
      return out;
    }
    if (part.isStatus() && part.isText() && !part.text().isEmpty()) {
      ObjectNode s = object("status");
      s.put("text", part.text());
      out.add(WireFrame.text(s.toString()));
      return out;
    }
    if (part.isText()
        && !part.isThought()
        && !part.text().isEmpty()
        && "model".equals(part.role())
        && part.substream().isEmpty()) {
      ObjectNode t = object("text");
      t.put("role", "assistant");
      t.put("text", part.text());
      out.add(WireFrame.text(t.toString()));
    }
    return out;
  }

  @Override
  public List<WireFrame> encodeError(int closeCode, String message) {
    ObjectNode e = object("error");
    e.put("code", closeCode);
    e.put("message", message);
    return List.of(WireFrame.text(e.toString()));
  }

  private void state(List<WireFrame> out, String next) {
    if (!next.equals(state)) {
      state = next;
      ObjectNode s = object("state");
      s.put("state", next);
      out.add(WireFrame.text(s.toString()));
    }
  }

  private static JsonNode parse(String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JacksonException e) {
      throw bad(
          "a text frame is not JSON ("
              + e.getOriginalMessage()
              + "); send one JSON object per frame");
    }
    if (node == null || !node.isObject() || !node.path("type").isString()) {
      throw bad("a text frame must be a JSON object with a string \"type\"");
    }
    return node;
  }

  private static ObjectNode object(String type) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", type);
    return node;
  }

  private static WireFrame message(String type) {
    return WireFrame.text(object(type).toString());
  }

  private static String quoted(String type) {
    String shown = type.length() > 40 ? type.substring(0, 40) + "..." : type;
    return "\"" + shown + "\"";
  }

  private static BadFrameException bad(String message) {
    return new BadFrameException(CloseCodes.UNSUPPORTED_DATA, message);
  }
}
