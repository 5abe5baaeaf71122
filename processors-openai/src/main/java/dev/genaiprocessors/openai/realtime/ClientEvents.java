package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.client.internal.Base64Json;
import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.OutOfBandRequest;
import java.nio.ByteBuffer;
import java.util.Base64;
import tools.jackson.databind.node.ObjectNode;

/** The client events of the GA protocol the processor sends, other than {@code session.update}. */
final class ClientEvents {
  /**
   * The key of the entry an out-of-band {@code response.create} adds to its {@code metadata}: the request's
   * id, which the server echoes on {@code response.created}, so that the answer finds its request.
   */
  static final String OUT_OF_BAND_ID = "out_of_band_id";

  /**
   * The prefix of the {@code event_id} of an out-of-band {@code response.create}, before the request's id: the
   * server echoes a client event's id in the {@code error} event that refuses it ({@code error.event_id}), so a
   * refused request is found and ends with an error instead of waiting for an answer that never comes.
   */
  static final String OUT_OF_BAND_EVENT_PREFIX = "out_of_band_";

  private ClientEvents() {}

  /** The prefix and suffix of {@code input_audio_buffer.append} around its Base64 audio. */
  private static final Base64Json APPEND = appendTemplate();

  private static Base64Json appendTemplate() {
    ObjectNode e = event("input_audio_buffer.append");
    return Base64Json.of(e, e, "audio");
  }

  /** The tree of {@code input_audio_buffer.append} (the old path, kept for tests and the benchmark's baseline). */
  static ObjectNode append(byte[] audio) {
    return event("input_audio_buffer.append")
        .put("audio", Base64.getEncoder().encodeToString(audio));
  }

  /**
   * {@code input_audio_buffer.append} as UTF-8, written from the bytes' view (no copy) into one array of its
   * exact size; the same text as {@link #append(byte[])} written by the mapper.
   *
   * @param audio the audio, from its position to its limit (left unchanged)
   */
  static byte[] append(ByteBuffer audio) {
    return APPEND.frame(audio);
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

  /**
   * The {@code response.create} of an out-of-band request, with {@code event_id}
   * {@link #OUT_OF_BAND_EVENT_PREFIX} plus the request's id: {@code conversation: "none"}, its instructions,
   * {@code output_modalities: ["text"]} when text only, its metadata plus {@link #OUT_OF_BAND_ID}, and, when it
   * has input, its item references then its parts as user messages.
   *
   * @throws IllegalArgumentException when an input part is neither text nor an image
   */
  static ObjectNode createResponse(OutOfBandRequest request) {
    ObjectNode r = WireJson.MAPPER.createObjectNode();
    r.put("conversation", "none");
    if (request.textOnly()) {
      r.putArray("output_modalities").add("text");
    }
    request.instructions().ifPresent(i -> r.put("instructions", i));
    ObjectNode m = r.putObject("metadata");
    request.metadata().forEach(m::put);
    m.put(OUT_OF_BAND_ID, request.id());
    request
        .input()
        .ifPresent(
            parts -> {
              var in = r.putArray("input");
              for (String id : request.itemReferences()) {
                in.addObject().put("type", "item_reference").put("id", id);
              }
              for (Part p : parts) {
                in.add(userMessage(p));
              }
            });
    ObjectNode e =
        event("response.create").put("event_id", OUT_OF_BAND_EVENT_PREFIX + request.id());
    e.set("response", r);
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
