package dev.genaiprocessors.audio;

import static dev.genaiprocessors.audio.AudioRateLimiterTest.pcm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Playback metrics of {@link AudioRateLimiter}, under virtual time. */
class AudioRateLimiterMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  private double count(String name) {
    return registry.get(name).counter().count();
  }

  @Test
  void withoutARegistryNothingIsCounted() {
    assertThat(AudioRateLimiter.builder().build().meters).isSameAs(PlaybackMeters.NONE);
    assertThat(AudioRateLimiter.builder().meterRegistry(null).build().meters)
        .isSameAs(PlaybackMeters.NONE);
  }

  @Test
  void chunksPlayedAreCounted() {
    Supplier<AudioRateLimiter> limiter =
        () -> AudioRateLimiter.builder().meterRegistry(registry).build();
    StepVerifier.withVirtualTime(
            () ->
                reactor.core.publisher.Flux.just(pcm(1000, 16000), Part.text("t"))
                    .transform(limiter.get()))
        .expectSubscription()
        .expectNextCount(2)
        .then(() -> assertThat(count(AudioRateLimiter.CHUNKS_PLAYED)).isEqualTo(2))
        .thenAwait(Duration.ofSeconds(2))
        .expectNextCount(19)
        .verifyComplete();
    assertThat(count(AudioRateLimiter.CHUNKS_PLAYED)).isEqualTo(20);
    assertThat(count(AudioRateLimiter.UNDERRUNS)).isZero();
  }

  @Test
  void anUnderrunIsCountedWhenAnAnswersAudioRanDryAndTheClockRestarted() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> out = new CopyOnWriteArrayList<>();
    input
        .asFlux()
        .transform(AudioRateLimiter.builder().scheduler(time).meterRegistry(registry).build())
        .subscribe(out::add);
    input.tryEmitNext(pcm(100, 16000)); // plays from 0 to 100 ms
    time.advanceTimeBy(Duration.ofMillis(90));
    input.tryEmitNext(pcm(100, 16000)); // more of the answer while it plays: 100 to 200 ms
    time.advanceTimeBy(Duration.ofMillis(210));
    assertThat(out).hasSize(2);
    assertThat(count(AudioRateLimiter.UNDERRUNS)).isZero();
    input.tryEmitNext(pcm(100, 16000)); // at 300 ms: the audio ran dry at 200
    time.advanceTimeBy(Duration.ofMillis(10));
    assertThat(out).hasSize(3);
    assertThat(count(AudioRateLimiter.UNDERRUNS)).isEqualTo(1);
    input.tryEmitNext(Part.endOfTurn()); // after the end of the turn, silence is expected
    time.advanceTimeBy(Duration.ofSeconds(1));
    input.tryEmitNext(pcm(100, 16000));
    time.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(out).hasSize(5);
    assertThat(count(AudioRateLimiter.UNDERRUNS)).isEqualTo(1);
    assertThat(count(AudioRateLimiter.CHUNKS_PLAYED)).isEqualTo(4);
  }

  @Test
  void interruptionsThatCutAudioAreCountedAndOthersAreNot() {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    Supplier<AudioRateLimiter> limiter =
        () -> AudioRateLimiter.builder().meterRegistry(registry).build();
    StepVerifier.withVirtualTime(() -> input.asFlux().transform(limiter.get()))
        .expectSubscription()
        .then(() -> input.tryEmitNext(Part.interrupted())) // nothing playing
        .expectNextCount(1)
        .then(() -> input.tryEmitNext(pcm(100, 16000)))
        .expectNextCount(1)
        .thenAwait(Duration.ofMillis(50))
        .then(() -> input.tryEmitNext(Part.interrupted())) // cuts the part still playing
        .expectNextCount(1)
        .then(() -> assertThat(count(AudioRateLimiter.INTERRUPTIONS)).isEqualTo(1))
        .then(() -> input.tryEmitNext(pcm(1000, 16000)))
        .expectNextCount(2)
        .then(() -> input.tryEmitNext(Part.interrupted())) // drops queued chunks
        .expectNextCount(1)
        .thenAwait(Duration.ofSeconds(1))
        .then(() -> input.tryEmitNext(Part.interrupted())) // long after: nothing to cut
        .expectNextCount(1)
        .then(input::tryEmitComplete)
        .verifyComplete();
    assertThat(count(AudioRateLimiter.INTERRUPTIONS)).isEqualTo(2);
  }
}
