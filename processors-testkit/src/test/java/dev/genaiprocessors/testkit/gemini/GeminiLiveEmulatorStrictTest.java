package dev.genaiprocessors.testkit.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator refuses what the real server refuses: unknown fields at any depth and unknown modalities. */
class GeminiLiveEmulatorStrictTest {
  static final Duration WAIT = Duration.ofSeconds(5);
  static final String SETUP = GeminiLiveEmulatorTest.SETUP;

  GeminiLiveEmulator server;

  @BeforeEach
  void start() {
    server = GeminiLiveEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  WebSocketCloseStatus closeAfter(String... messages) throws InterruptedException {
    try (RawClient client = RawClient.connect(server)) {
      for (String m : messages) {
        client.send(m);
      }
      return client.awaitEnd(WAIT);
    }
  }

  static void assertRefused(WebSocketCloseStatus status, String reason) {
    assertThat(status).isNotNull();
    assertThat(status.code()).isEqualTo(1007);
    assertThat(status.reasonText()).isEqualTo(reason);
  }

  @Test
  void unknownFieldsAtAnyDepthAreClosedWith1007AndTheServersReason() throws Exception {
    assertRefused(
        closeAfter(
            "{\"setup\": {\"model\": \"models/gemini-live-2.5-flash-preview\", \"bogus\": 1}}"),
        "Invalid JSON payload received. Unknown name \"bogus\" at 'setup': Cannot find field.");
    assertRefused(
        closeAfter(
            "{\"setup\": {\"model\": \"models/gemini-live-2.5-flash-preview\","
                + " \"generationConfig\": {\"responseModality\": [\"AUDIO\"]}}}"),
        "Invalid JSON payload received. Unknown name \"responseModality\" at 'setup.generation_config': Cannot find field.");
    assertRefused(
        closeAfter(
            "{\"setup\": {\"model\": \"models/gemini-live-2.5-flash-preview\", \"tools\": [{"
                + "\"functionDeclarations\": [{\"name\": \"f\", \"strict\": true}]}]}}"),
        "Invalid JSON payload received. Unknown name \"strict\" at 'setup.tools[0].function_declarations[0]': Cannot find field.");
    assertRefused(
        closeAfter(SETUP, "{\"realtimeInput\": {\"audioChunk\": {}}}"),
        "Invalid JSON payload received. Unknown name \"audioChunk\" at 'realtime_input': Cannot find field.");
    assertRefused(
        closeAfter(
            SETUP,
            "{\"clientContent\": {\"turns\": [{\"role\": \"user\", \"parts\": [{\"txt\": \"hi\"}]}]}}"),
        "Invalid JSON payload received. Unknown name \"txt\" at 'client_content.turns[0].parts[0]': Cannot find field.");
    WebSocketCloseStatus modality =
        closeAfter(
            "{\"setup\": {\"model\": \"models/gemini-live-2.5-flash-preview\","
                + " \"generationConfig\": {\"responseModalities\": [\"SPEECH\"]}}}");
    assertThat(modality.code()).isEqualTo(1007);
    assertThat(modality.reasonText())
        .startsWith("Invalid value at 'setup.generation_config.response_modalities[0]' (type.");
  }

  @Test
  void snakeCaseNamesAndSchemasOfTheApiAreKnown() throws Exception {
    try (RawClient client = RawClient.connect(server)) {
      client.send(
          "{\"setup\": {\"model\": \"models/gemini-live-2.5-flash-preview\", \"generation_config\": "
              + "{\"response_modalities\": [\"TEXT\"], \"thinking_config\": {\"thinking_budget\": 0}}, \"tools\": [{"
              + "\"functionDeclarations\": [{\"name\": \"f\", \"parameters\": {\"type\": \"OBJECT\", \"properties\": "
              + "{\"a\": {\"type\": \"STRING\", \"nullable\": true, \"minLength\": 1}}}, \"behavior\": \"NON_BLOCKING\"}]},"
              + " {\"googleSearch\": {}}]}}");
      assertThat(client.takeJson().has("setupComplete")).isTrue();
    }
  }

  @Test
  void aLenientEmulatorLetsUnknownFieldsThrough() throws Exception {
    server.close();
    server = GeminiLiveEmulator.builder().lenient().build().start();
    try (RawClient client = RawClient.connect(server)) {
      client.send(
          "{\"setup\": {\"model\": \"models/gemini-live-2.5-flash-preview\", \"bogus\": 1}}");
      assertThat(client.takeJson().at("/setupComplete/sessionId").asString())
          .isEqualTo("emulated-session-1");
    }
  }
}
