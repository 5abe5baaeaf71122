package dev.genaiprocessors.offline.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.testkit.audio.AudioMeasures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class TextToSpeechTest {

  private static final Logger log = LoggerFactory.getLogger(TextToSpeechTest.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static FreeTtsSynthesizer freeTts;

  @BeforeAll
  static void load() {
    freeTts = FreeTtsSynthesizer.kevin16();
    freeTts.load().block();
  }

  @AfterAll
  static void close() {
    freeTts.close();
  }

  /** The audio parts grouped by the sentence they voice, in order. */
  private static Map<String, List<Part>> bySentence(List<Part> out) {
    Map<String, List<Part>> groups = new LinkedHashMap<>();
    for (Part part : out) {
      if (part.isAudio()) {
        groups
            .computeIfAbsent(
                (String) part.metadata(PartMetadata.SPOKEN_TEXT), k -> new ArrayList<>())
            .add(part);
      }
    }
    return groups;
  }

  @Test
  void voicesTextStreamedWordByWordOneSentenceAtATime() {
    TextToSpeech tts = TextToSpeech.builder(freeTts).build();
    Flux<Part> words =
        Flux.just("Hello", " there.", " How", " are", " you", " today?")
            .map(w -> Part.text(w).withRole("model"))
            .concatWith(Flux.just(Part.endOfTurn()));

    long start = System.nanoTime();
    List<Part> out = words.transform(tts).collectList().blockOptional(TIMEOUT).orElseThrow();
    log.info("FreeTTS voiced two sentences in {} ms", (System.nanoTime() - start) / 1_000_000);

    Map<String, List<Part>> groups = bySentence(out);
    assertThat(groups.keySet()).containsExactly("Hello there.", "How are you today?");
    for (Map.Entry<String, List<Part>> group : groups.entrySet()) {
      List<Part> audio = group.getValue();
      double seconds = AudioMeasures.seconds(audio, 16000);
      int wordCount = group.getKey().split(" ").length;
      log.info(
          "'{}': {} parts, {} s, rms {}",
          group.getKey(),
          audio.size(),
          seconds,
          AudioMeasures.rms(audio));
      assertThat(audio)
          .allSatisfy(
              p -> {
                assertThat(p.mimeType()).isEqualTo("audio/pcm;rate=16000");
                assertThat(p.role()).isEqualTo("model");
              });
      assertThat(AudioMeasures.rms(audio)).isGreaterThan(0.02);
      assertThat(seconds).isBetween(0.15 * wordCount, 1.0 * wordCount + 0.5);
    }
    // Consumed text; the end of turn last, after all the audio.
    assertThat(out).noneMatch(p -> p.isText() && !p.isEndOfTurn());
    assertThat(out.get(out.size() - 1).isEndOfTurn()).isTrue();
  }

  @Test
  void partsThatAreNotVoicedPassInOrderAndEndTheSentenceInProgress() {
    ScriptedSynthesizer synthesizer = new ScriptedSynthesizer();
    TextToSpeech tts = TextToSpeech.builder(synthesizer).build();
    Part image = Part.image(new byte[] {7}, "image/png");
    Part status = Part.text("thinking").withSubstream("notes");

    List<Part> out =
        Flux.just(Part.text("One. Two"), image, Part.text(" three."), status)
            .transform(tts)
            .collectList()
            .blockOptional(TIMEOUT)
            .orElseThrow();

    assertThat(synthesizer.texts).containsExactly("One.", "Two", "three.");
    List<Object> shape =
        out.stream().map(p -> p.isAudio() ? p.metadata(PartMetadata.SPOKEN_TEXT) : p).toList();
    assertThat(shape)
        .containsExactly("One.", "One.", "Two", "Two", image, "three.", "three.", status);
    assertThat(synthesizer.threads).allMatch(t -> t.startsWith("boundedElastic"));
  }

  @Test
  void voicesEachAnswersFirstClauseBeforeTheRestOfItsSentenceArrives() {
    ScriptedSynthesizer synthesizer = new ScriptedSynthesizer();
    TextToSpeech tts = TextToSpeech.builder(synthesizer).firstClause(true).build();
    Sinks.Many<Part> model = Sinks.many().unicast().onBackpressureBuffer();

    StepVerifier.create(model.asFlux().transform(tts))
        .then(() -> model.tryEmitNext(Part.text("Right,")))
        // Voiced with nothing more come: the clause ends right after a word.
        .expectNextMatches(
            p -> p.isAudio() && "Right,".equals(p.metadata(PartMetadata.SPOKEN_TEXT)))
        .expectNextMatches(
            p -> p.isAudio() && "Right,".equals(p.metadata(PartMetadata.SPOKEN_TEXT)))
        .then(() -> model.tryEmitNext(Part.text(" I heard a card, yes.")))
        .expectNoEvent(Duration.ofMillis(50)) // the rest waits for its sentence to end
        .then(() -> model.tryEmitNext(Part.endOfTurn()))
        .expectNextCount(2)
        .expectNextMatches(Part::isEndOfTurn)
        // The next answer's first clause is early again.
        .then(() -> model.tryEmitNext(Part.text("Thank you, that")))
        .expectNextMatches(
            p -> p.isAudio() && "Thank you,".equals(p.metadata(PartMetadata.SPOKEN_TEXT)))
        .expectNextCount(1)
        .then(model::tryEmitComplete)
        .expectNextMatches(p -> "that".equals(p.metadata(PartMetadata.SPOKEN_TEXT)))
        .expectNextCount(1)
        .expectComplete()
        .verify(TIMEOUT);
    assertThat(synthesizer.texts)
        .containsExactly("Right,", "I heard a card, yes.", "Thank you,", "that");
  }

  @Test
  void keepsTheTextWhenAsked() {
    TextToSpeech tts = TextToSpeech.builder(new ScriptedSynthesizer()).keepText(true).build();
    Part text = Part.text("Hi.");

    List<Part> out =
        Flux.just(text).transform(tts).collectList().blockOptional(TIMEOUT).orElseThrow();

    assertThat(out.get(0)).isSameAs(text);
    assertThat(out.subList(1, out.size())).allMatch(Part::isAudio);
  }

  @Test
  void anInterruptionDropsWhatWasNotYetVoiced() throws Exception {
    ScriptedSynthesizer synthesizer = new ScriptedSynthesizer();
    synthesizer.gate = new CountDownLatch(1);
    TextToSpeech tts = TextToSpeech.builder(synthesizer).build();

    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    CompletableFuture<List<Part>> result = input.asFlux().transform(tts).collectList().toFuture();
    input.tryEmitNext(Part.text("First sentence. Second sentence. And a third"));
    assertThat(synthesizer.started.await(20, TimeUnit.SECONDS))
        .isTrue(); // "First sentence." is being voiced
    input.tryEmitNext(Part.interrupted());
    input.tryEmitNext(Part.text("After."));
    input.tryEmitComplete();
    synthesizer.gate.countDown();
    List<Part> out = result.get(20, TimeUnit.SECONDS);

    // "First sentence." was being voiced and stops; "Second sentence." is never voiced; the rest is
    // dropped.
    assertThat(synthesizer.texts).containsExactly("First sentence.", "After.");
    List<Object> shape =
        out.stream()
            .map(p -> p.isAudio() ? p.metadata(PartMetadata.SPOKEN_TEXT) : "interrupted")
            .toList();
    assertThat(shape).containsExactly("interrupted", "After.", "After.");
  }

  @Test
  void failsWithTheSynthesizersError() {
    ScriptedSynthesizer synthesizer = new ScriptedSynthesizer();
    synthesizer.failure = new IllegalStateException("no voice");

    assertThatThrownBy(
            () ->
                Flux.just(Part.text("Hi."))
                    .transform(TextToSpeech.builder(synthesizer).build())
                    .blockLast(TIMEOUT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no voice");
    assertThatThrownBy(() -> TextToSpeech.builder(synthesizer).maxSentenceChars(5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSentenceChars");
  }

  @Test
  void cancellingStopsTheSynthesisInProgress() throws InterruptedException {
    ScriptedSynthesizer synthesizer = new ScriptedSynthesizer();
    synthesizer.pieces = 1_000_000;
    TextToSpeech tts = TextToSpeech.builder(synthesizer).build();
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();

    List<Part> out =
        input
            .asFlux()
            .transform(tts)
            .take(3)
            .collectList()
            .doOnSubscribe(s -> input.tryEmitNext(Part.text("A very long sentence. ")))
            .block(TIMEOUT);

    assertThat(out).hasSize(3);
    assertThat(synthesizer.stopped.await(20, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void freeTtsStopsWhenTheSinkSaysSo() {
    List<byte[]> pieces = new ArrayList<>();
    freeTts.synthesize(
        "This sentence is long enough to need many pieces of audio.",
        (pcm, rate) -> {
          pieces.add(pcm);
          return pieces.size() < 3;
        });
    assertThat(pieces).hasSize(3);
    assertThat(freeTts.name()).isEqualTo("freetts kevin16");
  }
}
