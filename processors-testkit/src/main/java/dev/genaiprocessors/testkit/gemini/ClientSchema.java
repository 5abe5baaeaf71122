package dev.genaiprocessors.testkit.gemini;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The fields of the client messages the real server knows (BidiGenerateContent, Gemini Developer API), as
 * the proto and the official SDKs' converters name them, for the emulator's strict mode: a field it does not
 * know, at any depth, or an unknown modality, is refused with the server's kind of reason
 * ({@code Invalid JSON payload received. Unknown name "bogus" at 'setup': Cannot find field.}). Values of
 * user JSON (function arguments and responses, JSON schemas given as {@code parametersJsonSchema}) are not
 * checked; {@code parameters} is checked as the API's {@code Schema}.
 */
final class ClientSchema {
  /** A field's type: another message of this table, a map of them, any JSON, or a scalar. */
  private static final String ANY = "*";

  private static final String SCALAR = "";
  private static final Set<String> MODALITIES =
      Set.of("TEXT", "AUDIO", "IMAGE", "VIDEO", "MODALITY_UNSPECIFIED");
  private static final Map<String, Map<String, String>> MESSAGES = new HashMap<>();

  static {
    message(
        "ClientMessage",
        "setup",
        "Setup",
        "clientContent",
        "ClientContent",
        "realtimeInput",
        "RealtimeInput",
        "toolResponse",
        "ToolResponse");
    message(
        "Setup",
        "model",
        SCALAR,
        "generationConfig",
        "GenerationConfig",
        "systemInstruction",
        "Content",
        "tools",
        "Tool",
        "realtimeInputConfig",
        "RealtimeInputConfig",
        "sessionResumption",
        "SessionResumption",
        "contextWindowCompression",
        "Compression",
        "inputAudioTranscription",
        "TranscriptionConfig",
        "outputAudioTranscription",
        "TranscriptionConfig",
        "proactivity",
        "Proactivity",
        "explicitVadSignal",
        SCALAR,
        "avatarConfig",
        ANY,
        "safetySettings",
        "SafetySetting",
        "historyConfig",
        "HistoryConfig");
    message(
        "GenerationConfig",
        "responseModalities",
        SCALAR,
        "temperature",
        SCALAR,
        "topP",
        SCALAR,
        "topK",
        SCALAR,
        "maxOutputTokens",
        SCALAR,
        "seed",
        SCALAR,
        "mediaResolution",
        SCALAR,
        "speechConfig",
        "SpeechConfig",
        "thinkingConfig",
        "ThinkingConfig",
        "enableAffectiveDialog",
        SCALAR,
        "candidateCount",
        SCALAR,
        "presencePenalty",
        SCALAR,
        "frequencyPenalty",
        SCALAR,
        "stopSequences",
        SCALAR,
        "responseMimeType",
        SCALAR,
        "responseLogprobs",
        SCALAR,
        "logprobs",
        SCALAR,
        "translationConfig",
        ANY);
    message(
        "SpeechConfig",
        "voiceConfig",
        "VoiceConfig",
        "languageCode",
        SCALAR,
        "multiSpeakerVoiceConfig",
        ANY);
    message(
        "VoiceConfig", "prebuiltVoiceConfig", "PrebuiltVoiceConfig", "replicatedVoiceConfig", ANY);
    message("PrebuiltVoiceConfig", "voiceName", SCALAR);
    message(
        "ThinkingConfig",
        "thinkingBudget",
        SCALAR,
        "includeThoughts",
        SCALAR,
        "thinkingLevel",
        SCALAR);
    message("Content", "role", SCALAR, "parts", "Part");
    message(
        "Part",
        "text",
        SCALAR,
        "inlineData",
        "Blob",
        "thought",
        SCALAR,
        "thoughtSignature",
        SCALAR,
        "functionCall",
        ANY,
        "functionResponse",
        ANY,
        "fileData",
        ANY,
        "executableCode",
        ANY,
        "codeExecutionResult",
        ANY,
        "videoMetadata",
        ANY);
    message("Blob", "mimeType", SCALAR, "data", SCALAR);
    message(
        "Tool",
        "functionDeclarations",
        "FunctionDeclaration",
        "googleSearch",
        ANY,
        "codeExecution",
        ANY,
        "urlContext",
        ANY,
        "googleMaps",
        ANY,
        "fileSearch",
        ANY,
        "computerUse",
        ANY,
        "mcpServers",
        ANY,
        "googleSearchRetrieval",
        ANY);
    message(
        "FunctionDeclaration",
        "name",
        SCALAR,
        "description",
        SCALAR,
        "parameters",
        "Schema",
        "parametersJsonSchema",
        ANY,
        "response",
        "Schema",
        "responseJsonSchema",
        ANY,
        "behavior",
        SCALAR);
    message(
        "Schema",
        "type",
        SCALAR,
        "format",
        SCALAR,
        "title",
        SCALAR,
        "description",
        SCALAR,
        "nullable",
        SCALAR,
        "enum",
        SCALAR,
        "maxItems",
        SCALAR,
        "minItems",
        SCALAR,
        "properties",
        "map:Schema",
        "required",
        SCALAR,
        "minProperties",
        SCALAR,
        "maxProperties",
        SCALAR,
        "minLength",
        SCALAR,
        "maxLength",
        SCALAR,
        "pattern",
        SCALAR,
        "example",
        ANY,
        "anyOf",
        "Schema",
        "propertyOrdering",
        SCALAR,
        "default",
        ANY,
        "items",
        "Schema",
        "minimum",
        SCALAR,
        "maximum",
        SCALAR);
    message(
        "RealtimeInputConfig",
        "automaticActivityDetection",
        "ActivityDetection",
        "activityHandling",
        SCALAR,
        "turnCoverage",
        SCALAR);
    message(
        "ActivityDetection",
        "disabled",
        SCALAR,
        "startOfSpeechSensitivity",
        SCALAR,
        "endOfSpeechSensitivity",
        SCALAR,
        "prefixPaddingMs",
        SCALAR,
        "silenceDurationMs",
        SCALAR);
    message("SessionResumption", "handle", SCALAR, "transparent", SCALAR);
    message("Compression", "triggerTokens", SCALAR, "slidingWindow", "SlidingWindow");
    message("SlidingWindow", "targetTokens", SCALAR);
    message(
        "TranscriptionConfig",
        "languageCodes",
        SCALAR,
        "customVocabulary",
        ANY,
        "wordTimestamp",
        SCALAR,
        "diarization",
        ANY);
    message("Proactivity", "proactiveAudio", SCALAR);
    message("SafetySetting", "category", SCALAR, "threshold", SCALAR, "method", SCALAR);
    message("HistoryConfig", "initialHistoryInClientContent", SCALAR);
    message("ClientContent", "turns", "Content", "turnComplete", SCALAR);
    message(
        "RealtimeInput",
        "mediaChunks",
        "Blob",
        "audio",
        "Blob",
        "video",
        "Blob",
        "text",
        SCALAR,
        "activityStart",
        "Empty",
        "activityEnd",
        "Empty",
        "audioStreamEnd",
        SCALAR);
    message("Empty");
    message("ToolResponse", "functionResponses", "FunctionResponse");
    message(
        "FunctionResponse",
        "id",
        SCALAR,
        "name",
        SCALAR,
        "response",
        ANY,
        "scheduling",
        SCALAR,
        "willContinue",
        SCALAR,
        "parts",
        ANY);
  }

  private ClientSchema() {}

  private static void message(String name, String... fieldsAndTypes) {
    Map<String, String> fields = new HashMap<>();
    for (int i = 0; i < fieldsAndTypes.length; i += 2) {
      fields.put(fieldsAndTypes[i], fieldsAndTypes[i + 1]);
    }
    MESSAGES.put(name, fields);
  }

  /**
   * The reason the real server would give for this message (lowerCamelCase keys), or null when it knows
   * every field and modality.
   */
  static @Nullable String refusal(JsonNode message) {
    return check(message, "ClientMessage", "");
  }

  private static @Nullable String check(JsonNode node, String type, String path) {
    if (type.equals(ANY) || type.equals(SCALAR)) {
      return null;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String r = check(node.get(i), type, path + "[" + i + "]");
        if (r != null) {
          return r;
        }
      }
      return null;
    }
    if (type.startsWith("map:")) {
      if (!node.isObject()) {
        return invalid(path, node);
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String r = check(e.getValue(), type.substring(4), path + "[" + e.getKey() + "]");
        if (r != null) {
          return r;
        }
      }
      return null;
    }
    if (!node.isObject()) {
      return invalid(path, node);
    }
    Map<String, String> fields = MESSAGES.get(type);
    if (fields == null) {
      // Every type the table names is defined in it: this is a mistake in the table, not in the
      // message.
      throw new IllegalStateException("ClientSchema names an undefined message type " + type);
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String field = e.getKey();
      String fieldType = fields.get(field);
      if (fieldType == null) {
        return "Invalid JSON payload received. Unknown name \""
            + field
            + "\""
            + (path.isEmpty() ? "" : " at '" + path + "'")
            + ": Cannot find field.";
      }
      String at = (path.isEmpty() ? "" : path + ".") + EmulatorWire.snake(field);
      if (field.equals("responseModalities")) {
        for (int i = 0; i < e.getValue().size(); i++) {
          String m = e.getValue().get(i).asString();
          if (!MODALITIES.contains(m)) {
            return "Invalid value at '"
                + at
                + "["
                + i
                + "]' (type.googleapis.com/google.ai.generativelanguage"
                + ".v1beta.GenerationConfig.Modality), \""
                + m
                + "\"";
          }
        }
      }
      String r = check(e.getValue(), fieldType, at);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  private static String invalid(String path, JsonNode node) {
    return "Invalid value at '" + path + "', " + node;
  }
}
