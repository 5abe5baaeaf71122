package dev.genaiprocessors.audio;

import static dev.genaiprocessors.audio.AudioRateLimiterTest.pcm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Chunk metadata and adaptive chunking of {@link AudioRateLimiter}, under virtual time. */
class AudioRateLimiterChunksTest {

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  private static List<Part> collect(Supplier<AudioRateLimiter> limiter, Part... input) {
    @SuppressWarnings("unchecked")
    List<Part>[] out = new List[1];
    StepVerifier.withVirtualTime(() -> Flux.just(input).transform(limiter.get()).collectList())
        .thenAwait(Duration.ofMinutes(1))
        .consumeNextWith(list -> out[0] = list)
        .verifyComplete();
    return out[0];
  }

  private static List<Object> durations(List<Part> parts) {
    return parts.stream()
        .filter(Part::isAudio)
        .map(p -> p.metadata(AudioRateLimiter.CHUNK_DURATION))
        .toList();
  }

  private static List<Object> indexes(List<Part> parts) {
    return parts.stream()
        .filter(Part::isAudio)
        .map(p -> p.metadata(AudioRateLimiter.CHUNK_INDEX))
        .toList();
  }

  @Test
  void everyChunkCarriesItsIndexAndDurationOnTopOfItsPartsMetadata() {
    Part second = pcm(1000, 16000).withMetadata("voice", "ada");
    Part whole = pcm(80, 16000); // not over two chunks: emitted whole, still tagged
    List<Part> out = collect(() -> AudioRateLimiter.builder().build(), second, whole);
    assertThat(out).hasSize(21);
    assertThat(indexes(out)).containsExactlyElementsOf(LongStream.range(0, 21).boxed().toList());
    assertThat(durations(out).subList(0, 20)).allSatisfy(d -> assertThat(d).isEqualTo(50.0));
    assertThat(durations(out).get(20)).isEqualTo(80.0);
    assertThat(out.subList(0, 20))
        .allSatisfy(p -> assertThat(p.metadata("voice")).isEqualTo("ada"));
  }

  @Test
  void chunkIndexesRestartWithEachAnswer() {
    // (After an interruption too: anInterruptionStartsANewAnswerWithSmallChunksAgain.)
    List<Part> out =
        collect(
            () -> AudioRateLimiter.builder().build(),
            pcm(150, 16000),
            Part.endOfTurn(),
            pcm(100, 16000),
            Part.endOfTurn(),
            pcm(60, 16000));
    assertThat(indexes(out)).containsExactly(0L, 1L, 2L, 0L, 0L);
  }

  @Test
  void fixedChunksAreTheDefaultWhateverTheAnswersLength() {
    assertThat(durations(collect(() -> AudioRateLimiter.builder().build(), pcm(200, 16000))))
        .containsExactly(50.0, 50.0, 50.0, 50.0);
  }

  @Test
  void aShortAnswerIsCutIntoTwentyMillisecondChunksThatStartAtOnce() {
    // 200 ms known: a tenth is 20 ms. With a 50 ms lead, the chunks playing at 0, 20 and 40 ms
    // leave at once, the next at 10 ms.
    Supplier<AudioRateLimiter> limiter =
        () -> AudioRateLimiter.builder().adaptiveChunks(Duration.ZERO).build();
    StepVerifier.withVirtualTime(() -> Flux.just(pcm(200, 16000)).transform(limiter.get()))
        .expectSubscription()
        .assertNext(c -> assertThat(c.byteSize()).isEqualTo(640))
        .expectNextCount(2)
        .expectNoEvent(Duration.ofMillis(10))
        .assertNext(c -> assertThat(c.metadata(AudioRateLimiter.CHUNK_DURATION)).isEqualTo(20.0))
        .thenAwait(Duration.ofSeconds(1))
        .expectNextCount(6)
        .verifyComplete();
  }

  @Test
  void aLongAnswerIsCutIntoTwoHundredMillisecondChunks() {
    Supplier<AudioRateLimiter> limiter =
        () -> AudioRateLimiter.builder().adaptiveChunks(Duration.ZERO).build();
    List<Part> out = collect(limiter, pcm(5000, 16000));
    assertThat(out).hasSize(25);
    assertThat(durations(out)).allSatisfy(d -> assertThat(d).isEqualTo(200.0));
  }

  @Test
  void aStreamedAnswersChunksGrowAsMoreOfItIsKnown() {
    // Ten parts of 100 ms: the first is cut in 20 ms chunks (100 ms known), the tenth stays whole
    // (1 s known: 100 ms chunks, and a part of up to two chunks is not cut).
    Part[] parts = IntStream.range(0, 10).mapToObj(i -> pcm(100, 16000)).toArray(Part[]::new);
    List<Object> d =
        durations(
            collect(() -> AudioRateLimiter.builder().adaptiveChunks(Duration.ZERO).build(), parts));
    assertThat(d.subList(0, 5)).containsOnly(20.0);
    assertThat(d.get(5)).isEqualTo(20.0); // 200 ms known: still 20 ms
    assertThat(d.get(d.size() - 1)).isEqualTo(100.0);
    assertThat(d.stream().mapToDouble(x -> (Double) x).sum()).isEqualTo(1000.0);
  }

  @Test
  void anExpectedTotalGivesBigChunksFromTheFirstPart() {
    Supplier<AudioRateLimiter> limiter =
        () -> AudioRateLimiter.builder().adaptiveChunks(Duration.ofSeconds(3)).build();
    assertThat(durations(collect(limiter, pcm(1000, 16000))))
        .containsExactly(200.0, 200.0, 200.0, 200.0, 200.0);
  }

  @Test
  void anInterruptionStartsANewAnswerWithSmallChunksAgain() {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    Supplier<AudioRateLimiter> limiter =
        () -> AudioRateLimiter.builder().adaptiveChunks(Duration.ZERO).build();
    StepVerifier.withVirtualTime(() -> input.asFlux().transform(limiter.get()))
        .expectSubscription()
        .then(() -> input.tryEmitNext(pcm(4000, 16000)))
        .assertNext(c -> assertThat(c.metadata(AudioRateLimiter.CHUNK_DURATION)).isEqualTo(200.0))
        .then(() -> input.tryEmitNext(Part.interrupted()))
        .assertNext(p -> assertThat(p.isInterrupted()).isTrue())
        .then(() -> input.tryEmitNext(pcm(100, 16000)))
        .assertNext(
            c -> {
              assertThat(c.metadata(AudioRateLimiter.CHUNK_DURATION)).isEqualTo(20.0);
              assertThat(c.metadata(AudioRateLimiter.CHUNK_INDEX)).isEqualTo(0L);
            })
        .thenAwait(Duration.ofSeconds(1))
        .expectNextCount(4)
        .then(input::tryEmitComplete)
        .verifyComplete();
  }

  @Test
  void aNegativeExpectedTotalIsRejected() {
    assertThatThrownBy(() -> AudioRateLimiter.builder().adaptiveChunks(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expectedTotal");
  }
}
