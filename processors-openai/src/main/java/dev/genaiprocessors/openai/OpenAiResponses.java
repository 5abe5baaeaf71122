package dev.genaiprocessors.openai;

import dev.genaiprocessors.client.ResponseMetadata;
import dev.genaiprocessors.client.internal.ApiKey;
import dev.genaiprocessors.client.internal.EventDecoder;
import dev.genaiprocessors.client.internal.StreamedCall;
import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelProtocolException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps streamed Chat Completions chunks to parts: text deltas at once, tool-call fragments assembled
 * into whole function calls, {@code [DONE]} as the end. One decoder per attempt; plus the mapping of
 * error bodies to {@link ModelException}.
 */
final class OpenAiResponses implements EventDecoder {

  static final String PROVIDER = "OpenAI-compatible";

  /** The most bytes of arguments pending over all tool calls of one answer. */
  static final int MAX_ARGUMENT_CHARS = 4 * 1024 * 1024;

  /** The most tool calls assembled for one answer; each index a server names opens one. */
  static final int MAX_TOOL_CALLS = 1024;

  private final String model;
  private final String host;
  private final UnaryOperator<String> redact;
  private final int attempt;
  private final TreeMap<Integer, PendingCall> calls = new TreeMap<>();
  private int pendingChars;
  private boolean done;
  private @Nullable String finishReason;
  private @Nullable JsonNode usage;
  private @Nullable String modelVersion;
  private @Nullable String responseId;

  OpenAiResponses(String model, String host, @Nullable ApiKey key, int attempt) {
    this.model = model;
    this.host = host;
    this.redact = text -> ApiKey.redact(key, text);
    this.attempt = attempt;
  }

  /** A tool call being assembled from fragments. */
  private static final class PendingCall {
    @Nullable String id;
    @Nullable String name;
    final StringBuilder arguments = new StringBuilder();
  }

  @Override
  public List<Part> onEvent(String data) throws IOException {
    if (done) {
      return List.of();
    }
    if (data.strip().equals("[DONE]")) {
      done = true;
      return flushCalls();
    }
    ObjectNode chunk = WireJson.parseObject(data, PROVIDER, redact);
    JsonNode error = chunk.get("error");
    if (error != null && !error.isNull()) {
      int code =
          WireJson.intOr(
              error, "code", "server_error".equals(WireJson.stringOr(error, "type", "")) ? 500 : 0);
      throw error(code, chunk, null, attempt, model, host, redact);
    }
    modelVersion = orElse(WireJson.text(chunk, "model"), modelVersion);
    responseId = orElse(WireJson.text(chunk, "id"), responseId);
    JsonNode u = chunk.get("usage");
    if (u != null && u.isObject()) {
      usage = u;
    }
    JsonNode choices = chunk.get("choices");
    if (choices == null || choices.isNull()) {
      return List.of();
    }
    if (!choices.isArray()) {
      throw malformed("'choices' that is not an array", data);
    }
    List<Part> out = new ArrayList<>(1);
    for (JsonNode choice : choices) {
      if (!choice.isObject()) {
        throw malformed("a choice that is not a JSON object", data);
      }
      if (WireJson.intOr(choice, "index", 0) != 0) {
        continue; // only the first choice is streamed
      }
      JsonNode delta = choice.get("delta");
      if (delta != null && !delta.isObject() && !delta.isNull()) {
        throw malformed("a 'delta' that is not a JSON object", data);
      }
      String reasoning =
          orElse(WireJson.text(delta, "reasoning_content"), WireJson.text(delta, "reasoning"));
      if (reasoning != null) {
        out.add(
            Part.text(reasoning).withRole("model").withMetadata(ResponseMetadata.THOUGHT, true));
      }
      String content = WireJson.text(delta, "content");
      if (content != null) {
        out.add(Part.text(content).withRole("model"));
      }
      JsonNode toolCalls = delta == null ? null : delta.get("tool_calls");
      if (toolCalls != null && !toolCalls.isNull()) {
        if (!toolCalls.isArray()) {
          throw malformed("'tool_calls' that is not an array", data);
        }
        int position = 0;
        for (JsonNode fragment : toolCalls) {
          addFragment(fragment, position++, data);
        }
      }
      String reason = WireJson.text(choice, "finish_reason");
      if (reason != null) {
        finishReason = reason;
        out.addAll(flushCalls());
      }
    }
    return out;
  }

  private void addFragment(JsonNode fragment, int position, String data)
      throws ModelProtocolException {
    if (!fragment.isObject()) {
      throw malformed("a tool call that is not a JSON object", data);
    }
    int index = WireJson.intOr(fragment, "index", position);
    if (!calls.containsKey(index) && calls.size() >= MAX_TOOL_CALLS) {
      throw malformed("more than " + MAX_TOOL_CALLS + " tool calls in one answer", data);
    }
    PendingCall call = calls.computeIfAbsent(index, i -> new PendingCall());
    String id = WireJson.text(fragment, "id");
    if (call.id == null && id != null) {
      call.id = id;
    }
    JsonNode function = fragment.get("function");
    if (function != null && !function.isObject() && !function.isNull()) {
      throw malformed("a tool call whose 'function' is not a JSON object", data);
    }
    String name = WireJson.text(function, "name");
    if (call.name == null && name != null) {
      call.name = name;
    }
    JsonNode arguments = function == null ? null : function.get("arguments");
    if (arguments != null && arguments.isString()) {
      call.arguments.append(arguments.stringValue());
      pendingChars += arguments.stringValue().length();
    } else if (arguments != null && arguments.isObject()) {
      String text = WireJson.write(arguments); // some servers send the object itself
      call.arguments.append(text);
      pendingChars += text.length();
    }
    if (pendingChars > MAX_ARGUMENT_CHARS) {
      throw malformed(
          "tool-call arguments longer than " + MAX_ARGUMENT_CHARS + " characters", data);
    }
  }

  private List<Part> flushCalls() throws ModelProtocolException {
    if (calls.isEmpty()) {
      return List.of();
    }
    List<Part> parts = new ArrayList<>(calls.size());
    for (Map.Entry<Integer, PendingCall> e : calls.entrySet()) {
      PendingCall call = e.getValue();
      if (call.name == null) {
        throw WireJson.malformed(
            PROVIDER, PROVIDER + " sent tool call " + e.getKey() + " without a function name");
      }
      String text = call.arguments.toString().strip();
      JsonNode args =
          text.isEmpty() ? JsonNodeFactory.instance.objectNode() : WireJson.tryParse(text);
      if (args == null || !args.isObject()) {
        throw WireJson.malformed(
            PROVIDER,
            PROVIDER
                + " sent tool call '"
                + call.name
                + "'"
                + (call.id == null ? "" : " (" + call.id + ")")
                + " with arguments that are not a JSON object: "
                + StreamedCall.snippet(redact.apply(text)));
      }
      try {
        parts.add(Part.functionCall(call.id, call.name, args).withRole("model"));
      } catch (IllegalArgumentException bad) {
        throw WireJson.malformed(
            PROVIDER,
            PROVIDER + " sent a tool call that cannot be held (" + bad.getMessage() + ")");
      }
    }
    calls.clear();
    pendingChars = 0;
    return parts;
  }

  @Override
  public List<Part> onEnd() throws IOException {
    if (!done && finishReason == null) {
      throw new IOException("the stream ended before a finish_reason or [DONE]");
    }
    List<Part> out = new ArrayList<>(flushCalls());
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (finishReason != null) {
      metadata.put(ResponseMetadata.FINISH_REASON, finishReason);
    }
    if (usage != null) {
      Object u = WireJson.toMetadata(usage, PROVIDER + " usage");
      if (u != null) {
        metadata.put(ResponseMetadata.USAGE_METADATA, u);
      }
    }
    if (metadata.isEmpty()) {
      return out;
    }
    if (modelVersion != null) {
      metadata.put(ResponseMetadata.MODEL_VERSION, modelVersion);
    }
    if (responseId != null) {
      metadata.put(ResponseMetadata.RESPONSE_ID, responseId);
    }
    out.add(Part.text("").withRole("model").withMetadata(metadata));
    return out;
  }

  private ModelProtocolException malformed(String what, String data) {
    return WireJson.malformed(
        PROVIDER, PROVIDER + " sent " + what + ": " + StreamedCall.snippet(redact.apply(data)));
  }

  private static @Nullable String orElse(@Nullable String value, @Nullable String fallback) {
    return value != null ? value : fallback;
  }

  // ---------------------------------------------------------------- errors

  /** The error of an HTTP answer other than 200, from its body. */
  static ModelException error(
      int statusCode,
      String body,
      @Nullable Duration retryAfter,
      int attempt,
      String model,
      String host,
      UnaryOperator<String> redact) {
    JsonNode parsed = WireJson.tryParse(body);
    if (parsed == null || !parsed.isObject()) {
      String detail =
          body.isBlank() ? "" : "a body that is not an OpenAI error: " + StreamedCall.snippet(body);
      return build(statusCode, "", detail, retryAfter, attempt, model, host);
    }
    return error(statusCode, parsed, retryAfter, attempt, model, host, redact);
  }

  /** From {@code {"error": {...}}}, {@code {"error": "..."}} (Ollama) or a top-level {@code {"message": ...}} (vLLM). */
  private static ModelException error(
      int statusCode,
      JsonNode root,
      @Nullable Duration retryAfter,
      int attempt,
      String model,
      String host,
      UnaryOperator<String> redact) {
    JsonNode error = root.get("error");
    String message;
    String status;
    if (error != null && error.isString()) {
      message = error.stringValue();
      status = "";
    } else {
      JsonNode e = error != null && error.isObject() ? error : root;
      message = WireJson.stringOr(e, "message", "");
      String code = WireJson.stringOr(e, "code", "");
      status = !code.isEmpty() ? code : WireJson.stringOr(e, "type", "");
    }
    return build(
        statusCode, redact.apply(status), redact.apply(message), retryAfter, attempt, model, host);
  }

  private static ModelException build(
      int statusCode,
      String apiStatus,
      String apiMessage,
      @Nullable Duration retryAfter,
      int attempt,
      String model,
      String host) {
    ModelException.Kind kind = ModelException.Kind.ofHttpStatus(statusCode);
    String what =
        "(HTTP "
            + statusCode
            + (apiStatus.isEmpty() ? "" : " " + apiStatus)
            + (apiMessage.isEmpty() ? "" : ": " + apiMessage)
            + ")";
    String message =
        switch (kind) {
          case AUTHENTICATION ->
              "the server at "
                  + host
                  + " rejected the API key "
                  + what
                  + ". Check OPENAI_API_KEY, or the key given to OpenAiChatModel.Builder.apiKey";
          case REQUEST ->
              statusCode == 404
                  ? "model '"
                      + model
                      + "' was not found at "
                      + host
                      + " "
                      + what
                      + ". Check the model name, and that the base URL ends in /v1"
                  : "the server at "
                      + host
                      + " rejected the request to model '"
                      + model
                      + "' "
                      + what;
          case RATE_LIMIT ->
              "rate limit or quota exceeded at " + host + " for model '" + model + "' " + what;
          default -> "the call to model '" + model + "' at " + host + " failed " + what;
        };
    if (attempt > 1) {
      message += " after " + attempt + " attempts";
    }
    return ModelException.builder(kind, PROVIDER, message)
        .statusCode(statusCode)
        .api(apiStatus, apiMessage)
        .attempts(attempt)
        .retryAfter(retryAfter)
        .withoutStackTrace() // the server, not this code, failed
        .build();
  }
}
