package dev.genaiprocessors.openai;

import dev.genaiprocessors.client.GenerationConfig;
import dev.genaiprocessors.client.ResponseMetadata;
import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartContent;
import dev.genaiprocessors.core.functions.Tool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Maps parts to the JSON body of a streaming Chat Completions request. One instance per prompt. */
final class OpenAiRequests {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ArrayNode messages = NODES.arrayNode();

  /** Ids of calls not answered yet, by function name, oldest first: answers without an id take them. */
  private final Map<String, Deque<String>> unanswered = new HashMap<>();

  private int generatedIds;
  private @Nullable String groupRole;
  private final List<Part> group = new ArrayList<>();

  private OpenAiRequests() {}

  /**
   * The {@code messages} of a prompt. Consecutive parts of one role make one message: {@code system},
   * {@code assistant} (role {@code model} or {@code assistant}, and every function call) or {@code user}
   * (any other role). Each function response is a {@code tool} message. Empty text, thinking, and the
   * {@code status} and {@code debug} substreams are not sent.
   *
   * @throws IllegalArgumentException for content the API cannot carry (say, a video, or an image from
   *     the assistant), or a response without an id that answers no call
   */
  static ArrayNode messages(List<Part> parts, @Nullable String systemInstruction) {
    OpenAiRequests r = new OpenAiRequests();
    if (systemInstruction != null) {
      r.messages.addObject().put("role", "system").put("content", systemInstruction);
    }
    for (Part part : parts) {
      r.add(part);
    }
    r.flush();
    return r.messages;
  }

  private void add(Part part) {
    if (part.isStatus() || part.isDebug() || ResponseMetadata.isThought(part)) {
      return;
    }
    if (part.isText() && part.text().isEmpty()) {
      return;
    }
    if (part.isFunctionResponse()) {
      flush();
      PartContent.FunctionResponse r = part.functionResponse();
      ObjectNode tool = messages.addObject();
      tool.put("role", "tool");
      tool.put("tool_call_id", answeredId(r));
      tool.put("content", WireJson.write(r.response()));
      return;
    }
    String role = part.role().toLowerCase(Locale.ROOT);
    String wireRole =
        part.isFunctionCall() || role.equals("model") || role.equals("assistant")
            ? "assistant"
            : role.equals("system") ? "system" : "user";
    if (!wireRole.equals(groupRole)) {
      flush();
      groupRole = wireRole;
    }
    group.add(part);
  }

  private String answeredId(PartContent.FunctionResponse r) {
    if (r.id() != null) {
      Deque<String> ids = unanswered.get(r.name());
      if (ids != null) {
        ids.remove(r.id());
      }
      return r.id();
    }
    Deque<String> ids = unanswered.get(r.name());
    if (ids == null || ids.isEmpty()) {
      throw new IllegalArgumentException(
          "the function response to '"
              + r.name()
              + "' has no id and answers no earlier call of that name; OpenAI needs each tool message to name its call");
    }
    return ids.removeFirst();
  }

  private void flush() {
    if (groupRole == null) {
      return;
    }
    ObjectNode message = messages.addObject();
    message.put("role", groupRole);
    switch (groupRole) {
      case "system" -> message.put("content", joinedText("system"));
      case "assistant" -> assistant(message);
      default -> user(message);
    }
    group.clear();
    groupRole = null;
  }

  private String joinedText(String role) {
    StringBuilder sb = new StringBuilder();
    for (Part p : group) {
      if (!p.isText() && !p.isJson()) {
        throw new IllegalArgumentException("a " + role + " message carries text only; got " + p);
      }
      sb.append(p.text());
    }
    return sb.toString();
  }

  private void assistant(ObjectNode message) {
    StringBuilder text = new StringBuilder();
    ArrayNode calls = null;
    for (Part p : group) {
      if (p.isFunctionCall()) {
        PartContent.FunctionCall c = p.functionCall();
        String id = c.id() != null ? c.id() : "call_" + generatedIds++;
        unanswered.computeIfAbsent(c.name(), k -> new ArrayDeque<>()).addLast(id);
        if (calls == null) {
          calls = NODES.arrayNode();
        }
        ObjectNode call = calls.addObject();
        call.put("id", id);
        call.put("type", "function");
        call.putObject("function").put("name", c.name()).put("arguments", WireJson.write(c.args()));
      } else if (p.isText() || p.isJson()) {
        text.append(p.text());
      } else {
        throw new IllegalArgumentException(
            "an assistant message carries text and tool calls only; got " + p);
      }
    }
    if (!text.isEmpty()) {
      message.put("content", text.toString());
    }
    if (calls != null) {
      message.set("tool_calls", calls);
    }
  }

  private void user(ObjectNode message) {
    boolean onlyText = group.stream().allMatch(p -> p.isText() || p.isJson());
    if (onlyText) {
      message.put("content", joinedText("user"));
      return;
    }
    ArrayNode content = message.putArray("content");
    for (Part p : group) {
      if (p.isText() || p.isJson()) {
        content.addObject().put("type", "text").put("text", p.text());
      } else if (p.isImage()) {
        String url =
            "data:"
                + MimeTypes.essence(p.mimeType())
                + ";base64,"
                + Base64.getEncoder().encodeToString(p.bytes());
        content.addObject().put("type", "image_url").putObject("image_url").put("url", url);
      } else if (p.isBytes() && audioFormat(p.mimeType()) != null) {
        ObjectNode audio = content.addObject().put("type", "input_audio").putObject("input_audio");
        audio.put("data", Base64.getEncoder().encodeToString(p.bytes()));
        audio.put("format", audioFormat(p.mimeType()));
      } else {
        throw new IllegalArgumentException(
            "Chat Completions messages carry text, images and wav or mp3 audio; cannot send "
                + p
                + " (convert it first)");
      }
    }
  }

  private static @Nullable String audioFormat(String mimeType) {
    if (MimeTypes.isWav(mimeType)) {
      return "wav";
    }
    String e = MimeTypes.essence(mimeType);
    return e.equals("audio/mpeg") || e.equals("audio/mp3") ? "mp3" : null;
  }

  /**
   * The request body.
   *
   * @param continuation text the model already produced in this turn (a retry after output), or empty
   * @param requestFields top-level fields set last, replacing what was written
   */
  static ObjectNode body(
      String model,
      ArrayNode messages,
      String continuation,
      GenerationConfig config,
      List<Tool> tools,
      boolean includeUsage,
      Map<String, JsonNode> requestFields) {
    ObjectNode body = NODES.objectNode();
    body.put("model", model);
    ArrayNode all = messages.deepCopy();
    if (!continuation.isEmpty()) {
      JsonNode last = all.isEmpty() ? null : all.get(all.size() - 1);
      if (last instanceof ObjectNode o
          && o.path("role").asString("").equals("assistant")
          && o.path("content").isString()
          && !o.has("tool_calls")) {
        o.put("content", o.get("content").asString() + continuation);
      } else {
        all.addObject().put("role", "assistant").put("content", continuation);
      }
    }
    body.set("messages", all);
    body.put("stream", true);
    if (includeUsage) {
      body.putObject("stream_options").put("include_usage", true);
    }
    if (!tools.isEmpty()) {
      ArrayNode wire = body.putArray("tools");
      for (Tool tool : tools) {
        ObjectNode function = wire.addObject().put("type", "function").putObject("function");
        function.put("name", tool.name());
        function.put("description", tool.description());
        function.set("parameters", tool.parameters());
      }
    }
    generation(body, config);
    requestFields.forEach((k, v) -> body.set(k, v.deepCopy()));
    return body;
  }

  private static void generation(ObjectNode body, GenerationConfig config) {
    if (config.temperature() != null) {
      body.put("temperature", config.temperature());
    }
    if (config.topP() != null) {
      body.put("top_p", config.topP());
    }
    if (config.topK() != null) {
      body.put("top_k", config.topK());
    }
    if (config.maxOutputTokens() != null) {
      body.put("max_tokens", config.maxOutputTokens());
    }
    if (!config.stopSequences().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      config.stopSequences().forEach(stop::add);
    }
    if (config.seed() != null) {
      body.put("seed", config.seed());
    }
    JsonNode schema = config.responseSchema();
    if (schema != null) {
      ObjectNode format = body.putObject("response_format").put("type", "json_schema");
      format.putObject("json_schema").put("name", "response").set("schema", schema);
    } else if (config.responseMimeType() != null && MimeTypes.isJson(config.responseMimeType())) {
      body.putObject("response_format").put("type", "json_object");
    }
  }
}
