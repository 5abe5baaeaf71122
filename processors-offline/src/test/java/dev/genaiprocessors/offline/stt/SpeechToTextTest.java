package dev.genaiprocessors.offline.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.audio.Resampler;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.offline.OfflineMetadata;
import dev.genaiprocessors.testkit.audio.TestSignals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

class SpeechToTextTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static Part tone(double seconds, int rate) {
    return TestSignals.part(TestSignals.tone(rate, seconds, 220, 0.3), rate);
  }

  private static List<Part> transcriptions(List<Part> out) {
    return out.stream().filter(Part::isTranscription).toList();
  }

  @Test
  void passesEveryPartThroughInOrderAndAddsTheFinalAfterTheEndOfSpeech() {
    ScriptedRecognizer recognizer = new ScriptedRecognizer(16000, "one", "one", "one two");
    SpeechToText stt = SpeechToText.builder(recognizer).build();
    List<Part> input =
        List.of(
            Part.text("before"),
            tone(0.1, 16000),
            Part.startOfSpeech(),
            tone(0.5, 16000),
            Part.image(new byte[] {1, 2}, "image/png"),
            tone(0.2, 16000),
            Part.endOfSpeech(),
            Part.text("after"));

    List<Part> out =
        Flux.fromIterable(input).transform(stt).collectList().blockOptional(TIMEOUT).orElseThrow();

    assertThat(out.stream().filter(p -> !p.isTranscription()).toList())
        .containsExactlyElementsOf(input);
    List<Part> transcripts = transcriptions(out);
    assertThat(transcripts).extracting(Part::text).containsExactly("one", "one two", "utterance 1");
    assertThat(transcripts)
        .extracting(Part::isFinalTranscription)
        .containsExactly(false, false, true);
    Part last = transcripts.get(2);
    assertThat(last.role()).isEqualTo("user");
    assertThat(last.metadata())
        .containsEntry(OfflineMetadata.MODEL, "scripted")
        .containsEntry(PartMetadata.IS_FINAL, true);
    assertThat(out.indexOf(last)).isGreaterThan(out.indexOf(input.get(6)));
    // The utterance (0.7 s) and one second of trailing silence, and nothing from outside it.
    assertThat(recognizer.utterances).hasSize(1);
    assertThat(recognizer.utterances.get(0)).hasSize(2 * (11200 + 16000));
    assertThat(recognizer.threads.get(0)).startsWith("boundedElastic");
  }

  @Test
  void resamplesForTheRecognizerAndPassesTheOriginalAudio() {
    ScriptedRecognizer recognizer = new ScriptedRecognizer(16000);
    SpeechToText stt = SpeechToText.builder(recognizer).trailingSilence(Duration.ZERO).build();
    Part speech = tone(0.6, 48000);

    List<Part> out =
        Flux.just(Part.startOfSpeech(), speech, Part.endOfSpeech())
            .transform(stt)
            .collectList()
            .blockOptional(TIMEOUT)
            .orElseThrow();

    assertThat(out).contains(speech);
    assertThat(out.stream().filter(Part::isAudio).toList()).containsExactly(speech);
    assertThat(recognizer.utterances.get(0).length / 2)
        .isEqualTo(Resampler.outputLength(28800, 48000, 16000));
  }

  @Test
  void transcribesEachUtteranceInTurnAndNothingWithoutSpeechMarkers() {
    ScriptedRecognizer recognizer = new ScriptedRecognizer(16000);
    SpeechToText stt = SpeechToText.builder(recognizer).passAudio(false).build();

    List<Part> out =
        Flux.just(
                Part.startOfSpeech(),
                tone(0.2, 16000),
                Part.endOfSpeech(),
                tone(0.3, 16000),
                Part.startOfSpeech(),
                tone(0.4, 16000)) // the input ends in the middle of speech
            .transform(stt)
            .collectList()
            .blockOptional(TIMEOUT)
            .orElseThrow();

    assertThat(out).noneMatch(Part::isAudio);
    assertThat(transcriptions(out))
        .extracting(Part::text)
        .containsExactly("utterance 1", "utterance 2");
    assertThat(recognizer.utterances)
        .extracting(b -> b.length)
        .containsExactly(2 * (3200 + 16000), 2 * (6400 + 16000));

    ScriptedRecognizer unused = new ScriptedRecognizer(16000);
    List<Part> noMarkers =
        Flux.just(tone(0.5, 16000))
            .transform(SpeechToText.builder(unused).build())
            .collectList()
            .blockOptional(TIMEOUT)
            .orElseThrow();
    assertThat(transcriptions(noMarkers)).isEmpty();
    assertThat(unused.utterances).isEmpty();
  }

  @Test
  void marksTheFinalTruncatedWhenTheRecognizerFallsBehind() throws Exception {
    ScriptedRecognizer recognizer = new ScriptedRecognizer(16000);
    recognizer.gate = new CountDownLatch(1);
    SpeechToText stt =
        SpeechToText.builder(recognizer).maxPendingAudio(Duration.ofSeconds(1)).build();
    List<Part> input = new ArrayList<>();
    input.add(Part.startOfSpeech());
    for (int i = 0; i < 30; i++) {
      input.add(tone(0.1, 16000));
    }
    input.add(Part.endOfSpeech());

    // The input is fed while the recognizer waits at its gate: 3 s of speech for a budget of 1 s.
    CompletableFuture<List<Part>> result =
        Flux.fromIterable(input).transform(stt).collectList().toFuture();
    recognizer.gate.countDown();
    List<Part> out = result.get(20, TimeUnit.SECONDS);

    Part last = out.get(out.size() - 1);
    assertThat(last.isFinalTranscription()).isTrue();
    assertThat(last.metadata()).containsEntry(OfflineMetadata.TRUNCATED, true);
    assertThat(recognizer.utterances.get(0)).hasSize(2 * (16000 + 16000));
    assertThat(out.stream().filter(Part::isAudio)).hasSize(30);
  }

  @Test
  void failsClearlyOnAudioItCannotRead() {
    SpeechToText stt = SpeechToText.builder(new ScriptedRecognizer(16000)).build();
    Flux<Part> wav =
        Flux.just(
            Part.startOfSpeech(),
            Part.bytes(new byte[] {1, 2, 3, 4}, "audio/wav"),
            Part.endOfSpeech());

    assertThatThrownBy(() -> wav.transform(stt).blockLast(TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("audio/pcm;rate=N")
        .hasMessageContaining("Wav.toPcmPart");
  }

  @Test
  void passesTheRecognizersFailureOn() {
    ScriptedRecognizer recognizer = new ScriptedRecognizer(16000);
    recognizer.failure = new IllegalStateException("engine broke");
    SpeechToText stt = SpeechToText.builder(recognizer).build();

    assertThatThrownBy(
            () ->
                Flux.just(Part.startOfSpeech(), tone(0.1, 16000), Part.endOfSpeech())
                    .transform(stt)
                    .blockLast(TIMEOUT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("engine broke");
  }

  @Test
  void rejectsSettingsOutOfRangeListingAll() {
    assertThatThrownBy(
            () ->
                SpeechToText.builder(new ScriptedRecognizer(16000))
                    .trailingSilence(Duration.ofSeconds(9))
                    .maxPendingAudio(Duration.ZERO)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trailingSilence")
        .hasMessageContaining("maxPendingAudio");
  }

  @Test
  void cancellingEndsTheRecognitionInProgress() throws InterruptedException {
    ScriptedRecognizer recognizer = new ScriptedRecognizer(16000);
    SpeechToText stt = SpeechToText.builder(recognizer).build();
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> out = new CopyOnWriteArrayList<>();
    Disposable subscription = input.asFlux().transform(stt).subscribe(out::add);
    input.tryEmitNext(Part.startOfSpeech());
    input.tryEmitNext(tone(0.2, 16000));
    assertThat(recognizer.started.await(20, TimeUnit.SECONDS)).isTrue();

    subscription.dispose();

    // The recognizer, blocked reading the utterance, sees its end, and its result goes nowhere.
    assertThat(recognizer.ended.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(out).noneMatch(Part::isFinalTranscription);
  }
}
