package dev.genaiprocessors.offline.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.RecordedRequest;
import dev.genaiprocessors.live.RetryPolicy;
import dev.genaiprocessors.live.ScriptedResponse;
import dev.genaiprocessors.live.gemini.GeminiApiEmulator;
import dev.genaiprocessors.live.gemini.GeminiModel;
import dev.genaiprocessors.offline.OfflineMetadata;
import dev.genaiprocessors.offline.stt.GeminiSpeechRecognizer;
import dev.genaiprocessors.offline.stt.SpeechToText;
import dev.genaiprocessors.offline.tts.GeminiSpeechSynthesizer;
import dev.genaiprocessors.offline.tts.TextToSpeech;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
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
    emulator = new GeminiApiEmulator();
    emulator.start();
    model = GeminiModel.builder("gemini-2.5-flash").apiKey(KEY).baseUrl(emulator.baseUrl())
        .retryPolicy(RetryPolicy.none()).build();
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
    assertThat(recognizer.recognize(new ByteArrayInputStream(pcm), interim -> {})).isEqualTo("What is the weather like today?");
    assertThat(recognizer.metadata()).containsEntry(OfflineMetadata.QUALITY, "cloud");

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
        .satisfies(e -> assertThat(String.valueOf(e.getMessage()) + e.getCause()).doesNotContain(KEY));
  }

  @Test
  void theRecognizerWorksInsideSpeechToText() {
    emulator.enqueue(GeminiApiEmulator.text("hello"));
    List<Part> out = Flux.just(Part.startOfSpeech(), Part.audio(new byte[3200], 16000), Part.endOfSpeech())
        .transform(SpeechToText.builder(new GeminiSpeechRecognizer(model)).interimResults(false).build())
        .collectList().block(Duration.ofSeconds(30));
    assertThat(out).filteredOn(Part::isFinalTranscription).extracting(Part::text).containsExactly("hello");
  }

  @Test
  void aSentenceIsVoicedByAnAudioAnswer() {
    byte[] pcm = new byte[4800];
    pcm[0] = 7;
    ObjectNode part = JsonNodeFactory.instance.objectNode();
    part.putObject("inlineData").put("mimeType", "audio/L16;codec=pcm;rate=24000")
        .put("data", Base64.getEncoder().encodeToString(pcm));
    emulator.enqueue(ScriptedResponse.builder().event(GeminiApiEmulator.partChunk(part))
        .event(GeminiApiEmulator.finishChunk("STOP", 5, 10)).build());
    GeminiSpeechSynthesizer voice = GeminiSpeechSynthesizer.of(model, "Kore");
    ByteArrayOutputStream heard = new ByteArrayOutputStream();
    int[] rate = {0};
    voice.synthesize("Hello there.", (chunk, sampleRate) -> {
      heard.writeBytes(chunk);
      rate[0] = sampleRate;
      return true;
    });
    assertThat(heard.toByteArray()).isEqualTo(pcm);
    assertThat(rate[0]).isEqualTo(24000);
    JsonNode config = emulator.takeRequest(Duration.ofSeconds(5)).bodyJson().get("generationConfig");
    assertThat(config.get("responseModalities").get(0).asString()).isEqualTo("AUDIO");
    assertThat(config.at("/speechConfig/voiceConfig/prebuiltVoiceConfig/voiceName").asString()).isEqualTo("Kore");
    assertThat(voice.name()).contains("Kore");
  }

  @Test
  void theSynthesizerWorksInsideTextToSpeech() {
    ObjectNode part = JsonNodeFactory.instance.objectNode();
    part.putObject("inlineData").put("mimeType", "audio/L16;codec=pcm;rate=24000")
        .put("data", Base64.getEncoder().encodeToString(new byte[9600]));
    emulator.enqueue(ScriptedResponse.builder().event(GeminiApiEmulator.partChunk(part))
        .event(GeminiApiEmulator.finishChunk("STOP", 5, 10)).build());
    List<Part> out = Flux.just(Part.text("Hello there.").withRole("model"), Part.endOfTurn())
        .transform(TextToSpeech.builder(GeminiSpeechSynthesizer.of(model, "Kore")).build())
        .collectList().block(Duration.ofSeconds(30));
    assertThat(out).filteredOn(Part::isAudio).extracting(Part::byteSize).containsExactly(9600);
    assertThat(out).filteredOn(Part::isAudio).allMatch(p -> p.mimeType().contains("rate=24000"));
  }
}
