package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.client.RetryPolicy;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.gemini.GeminiModel;
import dev.genaiprocessors.gemini.speech.GeminiSpeechRecognizer;
import dev.genaiprocessors.gemini.speech.GeminiSpeechSynthesizer;
import dev.genaiprocessors.offline.stt.SpeechToText;
import dev.genaiprocessors.offline.tts.TextToSpeech;
import dev.genaiprocessors.testkit.ScriptedResponse;
import dev.genaiprocessors.testkit.gemini.GeminiApiEmulator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The cloud speech engines of processors-gemini plug into the speech processors of processors-offline
 * (the two modules never depend on each other; an application, like this one, uses both).
 */
class GeminiSpeechEnginesInPipelinesTest {

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
  void theRecognizerWorksInsideSpeechToText() {
    emulator.enqueue(GeminiApiEmulator.text("hello"));
    List<Part> out =
        Flux.just(Part.startOfSpeech(), Part.audio(new byte[3200], 16000), Part.endOfSpeech())
            .transform(
                SpeechToText.builder(new GeminiSpeechRecognizer(model))
                    .interimResults(false)
                    .build())
            .collectList()
            .block(Duration.ofSeconds(30));
    assertThat(out)
        .filteredOn(Part::isFinalTranscription)
        .extracting(Part::text)
        .containsExactly("hello");
  }

  @Test
  void theSynthesizerWorksInsideTextToSpeech() {
    ObjectNode part = JsonNodeFactory.instance.objectNode();
    part.putObject("inlineData")
        .put("mimeType", "audio/L16;codec=pcm;rate=24000")
        .put("data", Base64.getEncoder().encodeToString(new byte[9600]));
    emulator.enqueue(
        ScriptedResponse.builder()
            .event(GeminiApiEmulator.partChunk(part))
            .event(GeminiApiEmulator.finishChunk("STOP", 5, 10))
            .build());
    List<Part> out =
        Flux.just(Part.text("Hello there.").withRole("model"), Part.endOfTurn())
            .transform(TextToSpeech.builder(GeminiSpeechSynthesizer.of(model, "Kore")).build())
            .collectList()
            .block(Duration.ofSeconds(30));
    assertThat(out).filteredOn(Part::isAudio).extracting(Part::byteSize).containsExactly(9600);
    assertThat(out).filteredOn(Part::isAudio).allMatch(p -> p.mimeType().contains("rate=24000"));
  }
}
