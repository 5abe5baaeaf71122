package dev.genaiprocessors.testkit.openai;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One response, from {@code response.created} to {@code response.done}: {@link #start} sends the items and their
 * deltas, {@link #finish} their {@code .done} events and {@code response.done}. Engine thread only.
 *
 * <p>Usage is made up but consistent: text tokens are a quarter of the characters, audio tokens one per 50 ms,
 * input tokens grow with the conversation, and the totals add up.
 */
final class ResponseRun {
  /** Audio deltas carry at most this many milliseconds. */
  static final int AUDIO_DELTA_MS = 100;

  /** An output item as sent so far. */
  private record Item(ObjectNode json, Output output, int index, long audioMs) {}

  final String id;

  /** {@code conv_...} for the default conversation, null for an out-of-band response. */
  final @Nullable String conversationId;

  private final RealtimeConnection connection;
  private final ArrayNode modalities;
  private final @Nullable JsonNode metadata;
  private final ObjectNode audio;
  private final JsonNode maxOutputTokens;
  private final int inputTokens;
  private final List<Item> items = new ArrayList<>();
  private long outputTextTokens;
  private long outputAudioTokens;

  /** Whether {@link #start} ran. */
  boolean started;

  ResponseRun(
      RealtimeConnection connection,
      String id,
      @Nullable String conversationId,
      ArrayNode modalities,
      @Nullable JsonNode metadata,
      ObjectNode audio,
      JsonNode maxOutputTokens,
      int inputTokens) {
    this.connection = connection;
    this.id = id;
    this.conversationId = conversationId;
    this.modalities = modalities;
    this.metadata = metadata;
    this.audio = audio;
    this.maxOutputTokens = maxOutputTokens;
    this.inputTokens = inputTokens;
  }

  /** Sends {@code response.created}, {@code rate_limits.updated}, then every output's item and deltas. */
  void start(List<Output> outputs) {
    started = true;
    connection.send(withResponse("response.created", json("in_progress", null, null, false)));
    ObjectNode limits = connection.event("rate_limits.updated");
    ArrayNode list = limits.putArray("rate_limits");
    list.addObject()
        .put("name", "requests")
        .put("limit", 5000)
        .put("remaining", 4999)
        .put("reset_seconds", 0.012);
    list.addObject()
        .put("name", "tokens")
        .put("limit", 800000)
        .put("remaining", 799000)
        .put("reset_seconds", 0.075);
    connection.send(limits);
    boolean textOnly = "text".equals(modalities.path(0).asString());
    for (Output output : outputs) {
      if (output instanceof Output.Audio a && textOnly) {
        output = Output.text(a.transcript());
      }
      startItem(output);
    }
  }

  private void startItem(Output output) {
    ObjectNode item = RealtimeWire.object();
    item.put("id", connection.ids.next("item"));
    item.put("object", "realtime.item");
    int index = items.size();
    long ms = 0;
    if (output instanceof Output.FunctionCall call) {
      item.put("type", "function_call");
      item.put("status", "in_progress");
      item.put("call_id", call.callId() != null ? call.callId() : connection.ids.next("call"));
      item.put("name", call.name());
      item.put("arguments", "");
    } else {
      item.put("type", "message");
      item.put("status", "in_progress");
      item.put("role", "assistant");
      item.putArray("content");
    }
    ObjectNode added = partOf("response.output_item.added", index);
    added.set("item", item.deepCopy());
    connection.send(added);
    if (conversationId != null) {
      ObjectNode conversationAdded = connection.event("conversation.item.added");
      if (output instanceof Output.Audio a) {
        ms = a.audio().length / connection.session.outputBytesPerMs();
      }
      RealtimeWire.putNullable(
          conversationAdded, "previous_item_id", connection.conversation.append(item, ms));
      conversationAdded.set("item", item.deepCopy());
      connection.send(conversationAdded);
    }
    String itemId = item.get("id").asString();
    if (output instanceof Output.Audio a) {
      connection.send(
          content(partOf("response.content_part.added", index), itemId)
              .set("part", RealtimeWire.object().put("type", "audio").put("transcript", "")));
      int chunk = AUDIO_DELTA_MS * connection.session.outputBytesPerMs();
      for (int from = 0; from < a.audio().length; from += chunk) {
        byte[] slice =
            Arrays.copyOfRange(a.audio(), from, Math.min(a.audio().length, from + chunk));
        connection.send(
            content(partOf("response.output_audio.delta", index), itemId)
                .put("delta", RealtimeWire.base64(slice)));
      }
      connection.session.audioProduced();
      for (String word : words(a.transcript())) {
        connection.send(
            content(partOf("response.output_audio_transcript.delta", index), itemId)
                .put("delta", word));
      }
      ms = a.audio().length / connection.session.outputBytesPerMs();
      outputAudioTokens += ms / 50;
      outputTextTokens += tokens(a.transcript());
    } else if (output instanceof Output.Text t) {
      connection.send(
          content(partOf("response.content_part.added", index), itemId)
              .set("part", RealtimeWire.object().put("type", "text").put("text", "")));
      for (String word : words(t.text())) {
        connection.send(
            content(partOf("response.output_text.delta", index), itemId).put("delta", word));
      }
      outputTextTokens += tokens(t.text());
    } else if (output instanceof Output.FunctionCall call) {
      int half = call.arguments().length() / 2;
      for (String delta :
          List.of(call.arguments().substring(0, half), call.arguments().substring(half))) {
        ObjectNode e = partOf("response.function_call_arguments.delta", index);
        e.put("item_id", itemId);
        e.put("call_id", item.get("call_id").asString());
        e.put("delta", delta);
        connection.send(e);
      }
      outputTextTokens += tokens(call.arguments());
    }
    items.add(new Item(item, output, index, ms));
  }

  /**
   * Sends every item's {@code .done} events and {@code response.done}.
   *
   * @param status {@code completed}, {@code cancelled}, {@code incomplete} or {@code failed}
   * @param reason for {@code cancelled}: {@code turn_detected} or {@code client_cancelled}; for
   *     {@code incomplete}: {@code max_output_tokens} or {@code content_filter}; else null
   * @param error for {@code failed}: the {@code status_details.error} object ({@code type}, {@code code},
   *     {@code message}); else null
   */
  void finish(String status, @Nullable String reason, @Nullable ObjectNode error) {
    String itemStatus = status.equals("completed") ? "completed" : "incomplete";
    for (Item it : items) {
      ObjectNode item = it.json();
      String itemId = item.get("id").asString();
      int index = it.index();
      if (it.output() instanceof Output.Audio a) {
        connection.send(content(partOf("response.output_audio.done", index), itemId));
        connection.send(
            content(partOf("response.output_audio_transcript.done", index), itemId)
                .put("transcript", a.transcript()));
        connection.send(
            content(partOf("response.content_part.done", index), itemId)
                .set(
                    "part",
                    RealtimeWire.object().put("type", "audio").put("transcript", a.transcript())));
        ((ArrayNode) item.get("content"))
            .addObject()
            .put("type", "output_audio")
            .put("transcript", a.transcript());
      } else if (it.output() instanceof Output.Text t) {
        connection.send(
            content(partOf("response.output_text.done", index), itemId).put("text", t.text()));
        connection.send(
            content(partOf("response.content_part.done", index), itemId)
                .set("part", RealtimeWire.object().put("type", "text").put("text", t.text())));
        ((ArrayNode) item.get("content"))
            .addObject()
            .put("type", "output_text")
            .put("text", t.text());
      } else if (it.output() instanceof Output.FunctionCall call) {
        ObjectNode e = partOf("response.function_call_arguments.done", index);
        e.put("item_id", itemId);
        e.put("call_id", item.get("call_id").asString());
        e.put("name", call.name());
        e.put("arguments", call.arguments());
        connection.send(e);
        item.put("arguments", call.arguments());
      }
      item.put("status", itemStatus);
      connection.send(partOf("response.output_item.done", index).set("item", item.deepCopy()));
      if (conversationId != null) {
        ObjectNode done = connection.event("conversation.item.done");
        done.set("item", item.deepCopy());
        connection.send(done);
      }
    }
    connection.send(withResponse("response.done", json(status, reason, error, true)));
  }

  private ObjectNode json(
      String status, @Nullable String reason, @Nullable ObjectNode error, boolean done) {
    ObjectNode r = RealtimeWire.object();
    r.put("object", "realtime.response");
    r.put("id", id);
    r.put("status", status);
    if (reason == null && error == null) {
      r.putNull("status_details");
    } else {
      ObjectNode details = r.putObject("status_details").put("type", status);
      if (reason != null) {
        details.put("reason", reason);
      }
      if (error != null) {
        details.set("error", error.deepCopy());
      }
    }
    ArrayNode output = r.putArray("output");
    if (done) {
      items.forEach(it -> output.add(it.json().deepCopy()));
    }
    RealtimeWire.putNullable(r, "conversation_id", conversationId);
    r.set("output_modalities", modalities.deepCopy());
    r.set("max_output_tokens", maxOutputTokens.deepCopy());
    r.set("audio", audio.deepCopy());
    if (done) {
      ObjectNode usage = r.putObject("usage");
      long outputTokens = outputTextTokens + outputAudioTokens;
      usage.put("total_tokens", inputTokens + outputTokens);
      usage.put("input_tokens", inputTokens);
      usage.put("output_tokens", outputTokens);
      usage
          .putObject("input_token_details")
          .put("text_tokens", inputTokens)
          .put("audio_tokens", 0)
          .put("image_tokens", 0)
          .put("cached_tokens", 0);
      usage
          .putObject("output_token_details")
          .put("text_tokens", outputTextTokens)
          .put("audio_tokens", outputAudioTokens);
    } else {
      r.putNull("usage");
    }
    if (metadata == null) {
      r.putNull("metadata");
    } else {
      r.set("metadata", metadata.deepCopy());
    }
    return r;
  }

  private ObjectNode withResponse(String type, ObjectNode response) {
    ObjectNode e = connection.event(type);
    e.set("response", response);
    return e;
  }

  private ObjectNode partOf(String type, int outputIndex) {
    ObjectNode e = connection.event(type);
    e.put("response_id", id);
    e.put("output_index", outputIndex);
    return e;
  }

  private static ObjectNode content(ObjectNode event, String itemId) {
    event.put("item_id", itemId);
    event.put("content_index", 0);
    return event;
  }

  /** The text cut after each run of spaces: {@code "It is"} gives {@code "It "}, {@code "is"}. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String w : text.split("(?<=\\s)(?=\\S)")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }

  private static long tokens(String text) {
    return (text.length() + 3) / 4;
  }
}
