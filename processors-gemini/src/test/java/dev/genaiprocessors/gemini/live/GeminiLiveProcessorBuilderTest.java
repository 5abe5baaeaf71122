package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.functions.Tool;
import dev.genaiprocessors.gemini.live.ActivityDetection.EndSensitivity;
import dev.genaiprocessors.gemini.live.ActivityDetection.StartSensitivity;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor.ActivityHandling;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor.Modality;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor.TurnCoverage;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class GeminiLiveProcessorBuilderTest {
  static final String KEY = "AIzaSy-secret-key-0123456789";

  static JsonNode setup(GeminiLiveProcessor p, @Nullable String handle) {
    return Wire.JSON.readTree(
        ClientMessages.write(SetupMessage.of(p.settings, handle))); // as sent on the wire
  }

  @Test
  void minimalSetupHasTheModelAndAnEmptyResumption() {
    GeminiLiveProcessor p = GeminiLiveProcessor.builder().model("test_model").apiKey(KEY).build();
    assertThat(setup(p, null))
        .isEqualTo(
            Wire.JSON.readTree(
                "{\"setup\": {\"model\": \"models/test_model\", \"sessionResumption\": {}}}"));
    GeminiLiveProcessor off = p.toBuilder().sessionResumption(false).build();
    assertThat(setup(off, null))
        .isEqualTo(Wire.JSON.readTree("{\"setup\": {\"model\": \"models/test_model\"}}"));
  }

  @Test
  void everyKnobLandsWhereTheApiExpectsIt() {
    ObjectNode schema = Wire.object().put("type", "object");
    schema
        .putObject("properties")
        .putObject("city")
        .put("type", "string")
        .put("description", "a city");
    schema.putArray("required").add("city");
    schema.put("additionalProperties", false);
    Tool weather = Tool.of("get_weather", "Get weather", schema, args -> "sunny");
    GeminiLiveProcessor p =
        GeminiLiveProcessor.builder()
            .model("models/gemini-live-2.5-flash-preview")
            .apiKey(KEY)
            .responseModalities(Modality.AUDIO)
            .voice("Kore")
            .languageCode("en-US")
            .systemInstruction("You are terse.")
            .nonBlockingTools(weather)
            .inputTranscription(true)
            .outputTranscription(true)
            .activityDetection(
                ActivityDetection.automatic()
                    .withStartSensitivity(StartSensitivity.LOW)
                    .withEndSensitivity(EndSensitivity.LOW)
                    .withPrefixPadding(Duration.ofMillis(20))
                    .withSilenceDuration(Duration.ofMillis(100)))
            .activityHandling(ActivityHandling.START_OF_ACTIVITY_INTERRUPTS)
            .turnCoverage(TurnCoverage.TURN_INCLUDES_ONLY_ACTIVITY)
            .contextWindowCompression(25600, 12800)
            .build();
    assertThat(setup(p, "h-123"))
        .isEqualTo(
            Wire.JSON.readTree(
                """
        {"setup": {
          "model": "models/gemini-live-2.5-flash-preview",
          "generationConfig": {"responseModalities": ["AUDIO"],
            "speechConfig": {"voiceConfig": {"prebuiltVoiceConfig": {"voiceName": "Kore"}}, "languageCode": "en-US"}},
          "systemInstruction": {"parts": [{"text": "You are terse."}], "role": "user"},
          "tools": [{"functionDeclarations": [{"name": "get_weather", "description": "Get weather",
            "parameters": {"type": "OBJECT", "properties": {"city": {"type": "STRING", "description": "a city"}},
              "required": ["city"]},
            "behavior": "NON_BLOCKING"}]}],
          "sessionResumption": {"handle": "h-123"},
          "inputAudioTranscription": {}, "outputAudioTranscription": {},
          "realtimeInputConfig": {"automaticActivityDetection": {"startOfSpeechSensitivity": "START_SENSITIVITY_LOW",
              "endOfSpeechSensitivity": "END_SENSITIVITY_LOW", "prefixPaddingMs": 20, "silenceDurationMs": 100},
            "activityHandling": "START_OF_ACTIVITY_INTERRUPTS", "turnCoverage": "TURN_INCLUDES_ONLY_ACTIVITY"},
          "contextWindowCompression": {"triggerTokens": 25600, "slidingWindow": {"targetTokens": 12800}}
        }}"""));
    assertThat(
            setup(p.toBuilder().activityDetection(ActivityDetection.manual()).build(), null)
                .at("/setup/realtimeInputConfig/automaticActivityDetection"))
        .isEqualTo(Wire.JSON.readTree("{\"disabled\": true}"));
  }

  @Test
  void theProfileFollowsTheModelUnlessSet() {
    assertThat(
            GeminiLiveProcessor.builder()
                .model("gemini-3.1-flash-live-preview")
                .apiKey(KEY)
                .build()
                .profile())
        .isEqualTo(ModelProfile.GEMINI_3_1);
    assertThat(
            GeminiLiveProcessor.builder()
                .model("gemini-live-2.5-flash-preview")
                .apiKey(KEY)
                .build()
                .profile())
        .isEqualTo(ModelProfile.CLASSIC);
    assertThat(
            GeminiLiveProcessor.builder()
                .model("gemini-live-2.5-flash-preview")
                .profile(ModelProfile.GEMINI_3_1)
                .apiKey(KEY)
                .build()
                .profile())
        .isEqualTo(ModelProfile.GEMINI_3_1);
  }

  @Test
  void theKeyComesFromTheBuilderOrTheEnvironmentGoogleFirst() {
    GeminiLiveProcessor.Builder b = GeminiLiveProcessor.builder().model("m");
    assertThat(b.build(Map.of("GEMINI_API_KEY", "g1", "GOOGLE_API_KEY", "g2")::get).settings.apiKey)
        .isEqualTo("g2");
    assertThat(b.build(Map.of("GEMINI_API_KEY", "g1")::get).settings.apiKey).isEqualTo("g1");
    assertThatThrownBy(() -> b.build(Map.<String, String>of()::get))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GEMINI_API_KEY");
    assertThat(b.apiKey("k").build(Map.of("GEMINI_API_KEY", "g1")::get).settings.apiKey)
        .isEqualTo("k");
  }

  @Test
  void settersCheckTheirArgumentsAtOnce() {
    GeminiLiveProcessor.Builder b = GeminiLiveProcessor.builder();
    assertThatThrownBy(() -> b.apiKey(KEY).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("model");
    assertThatThrownBy(() -> b.uri(URI.create("http://localhost/x?key=" + KEY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(KEY);
    assertThatThrownBy(() -> b.sendQueueCapacity(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sendQueueCapacity");
    assertThatThrownBy(() -> b.setupTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.reconnect(-1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.keepAlive(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.model(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringNeverShowsTheKey() {
    GeminiLiveProcessor p =
        GeminiLiveProcessor.builder()
            .model("m")
            .apiKey(KEY)
            .uri(URI.create("ws://127.0.0.1:1/ws?key=" + KEY))
            .build();
    assertThat(p.toString()).doesNotContain(KEY).contains("models/m").contains("apiKey=***");
    assertThat(p.toBuilder().toString()).doesNotContain(KEY);
  }

  @Test
  void modelProfileByName() {
    assertThat(ModelProfile.forModel("models/gemini-3.1-flash-live-preview"))
        .isEqualTo(ModelProfile.GEMINI_3_1);
    assertThat(ModelProfile.forModel("gemini-2.5-flash-native-audio-preview-12-2025"))
        .isEqualTo(ModelProfile.CLASSIC);
    assertThat(ModelProfile.forModel("gemini-live-2.5-flash-preview"))
        .isEqualTo(ModelProfile.CLASSIC);
    assertThat(ModelProfile.GEMINI_3_1.acceptsClientContent()).isFalse();
  }
}
