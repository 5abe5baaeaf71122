package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.Part;
import java.nio.ByteBuffer;
import java.util.Base64;
import tools.jackson.databind.node.ObjectNode;

/** The client events of the GA protocol the processor sends, other than {@code session.update}. */
final class ClientEvents {
  private ClientEvents() {}

  static ObjectNode append(byte[] audio) {
    return event("input_audio_buffer.append")
        .put("audio", Base64.getEncoder().encodeToString(audio));
  }

  static ObjectNode commit() {
    return event("input_audio_buffer.commit");
  }

  static ObjectNode clear() {
    return event("input_audio_buffer.clear");
  }

  /** A user message of a text or image part, as a {@code conversation.item.create}. */
  static ObjectNode createUserItem(Part part) {
    ObjectNode e = event("conversation.item.create");
    e.set("item", userMessage(part));
    return e;
  }

  /** A message item the continuation seeds a new session with: user {@code input_text} or assistant {@code output_text}. */
  static ObjectNode createTextItem(String role, String text) {
    ObjectNode e = event("conversation.item.create");
    ObjectNode item = e.putObject("item");
    item.put("type", "message");
    item.put("role", role);
    item.putArray("content")
        .addObject()
        .put("type", role.equals("assistant") ? "output_text" : "input_text")
        .put("text", text);
    return e;
  }

  static ObjectNode functionOutput(String callId, String output) {
    ObjectNode e = event("conversation.item.create");
    e.putObject("item")
        .put("type", "function_call_output")
        .put("call_id", callId)
        .put("output", output);
    return e;
  }

  static ObjectNode createResponse() {
    return event("response.create");
  }

  static ObjectNode createResponse(ObjectNode response) {
    ObjectNode e = event("response.create");
    e.set("response", response);
    return e;
  }

  static ObjectNode cancel(String responseId) {
    return event("response.cancel").put("response_id", responseId);
  }

  static ObjectNode truncate(String itemId, long audioEndMillis) {
    return event("conversation.item.truncate")
        .put("item_id", itemId)
        .put("content_index", 0)
        .put("audio_end_ms", audioEndMillis);
  }

  /**
   * A user message item: {@code input_text} for a text part, {@code input_image} (a data URL) for an image.
   *
   * @throws IllegalArgumentException for any other part
   */
  static ObjectNode userMessage(Part part) {
    ObjectNode item = WireJson.MAPPER.createObjectNode();
    item.put("type", "message");
    item.put("role", "user");
    ObjectNode content = item.putArray("content").addObject();
    if (part.isImage()) {
      ByteBuffer bytes = part.byteBuffer();
      byte[] data = new byte[bytes.remaining()];
      bytes.duplicate().get(data);
      String mime = part.mimeType();
      int semicolon = mime.indexOf(';');
      content.put("type", "input_image");
      content.put(
          "image_url",
          "data:"
              + (semicolon < 0 ? mime : mime.substring(0, semicolon)).strip()
              + ";base64,"
              + Base64.getEncoder().encodeToString(data));
    } else if (part.isText()) {
      content.put("type", "input_text");
      content.put("text", part.text());
    } else {
      throw new IllegalArgumentException(
          "OpenAI Realtime takes text and image parts as user messages, not " + part.mimeType());
    }
    return item;
  }

  private static ObjectNode event(String type) {
    return WireJson.MAPPER.createObjectNode().put("type", type);
  }
}
