package dev.genaiprocessors.gemini;

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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps {@code streamGenerateContent} answers to parts: one decoder per attempt, plus the mapping of
 * error bodies to {@link ModelException}.
 */
final class GeminiResponses implements EventDecoder {

  static final String PROVIDER = "Gemini";

  private final String model;
  private final UnaryOperator<String> redact;
  private final int attempt;
  private @Nullable String finishReason;
  private @Nullable JsonNode usage;
  private @Nullable String modelVersion;
  private @Nullable String responseId;
  private @Nullable JsonNode promptFeedback;

  GeminiResponses(String model, @Nullable ApiKey key, int attempt) {
    this.model = model;
    this.redact = text -> ApiKey.redact(key, text);
    this.attempt = attempt;
  }

  @Override
  public List<Part> onEvent(String data) throws IOException {
    ObjectNode chunk = WireJson.parseObject(data, PROVIDER, redact);
    JsonNode error = chunk.get("error");
    if (error != null && error.isObject()) {
      throw error(WireJson.intOr(error, "code", 0), error, null, attempt, model, redact);
    }
    if (chunk.has("usageMetadata")) {
      usage = chunk.get("usageMetadata");
    }
    if (chunk.has("promptFeedback")) {
      promptFeedback = chunk.get("promptFeedback");
    }
    modelVersion = orElse(WireJson.text(chunk, "modelVersion"), modelVersion);
    responseId = orElse(WireJson.text(chunk, "responseId"), responseId);
    JsonNode candidates = chunk.get("candidates");
    if (candidates == null || candidates.isNull()) {
      return List.of();
    }
    if (!candidates.isArray()) {
      throw malformed("'candidates' is not an array", data);
    }
    if (candidates.isEmpty()) {
      return List.of();
    }
    JsonNode candidate = candidates.get(0);
    if (!candidate.isObject()) {
      throw malformed("'candidates[0]' that is not a JSON object", data);
    }
    finishReason = orElse(WireJson.text(candidate, "finishReason"), finishReason);
    JsonNode content = candidate.get("content");
    if (content == null || content.isNull()) {
      return List.of();
    }
    if (!content.isObject()) {
      throw malformed("'candidates[0].content' that is not a JSON object", data);
    }
    String wireRole = WireJson.text(content, "role");
    String role = wireRole != null ? wireRole : "model";
    JsonNode parts = content.get("parts");
    if (parts == null || parts.isNull()) {
      return List.of();
    }
    if (!parts.isArray()) {
      throw malformed("'candidates[0].content.parts' is not an array", data);
    }
    List<Part> out = new ArrayList<>(parts.size());
    for (JsonNode wire : parts) {
      Part part;
      try {
        part = part(wire, data);
      } catch (IllegalArgumentException e) {
        // Part's own checks (a MIME type, a JSON type name, a function name): the server's value
        // broke them.
        throw malformed("a part that cannot be held (" + e.getMessage() + ")", data);
      }
      if (part != null) {
        out.add(part.withRole(role));
      }
    }
    return out;
  }

  private @Nullable Part part(JsonNode wire, String data) throws ModelProtocolException {
    if (!wire.isObject()) {
      throw malformed("a part is not a JSON object", data);
    }
    String signature = WireJson.text(wire, "thoughtSignature");
    Part part;
    if (wire.has("text")) {
      JsonNode value = wire.get("text");
      if (!value.isString() && !value.isNull()) {
        throw malformed("a text part whose 'text' is not a string", data);
      }
      String text = value.isString() ? value.stringValue() : "";
      if (text.isEmpty() && signature == null) {
        return null;
      }
      part = Part.text(text);
      if (WireJson.booleanOr(wire, "thought", false)) {
        part = part.withMetadata(ResponseMetadata.THOUGHT, true);
      }
    } else if (wire.has("inlineData")) {
      JsonNode inline = wire.get("inlineData");
      if (!inline.isObject()) {
        throw malformed("inlineData that is not a JSON object", data);
      }
      String mimeType = WireJson.text(inline, "mimeType");
      if (mimeType == null) {
        throw malformed("inlineData without a mimeType", data);
      }
      JsonNode encoded = inline.get("data");
      if (encoded != null && !encoded.isString() && !encoded.isNull()) {
        throw malformed("inlineData whose 'data' is not a base64 string", data);
      }
      String base64 = encoded != null && encoded.isString() ? encoded.stringValue() : "";
      try {
        part = Part.bytes(Base64.getDecoder().decode(base64), mimeType);
      } catch (IllegalArgumentException e) {
        throw malformed(
            "inlineData that is not valid base64 of its MIME type (" + e.getMessage() + ")", data);
      }
    } else if (wire.has("functionCall")) {
      JsonNode call = wire.get("functionCall");
      if (!call.isObject()) {
        throw malformed("a functionCall that is not a JSON object", data);
      }
      String name = WireJson.text(call, "name");
      if (name == null) {
        throw malformed("a functionCall without a name", data);
      }
      JsonNode args = call.get("args");
      if (args == null || args.isNull()) {
        args = JsonNodeFactory.instance.objectNode();
      } else if (!args.isObject()) {
        throw malformed("functionCall '" + name + "' has args that are not a JSON object", data);
      }
      part = Part.functionCall(WireJson.text(call, "id"), name, args);
    } else {
      // executableCode, codeExecutionResult, fileData...: kept as JSON named after the field.
      String kind = null;
      for (Map.Entry<String, JsonNode> e : wire.properties()) {
        if (!e.getKey().equals("thoughtSignature") && !e.getKey().equals("thought")) {
          kind = e.getKey();
          break;
        }
      }
      if (kind == null) {
        return null;
      }
      part = Part.json(wire.get(kind), kind);
    }
    return signature == null
        ? part
        : part.withMetadata(ResponseMetadata.THOUGHT_SIGNATURE, signature);
  }

  @Override
  public List<Part> onEnd() throws IOException {
    boolean blocked =
        promptFeedback != null && promptFeedback.isObject() && promptFeedback.has("blockReason");
    if (finishReason == null && !blocked) {
      throw new IOException("the stream ended before Gemini sent a finishReason");
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (finishReason != null) {
      metadata.put(ResponseMetadata.FINISH_REASON, finishReason);
    }
    putJson(metadata, ResponseMetadata.USAGE_METADATA, usage);
    putJson(metadata, ResponseMetadata.PROMPT_FEEDBACK, promptFeedback);
    if (modelVersion != null) {
      metadata.put(ResponseMetadata.MODEL_VERSION, modelVersion);
    }
    if (responseId != null) {
      metadata.put(ResponseMetadata.RESPONSE_ID, responseId);
    }
    return List.of(Part.text("").withRole("model").withMetadata(metadata));
  }

  private static void putJson(Map<String, Object> metadata, String key, @Nullable JsonNode value)
      throws ModelProtocolException {
    if (value != null) {
      Object v = WireJson.toMetadata(value, PROVIDER + " " + key);
      if (v != null) {
        metadata.put(key, v);
      }
    }
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
      UnaryOperator<String> redact) {
    JsonNode parsed = WireJson.tryParse(body);
    JsonNode error = parsed != null ? parsed.get("error") : null;
    if (error == null || !error.isObject()) {
      String detail =
          body.isBlank()
              ? "no body"
              : "a body that is not a Gemini error: " + StreamedCall.snippet(body);
      return build(statusCode, "", detail, isApiKeyInvalid(null), retryAfter, attempt, model);
    }
    return error(statusCode, error, retryAfter, attempt, model, redact);
  }

  private static ModelException error(
      int statusCode,
      JsonNode error,
      @Nullable Duration retryAfter,
      int attempt,
      String model,
      UnaryOperator<String> redact) {
    String status = redact.apply(WireJson.stringOr(error, "status", ""));
    String message = redact.apply(WireJson.stringOr(error, "message", ""));
    Duration hint = retryAfter != null ? retryAfter : retryDelay(error);
    return build(statusCode, status, message, isApiKeyInvalid(error), hint, attempt, model);
  }

  private static ModelException build(
      int statusCode,
      String apiStatus,
      String apiMessage,
      boolean badKey,
      @Nullable Duration retryAfter,
      int attempt,
      String model) {
    ModelException.Kind kind =
        badKey ? ModelException.Kind.AUTHENTICATION : ModelException.Kind.ofHttpStatus(statusCode);
    String what =
        "(HTTP "
            + statusCode
            + (apiStatus.isEmpty() ? "" : " " + apiStatus)
            + (apiMessage.isEmpty() ? "" : ": " + apiMessage)
            + ")";
    String message =
        switch (kind) {
          case AUTHENTICATION ->
              "Gemini rejected the API key "
                  + what
                  + ". Check GEMINI_API_KEY or GOOGLE_API_KEY, or the key given to GeminiModel.Builder.apiKey";
          case REQUEST ->
              statusCode == 404
                  ? "Gemini model '"
                      + model
                      + "' was not found "
                      + what
                      + ". Check the model name (such as gemini-2.5-flash) and the base URL"
                  : "Gemini rejected the request to model '" + model + "' " + what;
          case RATE_LIMIT ->
              "Gemini rate limit or quota exceeded for model '" + model + "' " + what;
          default -> "Gemini call to model '" + model + "' failed " + what;
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

  private static boolean isApiKeyInvalid(@Nullable JsonNode error) {
    if (error == null) {
      return false;
    }
    for (JsonNode detail : details(error)) {
      if ("API_KEY_INVALID".equals(WireJson.stringOr(detail, "reason", ""))) {
        return true;
      }
    }
    return false;
  }

  /** The {@code details} array of an error; empty when absent or not an array. */
  private static Iterable<JsonNode> details(JsonNode error) {
    JsonNode details = error.get("details");
    return details != null && details.isArray() ? details : List.of();
  }

  /** Gemini's {@code RetryInfo.retryDelay} ({@code "27s"}, {@code "1.5s"}), if any. */
  private static @Nullable Duration retryDelay(JsonNode error) {
    for (JsonNode detail : details(error)) {
      String delay = WireJson.stringOr(detail, "retryDelay", "");
      if (delay.endsWith("s")) {
        try {
          double seconds = Double.parseDouble(delay.substring(0, delay.length() - 1));
          if (seconds >= 0 && seconds < 86_400) {
            return Duration.ofMillis((long) (seconds * 1000));
          }
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }
}
