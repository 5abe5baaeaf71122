package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.client.internal.Base64Json;
import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The fast path of {@link ServerMessages} for the message a session gets most: model audio alone,
 * {@code {"serverContent": {"modelTurn": {"parts": [{"inlineData": {"mimeType": .., "data": ..}}]}}}}.
 * It is read with the streaming parser straight from the frame's bytes, and the Base64 is decoded from
 * those bytes by the JDK's decoder (the tree path's), with no tree and no String of the data.
 *
 * <p>Anything else gives null, and {@link ServerMessages} reads the frame as a tree, as it does every other
 * message: another field (known or not) beside these, a field twice or in both spellings, a JSON null, a
 * part that is not inline data, data with an escape or that the basic Base64 decoder refuses (the tree
 * path also tries URL-safe Base64, and says what was wrong), more parts than {@code maxEvents}, trailing tokens, malformed JSON or a frame over
 * the token limit. So the events this path gives are exactly those the tree path gives for the same frame,
 * and every error comes from the tree path. Stateless and thread-safe.
 */
final class AudioMessages {
  private AudioMessages() {}

  /**
   * The events of a frame that holds model audio (or other inline data) only.
   *
   * @param frame the frame's bytes
   * @param maxEvents the most events the message may give
   * @return the events, or null when the frame is not of that shape (read it as a tree then)
   */
  static @Nullable List<ServerEvent> decode(byte[] frame, int maxEvents) {
    try (JsonParser p = ServerMessages.READER.createParser(frame)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      List<ServerEvent> events = null;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String name = p.currentName();
        if (events != null
            || !("serverContent".equals(name) || "server_content".equals(name))
            || p.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        events = serverContent(p, frame, maxEvents);
        if (events == null) {
          return null;
        }
      }
      return events != null && p.nextToken() == null ? events : null;
    } catch (JacksonException | IllegalArgumentException e) {
      return null; // the tree path reads it again and says what was wrong
    }
  }

  /** {@code serverContent} with {@code modelTurn} alone; the parser is on its START_OBJECT. */
  private static @Nullable List<ServerEvent> serverContent(
      JsonParser p, byte[] frame, int maxEvents) {
    List<ServerEvent> events = null;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String name = p.currentName();
      if (events != null
          || !("modelTurn".equals(name) || "model_turn".equals(name))
          || p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      events = modelTurn(p, frame, maxEvents);
      if (events == null) {
        return null;
      }
    }
    return events;
  }

  /** {@code modelTurn} with {@code parts} and perhaps a {@code role} (which the tree path ignores too). */
  private static @Nullable List<ServerEvent> modelTurn(JsonParser p, byte[] frame, int maxEvents) {
    List<ServerEvent> events = null;
    boolean role = false;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if ("role".equals(name) && !role && value == JsonToken.VALUE_STRING) {
        role = true;
      } else if ("parts".equals(name) && events == null && value == JsonToken.START_ARRAY) {
        events = new ArrayList<>(1);
        for (JsonToken item = p.nextToken(); item != JsonToken.END_ARRAY; item = p.nextToken()) {
          Part part = item == JsonToken.START_OBJECT ? part(p, frame) : null;
          if (part == null || events.size() >= maxEvents) {
            return null;
          }
          events.add(new ServerEvent.Content(part));
        }
      } else {
        return null;
      }
    }
    return events;
  }

  /** A part with {@code inlineData} alone; the parser is on its START_OBJECT. */
  private static @Nullable Part part(JsonParser p, byte[] frame) {
    Part part = null;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String name = p.currentName();
      if (part != null
          || !("inlineData".equals(name) || "inline_data".equals(name))
          || p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      part = inlineData(p, frame);
      if (part == null) {
        return null;
      }
    }
    return part;
  }

  /** {@code inlineData}: a string MIME type and Base64 data, in either order; the parser is on its START_OBJECT. */
  private static @Nullable Part inlineData(JsonParser p, byte[] frame) {
    String mimeType = null;
    byte[] data = null;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (value != JsonToken.VALUE_STRING) {
        return null;
      }
      if (mimeType == null && ("mimeType".equals(name) || "mime_type".equals(name))) {
        mimeType = p.getString();
      } else if (data == null && "data".equals(name)) {
        // Decoded by the JDK's decoder from the frame's bytes, as the tree path decodes the String
        // first.
        data = Base64Json.decodeString(frame, p.currentTokenLocation().getByteOffset());
        if (data == null) {
          return null;
        }
      } else {
        return null;
      }
    }
    if (mimeType == null || data == null) {
      return null;
    }
    String essence = MimeTypes.essence(mimeType);
    if (essence.equals(MimeTypes.AUDIO_PCM) || essence.equals(MimeTypes.AUDIO_L16)) {
      mimeType = MimeTypes.pcm(MimeTypes.sampleRate(mimeType).orElse(24000));
    }
    return Part.bytes(data, mimeType).withRole("model");
  }
}
