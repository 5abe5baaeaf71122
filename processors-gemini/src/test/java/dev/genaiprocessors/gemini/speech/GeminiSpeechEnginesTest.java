package dev.genaiprocessors.gemini.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.audio.speech.SpeechMetadata;
import dev.genaiprocessors.client.RetryPolicy;
import dev.genaiprocessors.gemini.GeminiModel;
import dev.genaiprocessors.testkit.RecordedRequest;
import dev.genaiprocessors.testkit.ScriptedResponse;
import dev.genaiprocessors.testkit.gemini.GeminiApiEmulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The cloud engines against the project's loopback emulator of the Gemini API. */
class GeminiSpeechEnginesTest {

  private static final String KEY = "test-key-do-not-print";
  private GeminiApiEmulator emulator;
  private GeminiModel model;

  @BeforeEach
  void start() {
    emulator = GeminiApiEmulator.builder().apiKey(KEY).build().start();
    model =
        GeminiModel.builder("gemini-2.5-flash")
            .apiKey(KEY)
            .baseUrl(emulator.uri().toString())
            .retryPolicy(RetryPolicy.none())
            .build();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void anUtteranceIsSentAsWavWithTheInstructionAndTheAnswerIsTheTranscript() throws Exception {
    emulator.enqueue(GeminiApiEmulator.text("What is the weather ", "like today?\n"));
    byte[] pcm = new byte[16000];
    GeminiSpeechRecognizer recognizer = new GeminiSpeechRecognizer(model);
    assertThat(recognizer.recognize(new ByteArrayInputStream(pcm), interim -> {}))
        .isEqualTo("What is the weather like today?");
    assertThat(recognizer.metadata()).containsEntry(SpeechMetadata.QUALITY, "cloud");

    RecordedRequest request = emulator.takeRequest(Duration.ofSeconds(5));
    JsonNode parts = request.bodyJson().get("contents").get(0).get("parts");
    assertThat(parts.get(0).get("inlineData").get("mimeType").asString()).isEqualTo("audio/wav");
    byte[] wav = Base64.getDecoder().decode(parts.get(0).get("inlineData").get("data").asString());
    assertThat(Wav.decode(wav).pcm16le()).isEqualTo(pcm);
    assertThat(parts.get(1).get("text").asString()).contains("Transcribe the speech");
  }

  @Test
  void aFailingCallIsAClearErrorWithoutTheKey() {
    emulator.enqueue(GeminiApiEmulator.badApiKey());
    GeminiSpeechRecognizer recognizer = new GeminiSpeechRecognizer(model);
    assertThatThrownBy(() -> recognizer.recognize(new ByteArrayInputStream(new byte[320]), i -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Gemini transcription failed")
        .satisfies(
            e -> assertThat(String.valueOf(e.getMessage()) + e.getCause()).doesNotContain(KEY));
  }

  @Test
  void aSentenceIsVoicedByAnAudioAnswer() {
    byte[] pcm = new byte[4800];
    pcm[0] = 7;
    ObjectNode part = JsonNodeFactory.instance.objectNode();
    part.putObject("inlineData")
        .put("mimeType", "audio/L16;codec=pcm;rate=24000")
        .put("data", Base64.getEncoder().encodeToString(pcm));
    emulator.enqueue(
        ScriptedResponse.builder()
            .event(GeminiApiEmulator.partChunk(part))
            .event(GeminiApiEmulator.finishChunk("STOP", 5, 10))
            .build());
    GeminiSpeechSynthesizer voice = GeminiSpeechSynthesizer.of(model, "Kore");
    ByteArrayOutputStream heard = new ByteArrayOutputStream();
    int[] rate = {0};
    voice.synthesize(
        "Hello there.",
        (chunk, sampleRate) -> {
          heard.writeBytes(chunk);
          rate[0] = sampleRate;
          return true;
        });
    assertThat(heard.toByteArray()).isEqualTo(pcm);
    assertThat(rate[0]).isEqualTo(24000);
    JsonNode config =
        emulator.takeRequest(Duration.ofSeconds(5)).bodyJson().get("generationConfig");
    assertThat(config.get("responseModalities").get(0).asString()).isEqualTo("AUDIO");
    assertThat(config.at("/speechConfig/voiceConfig/prebuiltVoiceConfig/voiceName").asString())
        .isEqualTo("Kore");
    assertThat(voice.name()).contains("Kore");
  }
}
