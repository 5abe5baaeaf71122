package dev.genaiprocessors.testkit.gemini;

import tools.jackson.databind.JsonNode;

/**
 * A message a client sent to the {@link GeminiLiveEmulator}, as recorded for assertions
 * ({@link GeminiLiveEmulator#takeMessage}).
 *
 * @param connection which connection it came on, counting from 1
 * @param type its top-level field: {@code setup}, {@code clientContent}, {@code realtimeInput} or {@code toolResponse}
 * @param json the whole message with field names normalised to lowerCamelCase (snake_case accepted)
 */
public record ClientMessage(int connection, String type, JsonNode json) {

  /**
   * The message's body: {@code json.get(type)}.
   *
   * @return the message body, the value under its type
   */
  public JsonNode body() {
    return json.path(type);
  }

  /**
   * The audio of a {@code realtimeInput} message.
   *
   * @return the decoded bytes of {@code realtimeInput.audio.data} (standard or URL-safe base64); empty if
   *     none
   */
  public byte[] audio() {
    JsonNode data = body().path("audio").path("data");
    return data.isString() ? EmulatorWire.base64(data.stringValue()) : new byte[0];
  }

  @Override
  public String toString() {
    String text = json.toString();
    return "ClientMessage{"
        + connection
        + ", "
        + (text.length() > 300 ? text.substring(0, 300) + "…" : text)
        + "}";
  }
}
