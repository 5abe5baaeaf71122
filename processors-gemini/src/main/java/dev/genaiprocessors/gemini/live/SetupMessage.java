package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.gemini.live.GeminiLiveProcessor.Modality;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code setup} message of a configuration, laid out as the official Java SDK lays it out:
 * lowerCamelCase, defaults omitted, enums by their wire names.
 */
final class SetupMessage {
  private SetupMessage() {}

  /**
   * @param handle the resumption handle to resume from, or null for a new session
   */
  static ObjectNode of(GeminiLiveSettings s, @Nullable String handle) {
    ObjectNode setup = Wire.object();
    setup.put("model", s.model);

    ObjectNode generation = Wire.object();
    if (!s.responseModalities.isEmpty()) {
      ArrayNode modalities = generation.putArray("responseModalities");
      for (Modality m : s.responseModalities) {
        modalities.add(m.name());
      }
    }
    if (s.voice != null || s.languageCode != null) {
      ObjectNode speech = generation.putObject("speechConfig");
      if (s.voice != null) {
        speech.putObject("voiceConfig").putObject("prebuiltVoiceConfig").put("voiceName", s.voice);
      }
      if (s.languageCode != null) {
        speech.put("languageCode", s.languageCode);
      }
    }
    if (s.temperature != null) {
      generation.put("temperature", s.temperature);
    }
    if (s.topP != null) {
      generation.put("topP", s.topP);
    }
    if (s.topK != null) {
      generation.put("topK", s.topK);
    }
    if (s.maxOutputTokens != null) {
      generation.put("maxOutputTokens", s.maxOutputTokens);
    }
    if (s.seed != null) {
      generation.put("seed", s.seed);
    }
    if (s.mediaResolution != null) {
      generation.put("mediaResolution", "MEDIA_RESOLUTION_" + s.mediaResolution.name());
    }
    if (s.thinkingBudget != null || s.thinkingLevel != null || s.includeThoughts) {
      ObjectNode thinking = generation.putObject("thinkingConfig");
      if (s.includeThoughts) {
        thinking.put("includeThoughts", true);
      }
      if (s.thinkingBudget != null) {
        thinking.put("thinkingBudget", s.thinkingBudget);
      }
      if (s.thinkingLevel != null) {
        thinking.put("thinkingLevel", s.thinkingLevel.name());
      }
    }
    if (s.affectiveDialog) {
      generation.put("enableAffectiveDialog", true); // in generationConfig, not at the setup's root
    }
    if (!generation.isEmpty()) {
      setup.set("generationConfig", generation);
    }

    if (s.systemInstruction != null) {
      ObjectNode instruction = setup.putObject("systemInstruction");
      instruction.putArray("parts").addObject().put("text", s.systemInstruction);
      instruction.put("role", "user");
    }

    if (!s.declarations.isEmpty() || !s.builtInTools.isEmpty()) {
      ArrayNode tools = setup.putArray("tools");
      if (!s.declarations.isEmpty()) {
        ArrayNode declarations = tools.addObject().putArray("functionDeclarations");
        s.declarations.forEach(d -> declarations.add(d.deepCopy())); // mapped when declared
      }
      for (BuiltInTool tool : s.builtInTools) {
        tools.addObject().putObject(tool.wireName());
      }
    }

    if (s.sessionResumption) {
      ObjectNode resumption = setup.putObject("sessionResumption");
      if (handle != null) {
        resumption.put("handle", handle);
      }
    }
    if (s.inputTranscription) {
      setup.putObject("inputAudioTranscription");
    }
    if (s.outputTranscription) {
      setup.putObject("outputAudioTranscription");
    }

    ObjectNode realtime = Wire.object();
    ActivityDetection d = s.activityDetection;
    if (d != null) {
      ObjectNode aad = realtime.putObject("automaticActivityDetection");
      if (d.disabled()) {
        aad.put("disabled", true);
      }
      if (d.startSensitivity() != null) {
        aad.put("startOfSpeechSensitivity", d.startSensitivity().wire());
      }
      if (d.endSensitivity() != null) {
        aad.put("endOfSpeechSensitivity", d.endSensitivity().wire());
      }
      if (d.prefixPadding() != null) {
        aad.put("prefixPaddingMs", d.prefixPadding().toMillis());
      }
      if (d.silenceDuration() != null) {
        aad.put("silenceDurationMs", d.silenceDuration().toMillis());
      }
    }
    if (s.activityHandling != null) {
      realtime.put("activityHandling", s.activityHandling.name());
    }
    if (s.turnCoverage != null) {
      realtime.put("turnCoverage", s.turnCoverage.name());
    }
    if (!realtime.isEmpty()) {
      setup.set("realtimeInputConfig", realtime);
    }

    if (s.proactiveAudio) {
      setup.putObject("proactivity").put("proactiveAudio", true);
    }
    if (!s.safetySettings.isEmpty()) {
      ArrayNode safety = setup.putArray("safetySettings");
      for (SafetySetting setting : s.safetySettings) {
        safety
            .addObject()
            .put("category", "HARM_CATEGORY_" + setting.category().name())
            .put("threshold", setting.threshold().name());
      }
    }
    if (s.profile() == ModelProfile.GEMINI_3_1 && !s.initialHistory.isEmpty()) {
      setup.putObject("historyConfig").put("initialHistoryInClientContent", true);
    }

    if (s.compression) {
      ObjectNode compression = setup.putObject("contextWindowCompression");
      if (s.compressionTriggerTokens > 0) {
        compression.put("triggerTokens", s.compressionTriggerTokens);
      }
      ObjectNode window = compression.putObject("slidingWindow");
      if (s.compressionTargetTokens > 0) {
        window.put("targetTokens", s.compressionTargetTokens);
      }
    }

    ObjectNode message = Wire.object();
    message.set("setup", setup);
    return message;
  }

  /** The setup's fields, for messages: {@code model, generationConfig(responseModalities), tools}. */
  static String summary(ObjectNode message) {
    StringBuilder sb = new StringBuilder();
    JsonNode setup = message.path("setup");
    for (Map.Entry<String, JsonNode> e : setup.properties()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(e.getKey());
      if (e.getKey().equals("generationConfig") && e.getValue().isObject()) {
        sb.append('(').append(String.join(", ", e.getValue().propertyNames())).append(')');
      }
    }
    return sb.toString();
  }
}
