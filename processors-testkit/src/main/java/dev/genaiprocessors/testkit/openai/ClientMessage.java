package dev.genaiprocessors.testkit.openai;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A client event the {@link OpenAiRealtimeEmulator} received, as recorded for assertions
 * ({@link OpenAiRealtimeEmulator#takeMessage}); recorded before it is checked, so refused events are here too.
 *
 * @param connection which connection it came on, counting from 1
 * @param type its {@code type} field, for example {@code session.update}; empty when it had none
 * @param json the whole event as sent
 */
public record ClientMessage(int connection, String type, JsonNode json) {

  /**
   * The client's {@code event_id}.
   *
   * @return the id, or null when the event had none
   */
  public @Nullable String eventId() {
    return RealtimeWire.text(json, "event_id");
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
