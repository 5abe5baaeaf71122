package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.client.internal.Base64Json;
import dev.genaiprocessors.client.internal.WireJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The fast path of {@link ServerEvents} for the event a session gets most, {@code response.output_audio.delta}:
 * read with the streaming parser straight from the frame's bytes, its Base64 decoded from those bytes by the
 * JDK's decoder (the tree path's), with no tree and no String of the frame or the data.
 *
 * <p>Anything else gives null, and {@link ServerEvents} reads the frame as a tree, as it does every other
 * event: a frame whose first field is not {@code "type": "response.output_audio.delta"}, a
 * {@code response_id}, {@code item_id} or {@code delta} that is not a string or comes twice, no
 * {@code delta}, a {@code delta} with an escape or that the Base64 decoder refuses, trailing tokens, or
 * malformed JSON. Other fields
 * ({@code event_id}, {@code output_index}, {@code content_index}, any new one) are skipped, as the tree path
 * ignores them. So this path gives what the tree path gives for the same frame, and every error comes from
 * the tree path.
 *
 * @param responseId the {@code response_id}, null when absent or empty (as {@link WireJson#text} reads it)
 * @param itemId the {@code item_id}, null when absent or empty
 * @param audio the decoded {@code delta}
 */
record AudioDelta(@Nullable String responseId, @Nullable String itemId, byte[] audio) {
  private static final String TYPE = "response.output_audio.delta";

  /**
   * The audio delta of a frame.
   *
   * @param frame the frame's bytes
   * @return the delta, or null when the frame is not one of the shape above (read it as a tree then)
   */
  static @Nullable AudioDelta read(byte[] frame) {
    try (JsonParser p = WireJson.MAPPER.createParser(frame)) {
      if (p.nextToken() != JsonToken.START_OBJECT
          || p.nextToken() != JsonToken.PROPERTY_NAME
          || !"type".equals(p.currentName())
          || p.nextToken() != JsonToken.VALUE_STRING
          || !TYPE.equals(p.getString())) {
        return null;
      }
      String responseId = null;
      String itemId = null;
      boolean sawResponse = false;
      boolean sawItem = false;
      byte[] audio = null;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "response_id" -> {
            if (sawResponse || value != JsonToken.VALUE_STRING) {
              return null;
            }
            sawResponse = true;
            responseId = nonEmpty(p.getString());
          }
          case "item_id" -> {
            if (sawItem || value != JsonToken.VALUE_STRING) {
              return null;
            }
            sawItem = true;
            itemId = nonEmpty(p.getString());
          }
          case "delta" -> {
            if (audio != null || value != JsonToken.VALUE_STRING) {
              return null;
            }
            // Decoded by the JDK's decoder from the frame's bytes, as the tree path decodes the
            // String.
            audio = Base64Json.decodeString(frame, p.currentTokenLocation().getByteOffset());
            if (audio == null) {
              return null;
            }
          }
          case "type" -> {
            return null; // twice: the tree reads the last one
          }
          default -> p.skipChildren();
        }
      }
      return audio != null && p.nextToken() == null
          ? new AudioDelta(responseId, itemId, audio)
          : null;
    } catch (JacksonException | IllegalArgumentException e) {
      return null; // the tree path reads it again and says what was wrong
    }
  }

  private static @Nullable String nonEmpty(String s) {
    return s.isEmpty() ? null : s;
  }
}
