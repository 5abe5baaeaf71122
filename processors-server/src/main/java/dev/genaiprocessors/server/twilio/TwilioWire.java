package dev.genaiprocessors.server.twilio;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON text of Media Streams messages, per Twilio's "Media Streams - WebSocket Messages" page: {@link
 * #parse(String)} reads what Twilio sends ({@code connected}, {@code start}, {@code media}, {@code mark},
 * {@code dtmf}, {@code stop}), and {@link #media}, {@link #mark} and {@link #clear} write what is sent back.
 *
 * <p>Parsing is strict about what the call needs (the event name, the {@code streamSid}, the media
 * format, the payload) and lenient about the rest: fields it does not use, such as {@code
 * sequenceNumber}, may be missing or hold anything. Stateless and thread-safe.
 */
public final class TwilioWire {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** The longest text frame read; a {@code media} of 20 ms is about 300 bytes. */
  public static final int MAX_MESSAGE_CHARS = 64 * 1024;

  private TwilioWire() {}

  /**
   * Reads one message from Twilio.
   *
   * @param text the text frame
   * @return the event
   * @throws TwilioProtocolException when the text is not JSON, is longer than {@link
   *     #MAX_MESSAGE_CHARS}, names an unknown event, or lacks a field the event needs
   */
  public static TwilioEvent parse(String text) {
    if (text.length() > MAX_MESSAGE_CHARS) {
      throw new TwilioProtocolException(
          "a Media Streams message of "
              + text.length()
              + " characters is longer than the limit of "
              + MAX_MESSAGE_CHARS
              + "; Twilio sends audio in chunks of about 20 ms");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw new TwilioProtocolException(
          "a Media Streams message is not JSON ("
              + e.getOriginalMessage()
              + "); Twilio sends one JSON object per text frame");
    }
    if (root == null || !root.isObject()) {
      throw new TwilioProtocolException(
          "a Media Streams message is JSON but not an object; Twilio sends {\"event\": ...}");
    }
    String event = string(root, "event", "message");
    return switch (event) {
      case "connected" ->
          new TwilioEvent.Connected(
              string(root, "protocol", "connected"), string(root, "version", "connected"));
      case "start" -> start(root);
      case "media" -> media(root);
      case "mark" ->
          new TwilioEvent.Mark(
              string(root, "streamSid", "mark"),
              string(object(root, "mark", "mark"), "name", "mark.mark"));
      case "dtmf" ->
          new TwilioEvent.Dtmf(
              string(root, "streamSid", "dtmf"),
              string(object(root, "dtmf", "dtmf"), "digit", "dtmf.dtmf"));
      case "stop" -> new TwilioEvent.Stop(string(root, "streamSid", "stop"));
      default ->
          throw new TwilioProtocolException(
              "unknown Media Streams event '"
                  + shorten(event)
                  + "'; Twilio sends connected, start, media, mark, dtmf and stop");
    };
  }

  private static TwilioEvent.Start start(JsonNode root) {
    JsonNode start = object(root, "start", "start");
    String streamSid = string(root, "streamSid", "start");
    String inner = optionalString(start, "streamSid");
    if (inner != null && !inner.equals(streamSid)) {
      throw new TwilioProtocolException(
          "a start message names two streams (streamSid '"
              + shorten(streamSid)
              + "' and start.streamSid '"
              + shorten(inner)
              + "'); they must be the same");
    }
    JsonNode format = object(start, "mediaFormat", "start.start");
    List<String> tracks = new ArrayList<>();
    JsonNode trackNode = start.get("tracks");
    if (trackNode != null && trackNode.isArray()) {
      for (JsonNode t : trackNode) {
        if (t.isString()) {
          tracks.add(t.stringValue());
        }
      }
    }
    Map<String, String> custom = new LinkedHashMap<>();
    JsonNode params = start.get("customParameters");
    if (params != null && params.isObject()) {
      for (Map.Entry<String, JsonNode> p : params.properties()) {
        custom.put(
            p.getKey(),
            p.getValue().isString() ? p.getValue().stringValue() : p.getValue().toString());
      }
    }
    return new TwilioEvent.Start(
        streamSid,
        string(start, "callSid", "start.start"),
        string(start, "accountSid", "start.start"),
        tracks,
        string(format, "encoding", "start.start.mediaFormat"),
        integer(format, "sampleRate", "start.start.mediaFormat"),
        integer(format, "channels", "start.start.mediaFormat"),
        custom);
  }

  private static TwilioEvent.Media media(JsonNode root) {
    JsonNode media = object(root, "media", "media");
    String payload = string(media, "payload", "media.media");
    byte[] ulaw;
    try {
      ulaw = Base64.getDecoder().decode(payload);
    } catch (IllegalArgumentException e) {
      throw new TwilioProtocolException(
          "a media payload is not base64 ("
              + e.getMessage()
              + "); Twilio sends μ-law audio as standard base64");
    }
    String track = optionalString(media, "track");
    return new TwilioEvent.Media(
        string(root, "streamSid", "media"),
        track == null ? "inbound" : track,
        optionalLong(media, "chunk"),
        optionalLong(media, "timestamp"),
        ulaw);
  }

  /**
   * A {@code media} message: audio for the caller.
   *
   * @param streamSid the stream's id, from {@code start}
   * @param ulaw μ-law audio at 8 kHz
   * @return the JSON text
   */
  public static String media(String streamSid, byte[] ulaw) {
    ObjectNode m = MAPPER.createObjectNode().put("event", "media").put("streamSid", streamSid);
    m.putObject("media").put("payload", Base64.getEncoder().encodeToString(ulaw));
    return m.toString();
  }

  /**
   * A {@code mark} message: Twilio sends it back once the audio sent before it has played (or a {@code
   * clear} dropped it).
   *
   * @param streamSid the stream's id, from {@code start}
   * @param name the mark's name
   * @return the JSON text
   */
  public static String mark(String streamSid, String name) {
    ObjectNode m = MAPPER.createObjectNode().put("event", "mark").put("streamSid", streamSid);
    m.putObject("mark").put("name", name);
    return m.toString();
  }

  /**
   * A {@code clear} message: Twilio drops the audio it holds for the caller and sends back the marks
   * still pending.
   *
   * @param streamSid the stream's id, from {@code start}
   * @return the JSON text
   */
  public static String clear(String streamSid) {
    return MAPPER.createObjectNode().put("event", "clear").put("streamSid", streamSid).toString();
  }

  private static JsonNode object(JsonNode parent, String field, String where) {
    JsonNode node = parent.get(field);
    if (node == null || !node.isObject()) {
      throw new TwilioProtocolException(
          "a Media Streams '"
              + where
              + "' message has no object '"
              + field
              + "'"
              + (node == null ? "" : " (it is " + node.getNodeType() + ")")
              + "; Twilio always sends it");
    }
    return node;
  }

  private static String string(JsonNode parent, String field, String where) {
    JsonNode node = parent.get(field);
    if (node == null || !node.isString()) {
      throw new TwilioProtocolException(
          "a Media Streams '"
              + where
              + "' has no string '"
              + field
              + "'"
              + (node == null ? "" : " (it is " + node.getNodeType() + ")")
              + "; Twilio always sends it");
    }
    return node.stringValue();
  }

  private static int integer(JsonNode parent, String field, String where) {
    JsonNode node = parent.get(field);
    if (node != null && node.isIntegralNumber() && node.canConvertToInt()) {
      return node.intValue();
    }
    if (node != null && node.isString()) {
      try {
        return Integer.parseInt(node.stringValue());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new TwilioProtocolException(
        "a Media Streams '"
            + where
            + "' has no whole number '"
            + field
            + "'; Twilio always sends it");
  }

  private static @Nullable String optionalString(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    return node != null && node.isString() ? node.stringValue() : null;
  }

  /** Twilio writes numbers such as {@code chunk} and {@code timestamp} as strings; -1 when absent or not a number. */
  private static long optionalLong(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null) {
      return -1;
    }
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    if (node.isString()) {
      try {
        return Long.parseLong(node.stringValue());
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
