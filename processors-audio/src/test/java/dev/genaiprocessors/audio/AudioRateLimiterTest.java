package dev.genaiprocessors.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PlaybackListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.test.scheduler.VirtualTimeScheduler;

class AudioRateLimiterTest {

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  /** {@code ms} milliseconds of 16-bit mono PCM at {@code rate}, each sample holding its index. */
  static Part pcm(int ms, int rate) {
    int samples = rate * ms / 1000;
    byte[] data = new byte[samples * 2];
    for (int i = 0; i < samples; i++) {
      data[2 * i] = (byte) i;
      data[2 * i + 1] = (byte) (i >> 8);
    }
    return Part.audio(data, rate).withRole("model");
  }

  private static Supplier<Flux<Part>> limited(Flux<Part> input) {
    return () -> input.transform(AudioRateLimiter.builder().build());
  }

  @Test
  void audioIsSplitIntoFiftyMillisecondChunksReleasedFiftyMillisecondsAheadOfPlayback() {
    // One second at 16 kHz: 20 chunks. Chunk k plays at 50k ms and is released at 50(k-1) ms.
    StepVerifier.Step<Part> step =
        StepVerifier.withVirtualTime(limited(Flux.just(pcm(1000, 16000))))
            .expectSubscription()
            .assertNext(c -> assertThat(c.byteSize()).isEqualTo(1600))
            .assertNext(c -> assertThat(c.role()).isEqualTo("model"));
    for (int k = 2; k < 20; k++) {
      step =
          step.expectNoEvent(Duration.ofMillis(50))
              .assertNext(c -> assertThat(c.byteSize()).isEqualTo(1600));
    }
    step.verifyComplete();
  }

  @Test
  void chunksKeepTheSamplesInOrderWithNoneLost() {
    Part second = pcm(1000, 24000);
    StepVerifier.withVirtualTime(
            () ->
                Flux.just(second)
                    .transform(AudioRateLimiter.builder().build())
                    .reduce(
                        new java.io.ByteArrayOutputStream(),
                        (out, p) -> {
                          out.writeBytes(p.bytes());
                          return out;
                        }))
        .thenAwait(Duration.ofSeconds(2))
        .assertNext(out -> assertThat(out.toByteArray()).isEqualTo(second.bytes()))
        .verifyComplete();
  }

  @Test
  void pacingFollowsEachPartsOwnSampleRate() {
    // 100 ms at 24 kHz then 100 ms at 16 kHz: each stays whole (not over two chunks) and plays 100
    // ms.
    StepVerifier.withVirtualTime(
            limited(Flux.just(pcm(100, 24000), pcm(100, 16000), Part.text("after"))))
        .expectSubscription()
        .assertNext(p -> assertThat(p.mimeType()).isEqualTo("audio/pcm;rate=24000"))
        .expectNoEvent(Duration.ofMillis(50))
        .assertNext(p -> assertThat(p.mimeType()).isEqualTo("audio/pcm;rate=16000"))
        .expectNoEvent(Duration.ofMillis(150))
        .expectNext(Part.text("after"))
        .verifyComplete();
  }

  @Test
  void statusPartsOvertakeQueuedAudio() {
    StepVerifier.withVirtualTime(limited(Flux.just(pcm(1000, 16000), Part.status("s"))))
        .expectSubscription()
        .expectNextCount(2)
        .expectNext(Part.status("s"))
        .thenAwait(Duration.ofSeconds(1))
        .expectNextCount(18)
        .verifyComplete();
  }

  @Test
  void otherPartsWaitUntilTheAudioBeforeThemHasPlayedUnlessConfiguredNotTo() {
    StepVerifier.withVirtualTime(limited(Flux.just(pcm(200, 16000), Part.text("end"))))
        .expectSubscription()
        .expectNextCount(2)
        .thenAwait(Duration.ofMillis(100))
        .expectNextCount(2)
        .expectNoEvent(Duration.ofMillis(99))
        .thenAwait(Duration.ofMillis(1))
        .expectNext(Part.text("end"))
        .verifyComplete();
    StepVerifier.withVirtualTime(
            () ->
                Flux.just(pcm(200, 16000), Part.text("end"))
                    .transform(AudioRateLimiter.builder().delayOtherParts(false).build()))
        .expectSubscription()
        .expectNextCount(2)
        .expectNext(Part.text("end"))
        .thenAwait(Duration.ofMillis(200))
        .expectNextCount(2)
        .verifyComplete();
  }

  @Test
  void anInterruptionDropsQueuedAudioAtOnceAndReportsIt() {
    List<Part> dropped = new CopyOnWriteArrayList<>();
    List<Long> playStarts = new CopyOnWriteArrayList<>();
    PlaybackListener listener =
        new PlaybackListener() {
          @Override
          public void released(Part chunk, long playbackStartMillis, double durationMillis) {
            playStarts.add(playbackStartMillis);
          }

          @Override
          public void dropped(List<Part> parts, long atMillis) {
            dropped.addAll(parts);
          }
        };
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.withVirtualTime(
            () -> input.asFlux().transform(AudioRateLimiter.builder().listener(listener).build()))
        .expectSubscription()
        .then(() -> input.tryEmitNext(pcm(1000, 16000)))
        .expectNextCount(2)
        .thenAwait(Duration.ofMillis(120))
        .expectNextCount(2) // chunks released at 50 and 100 ms; the one due at 150 is not
        .then(() -> input.tryEmitNext(Part.interrupted()))
        .assertNext(p -> assertThat(p.isInterrupted()).isTrue())
        .then(() -> input.tryEmitNext(pcm(100, 16000)))
        .assertNext(
            p -> assertThat(p.byteSize()).isEqualTo(3200)) // plays at once: the clock restarted
        .then(input::tryEmitComplete)
        .verifyComplete();
    assertThat(dropped).hasSize(16);
    assertThat(playStarts).containsExactly(0L, 50L, 100L, 150L, 120L);
  }

  @Test
  void unpaceableAudioIsAClearError() {
    StepVerifier.create(
            Flux.just(Part.bytes(new byte[44], "audio/wav"))
                .transform(AudioRateLimiter.builder().build()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("audio/wav")
                    .hasMessageContaining("Wav.toPcmPart"))
        .verify(Duration.ofSeconds(5));
    StepVerifier.create(
            Flux.just(Part.bytes(new byte[4], "audio/pcm"))
                .transform(AudioRateLimiter.builder().build()))
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("no rate"))
        .verify(Duration.ofSeconds(5));
    StepVerifier.create(
            Flux.just(Part.bytes(new byte[6], "audio/l16;rate=16000;channels=2"))
                .transform(AudioRateLimiter.builder().build()))
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("partial frame"))
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void stereoIsPacedByFrames() {
    byte[] stereo = new byte[16000 * 4 / 10]; // 100 ms of 16 kHz stereo
    StepVerifier.withVirtualTime(
            () ->
                Flux.just(Part.bytes(stereo, "audio/l16;rate=16000;channels=2"), Part.text("end"))
                    .transform(AudioRateLimiter.builder().build()))
        .expectSubscription()
        .expectNextCount(1)
        .expectNoEvent(Duration.ofMillis(99))
        .thenAwait(Duration.ofMillis(1))
        .expectNext(Part.text("end"))
        .verifyComplete();
  }

  @Test
  void aConsumerThatStopsAskingDelaysPlaybackAndPacingResumesFromThen() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    List<Long> releasedAt = new CopyOnWriteArrayList<>();
    boolean[] completed = {false};
    reactor.core.publisher.BaseSubscriber<Part> consumer =
        new reactor.core.publisher.BaseSubscriber<>() {
          @Override
          protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
            // asks for nothing yet
          }

          @Override
          protected void hookOnNext(Part part) {
            releasedAt.add(time.now(java.util.concurrent.TimeUnit.MILLISECONDS));
          }

          @Override
          protected void hookOnComplete() {
            completed[0] = true;
          }
        };
    Flux.just(pcm(300, 16000))
        .transform(AudioRateLimiter.builder().scheduler(time).build())
        .subscribe(consumer);
    time.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(releasedAt).isEmpty();
    consumer.request(10);
    time.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(releasedAt).containsExactly(5000L, 5000L, 5050L, 5100L, 5150L, 5200L);
    assertThat(completed[0]).isTrue();
  }

  @Test
  void anInputErrorFailsAtOnce() {
    StepVerifier.withVirtualTime(
            limited(
                Flux.concat(
                    Flux.just(pcm(1000, 16000)),
                    Flux.error(new IllegalStateException("mic gone")))))
        .expectSubscription()
        .expectNextCount(2)
        .verifyErrorMessage("mic gone");
  }

  @Test
  void cancellingCancelsTheInput() {
    PublisherProbe<Part> input =
        PublisherProbe.of(Flux.concat(Flux.just(pcm(1000, 16000)), Flux.never()));
    Disposable d = input.flux().transform(AudioRateLimiter.builder().build()).subscribe();
    d.dispose();
    input.assertWasCancelled();
  }

  @Test
  void badSettingsAreRejectedAtOnce() {
    assertThatThrownBy(() -> AudioRateLimiter.builder().chunk(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunk");
    assertThatThrownBy(() -> AudioRateLimiter.builder().lead(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AudioRateLimiter.builder().maxQueued(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anInterruptionComesOutOnTheCallersThreadBeforeItsOnNextReturns() {
    // A real scheduler whose worker thread is not the test thread: no hand-off to it may happen.
    reactor.core.scheduler.Scheduler timers =
        reactor.core.scheduler.Schedulers.newSingle("limiter");
    try {
      Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
      List<Thread> interruptionThreads = new CopyOnWriteArrayList<>();
      List<Part> out = new CopyOnWriteArrayList<>();
      Disposable subscription =
          input
              .asFlux()
              .transform(AudioRateLimiter.builder().scheduler(timers).build())
              .subscribe(
                  p -> {
                    out.add(p);
                    if (p.isInterrupted()) {
                      interruptionThreads.add(Thread.currentThread());
                    }
                  });
      // A second of audio: two chunks go at once, 18 wait for their time.
      input.tryEmitNext(pcm(1000, 16000));
      assertThat(out).hasSize(2);
      input.tryEmitNext(Part.interrupted());
      assertThat(interruptionThreads).containsExactly(Thread.currentThread());
      assertThat(out).hasSize(3);
      assertThat(out.get(2).isInterrupted()).isTrue();
      subscription.dispose();
    } finally {
      timers.dispose();
    }
  }

  @Test
  void partsBroughtWhileAnotherThreadRunsTheSessionKeepTheirOrder() {
    // A part arriving while a release runs waits for it: demand, timers and input never race.
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<Part> out = new CopyOnWriteArrayList<>();
    input
        .asFlux()
        .transform(AudioRateLimiter.builder().scheduler(time).delayOtherParts(false).build())
        .subscribe(
            p -> {
              out.add(p);
              // Emitting from inside the subscriber: the session is running a task on this thread.
              if (p.isText() && p.text().equals("first")) {
                input.tryEmitNext(Part.text("second"));
              }
            });
    input.tryEmitNext(Part.text("first"));
    input.tryEmitNext(Part.text("third"));
    assertThat(out).extracting(Part::text).containsExactly("first", "second", "third");
  }
}
