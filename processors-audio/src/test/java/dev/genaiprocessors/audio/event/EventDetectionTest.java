package dev.genaiprocessors.audio.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.test.scheduler.VirtualTimeScheduler;

class EventDetectionTest {

  private static final Part A = Part.text("A").withSubstream("realtime");
  private static final Part B = Part.text("B").withSubstream("realtime");
  private static final Part C = Part.text("C").withSubstream("realtime");

  /** The detection with the metadata it adds taken off, so that outputs compare with A, B and C. */
  static Processor plain(EventDetection detection) {
    return in ->
        detection
            .apply(in)
            .map(
                p ->
                    p.withoutMetadata(EventDetection.DETECTOR)
                        .withoutMetadata(EventDetection.DETECTION_TIME));
  }

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  /** Frame {@code i}: a one-byte "image" holding {@code i}, as a camera would tag it. */
  static Part frame(int i) {
    return Part.image(new byte[] {(byte) i}, "image/jpeg")
        .withSubstream("realtime")
        .withRole("user");
  }

  /** {@code count} frames, the first at once and then one every {@code period} (virtual time). */
  static Flux<Part> frames(Duration period, int count) {
    return Flux.interval(Duration.ZERO, period).take(count).map(i -> frame(i.intValue()));
  }

  /**
   * A detection model: answers each prompt with the next scripted answer after a delay (on the
   * virtual clock), recording every prompt it was given and how many detections ran at once.
   */
  static final class ScriptedBackend implements Processor {
    final List<List<Part>> prompts = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();
    private final Deque<String> answers;
    private final Duration delay;

    ScriptedBackend(Duration delay, String... answers) {
      this.delay = delay;
      this.answers = new ArrayDeque<>(List.of(answers));
    }

    @Override
    public Flux<Part> apply(Flux<Part> prompt) {
      return prompt
          .collectList()
          .flatMapMany(
              parts -> {
                prompts.add(parts);
                String answer = answers.isEmpty() ? "" : answers.poll();
                return Mono.delay(delay)
                    .thenMany(
                        Flux.just(Part.status("thinking"), Part.text(answer).withRole("model")))
                    .doOnSubscribe(
                        s -> maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max))
                    .doOnCancel(cancelled::incrementAndGet)
                    .doFinally(s -> inFlight.decrementAndGet());
              });
    }

    /** The frame numbers of each prompt, in order. */
    List<List<Integer>> promptFrames() {
      return prompts.stream()
          .map(p -> p.stream().filter(Part::isImage).map(i -> (int) i.bytes()[0]).toList())
          .toList();
    }

    /** The timestamps of each prompt, in order. */
    List<List<String>> promptTimestamps() {
      return prompts.stream()
          .map(p -> p.stream().filter(Part::isText).map(Part::text).toList())
          .toList();
    }
  }

  @Test
  void wildcardAppliesFromEveryStateAndExplicitEntriesOverrideIt() {
    ScriptedBackend backend =
        new ScriptedBackend(Duration.ofMillis(100), " Detected\n", "clear", "detected", "clear");
    StepVerifier.withVirtualTime(
            () ->
                frames(Duration.ofSeconds(1), 5)
                    .transform(
                        plain(
                            EventDetection.builder(backend)
                                .on("*", "detected", A)
                                .on("detected", "clear", B)
                                .on("clear", "detected", C)
                                .build()))
                    .collectList())
        .thenAwait(Duration.ofSeconds(10))
        .assertNext(
            out ->
                assertThat(out)
                    .containsExactly(frame(0), A, frame(1), B, frame(2), C, frame(3), B, frame(4)))
        .verifyComplete();
  }

  @Test
  void wildcardAlsoAppliesFromAStateEnteredWithoutATableEntry() {
    // From the start state any event fires silently; the original then stayed stuck in 'other'.
    ScriptedBackend backend = new ScriptedBackend(Duration.ofMillis(100), "other", "detected");
    StepVerifier.withVirtualTime(
            () ->
                frames(Duration.ofSeconds(1), 3)
                    .transform(
                        plain(EventDetection.builder(backend).on("*", "detected", A, B).build()))
                    .collectList())
        .thenAwait(Duration.ofSeconds(10))
        .assertNext(out -> assertThat(out).containsExactly(frame(0), frame(1), A, B, frame(2)))
        .verifyComplete();
  }

  @Test
  void transitionsOutsideTheTableAreIgnoredExceptFromTheStartState() {
    // 'detected' fires silently from the start state; 'other' is not in the table and leaves the
    // state
    // as it is (else detected->clear could not fire); an empty list fires silently too.
    ScriptedBackend backend =
        new ScriptedBackend(
            Duration.ofMillis(100), "detected", "other", "clear", "elsewhere", "clear");
    StepVerifier.withVirtualTime(
            () ->
                frames(Duration.ofSeconds(1), 6)
                    .transform(
                        plain(
                            EventDetection.builder(backend)
                                .on("detected", "clear", B)
                                .on("*", "elsewhere", List.of())
                                .on("elsewhere", "clear", C)
                                .build()))
                    .collectList())
        .thenAwait(Duration.ofSeconds(10))
        .assertNext(
            out ->
                assertThat(out)
                    .containsExactly(
                        frame(0), frame(1), frame(2), B, frame(3), frame(4), C, frame(5)))
        .verifyComplete();
  }

  @Test
  void aTransitionWithSensitivityNFiresOnItsNPlusFirstConsecutiveDetection() {
    // clear fires at once; clear->detected needs 3 in a row (the exact entry overrides the
    // wildcard's 5);
    // the self-transition 'clear' and a blank answer in between: the first breaks the run, the
    // second not.
    ScriptedBackend backend =
        new ScriptedBackend(
            Duration.ofMillis(100),
            "clear",
            "detected",
            "clear",
            "detected",
            "detected",
            " ",
            "detected",
            "detected");
    StepVerifier.withVirtualTime(
            () ->
                frames(Duration.ofSeconds(1), 9)
                    .transform(
                        plain(
                            EventDetection.builder(backend)
                                .on("*", "clear", B)
                                .on("*", "detected", A)
                                .sensitivity("*", "detected", 5)
                                .sensitivity("clear", "detected", 2)
                                .build()))
                    .collectList())
        .thenAwait(Duration.ofSeconds(20))
        .assertNext(
            out ->
                assertThat(out)
                    .containsExactly(
                        frame(0), B, frame(1), frame(2), frame(3), frame(4), frame(5), frame(6), A,
                        frame(7), frame(8)))
        .verifyComplete();
  }

  @Test
  void selfTransitionsNeverFire() {
    ScriptedBackend backend =
        new ScriptedBackend(Duration.ofMillis(100), "detected", "detected", "DETECTED");
    StepVerifier.withVirtualTime(
            () ->
                frames(Duration.ofSeconds(1), 4)
                    .transform(
                        plain(EventDetection.builder(backend).on("*", "detected", A).build()))
                    .collectList())
        .thenAwait(Duration.ofSeconds(10))
        .assertNext(
            out -> assertThat(out).containsExactly(frame(0), A, frame(1), frame(2), frame(3)))
        .verifyComplete();
    assertThat(backend.prompts).hasSize(4);
  }

  @Test
  void aSlowBackendSeesOneDetectionAtATimeWithOnlyTheLatestFrames() {
    // Frames every 400 ms, detections take 1 s, windows of 3: detections start at 0, 1200 and 2400
    // ms.
    ScriptedBackend backend = new ScriptedBackend(Duration.ofSeconds(1), "a", "b", "c");
    StepVerifier.withVirtualTime(
            () ->
                frames(Duration.ofMillis(400), 7)
                    .transform(
                        plain(
                            EventDetection.builder(backend)
                                .on("*", "a", A)
                                .on("*", "b", B)
                                .on("*", "c", C)
                                .maxImages(3)
                                .build())))
        .expectSubscription()
        .expectNext(frame(0))
        .expectNoEvent(Duration.ofMillis(400))
        .expectNext(frame(1))
        .expectNoEvent(Duration.ofMillis(400))
        .expectNext(frame(2))
        .expectNoEvent(Duration.ofMillis(200))
        .expectNext(A) // the first detection ends at 1000 ms
        .expectNoEvent(Duration.ofMillis(200))
        .expectNext(frame(3)) // 1200: starts the second
        .expectNoEvent(Duration.ofMillis(400))
        .expectNext(frame(4))
        .expectNoEvent(Duration.ofMillis(400))
        .expectNext(frame(5))
        .expectNoEvent(Duration.ofMillis(200))
        .expectNext(B) // 2200
        .expectNoEvent(Duration.ofMillis(200))
        .expectNext(frame(6)) // 2400: starts the third, then input ends
        .verifyComplete();
    assertThat(backend.promptFrames())
        .containsExactly(List.of(0), List.of(1, 2, 3), List.of(4, 5, 6));
    assertThat(backend.promptTimestamps().get(1)).containsExactly("00:00", "00:00", "00:01");
    assertThat(backend.maxInFlight).hasValue(1);
    assertThat(backend.cancelled).hasValue(1);
  }

  @Test
  void promptsInterleaveImagesWithTheirTimeSinceTheFirstImageAsMinutesAndSeconds() {
    ScriptedBackend backend = new ScriptedBackend(Duration.ofMillis(1));
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.withVirtualTime(
            () -> input.asFlux().transform(plain(EventDetection.builder(backend).build())))
        .expectSubscription()
        .then(() -> input.tryEmitNext(frame(0)))
        .expectNext(frame(0))
        .thenAwait(Duration.ofSeconds(20))
        .then(() -> input.tryEmitNext(frame(1)))
        .expectNext(frame(1))
        .thenAwait(Duration.ofMillis(44_600))
        .then(() -> input.tryEmitNext(frame(2)))
        .expectNext(frame(2))
        .thenAwait(Duration.ofSeconds(3670 - 65))
        .then(() -> input.tryEmitNext(frame(3)))
        .expectNext(frame(3))
        .thenAwait(Duration.ofSeconds(1))
        .then(input::tryEmitComplete)
        .verifyComplete();
    assertThat(backend.promptTimestamps())
        .containsExactly(
            List.of("00:00"),
            List.of("00:00", "00:20"),
            List.of("00:00", "00:20", "01:05"),
            List.of("00:00", "00:20", "01:05", "61:10"));
    assertThat(backend.prompts.get(3))
        .allSatisfy(
            p -> {
              assertThat(p.role()).isEqualTo("user");
              assertThat(p.substream()).isEmpty();
            });
    assertThat(backend.prompts.get(3).get(0).mimeType()).isEqualTo("image/jpeg");
  }

  @Test
  void aBackendErrorFailsTheOutputWithTheOriginalExceptionAndCancelsTheInput() {
    IllegalStateException boom = new IllegalStateException("model down");
    PublisherProbe<Part> input = PublisherProbe.of(Flux.just(frame(0)).concatWith(Flux.never()));
    Processor failing = prompt -> prompt.thenMany(Flux.error(boom));
    StepVerifier.create(input.flux().transform(plain(EventDetection.builder(failing).build())))
        .expectNext(frame(0))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
        .verify(Duration.ofSeconds(5));
    input.assertWasCancelled();
  }

  @Test
  void theDetectionInFlightIsCancelledWhenTheInputEndsAndOtherPartsPassAtOnce() {
    ScriptedBackend backend = new ScriptedBackend(Duration.ofMinutes(10), "detected");
    StepVerifier.withVirtualTime(
            () ->
                Flux.just(Part.text("hi"), frame(0), Part.endOfTurn())
                    .transform(
                        plain(EventDetection.builder(backend).on("*", "detected", A).build())))
        .expectNext(Part.text("hi"), frame(0), Part.endOfTurn())
        .verifyComplete();
    assertThat(backend.prompts).hasSize(1);
    assertThat(backend.cancelled).hasValue(1);
    assertThat(backend.inFlight).hasValue(0);
  }

  @Test
  void cancellingTheOutputCancelsTheDetectionInFlight() {
    ScriptedBackend backend = new ScriptedBackend(Duration.ofMinutes(10), "detected");
    StepVerifier.withVirtualTime(
            () ->
                Flux.just(frame(0), Part.text("next"))
                    .concatWith(Flux.never())
                    .transform(plain(EventDetection.builder(backend).build())))
        .expectNext(frame(0), Part.text("next"))
        .thenCancel()
        .verify();
    assertThat(backend.cancelled).hasValue(1);
  }

  @Test
  void eachSubscriptionStartsFromTheStartState() {
    ScriptedBackend backend =
        new ScriptedBackend(Duration.ofMillis(1), "detected", "detected", "detected", "detected");
    EventDetection detection = EventDetection.builder(backend).on("*", "detected", A).build();
    for (int run = 0; run < 2; run++) {
      StepVerifier.withVirtualTime(
              () -> frames(Duration.ofSeconds(1), 2).transform(plain(detection)).collectList())
          .thenAwait(Duration.ofSeconds(5))
          .assertNext(out -> assertThat(out).containsExactly(frame(0), A, frame(1)))
          .verifyComplete();
    }
  }

  @Test
  void stateMachineTracksTheCurrentState() {
    EventStateMachine machine =
        new EventStateMachine(
            java.util.Map.of(new EventDetection.Transition("*", "on"), List.of(A)),
            java.util.Map.of());
    assertThat(machine.onAnswer("*")).isEmpty();
    assertThat(machine.state()).isEqualTo(EventDetection.START);
    assertThat(machine.onAnswer("ON")).containsExactly(A);
    assertThat(machine.state()).isEqualTo("on");
    assertThat(machine.onAnswer("off")).isEmpty();
    assertThat(machine.state()).isEqualTo("on");
  }

  @Test
  void tablesThatCanNeverFireAreRejectedWhenBuilt() {
    EventDetection.Builder builder = EventDetection.builder(in -> Flux.empty());
    assertThatThrownBy(() -> builder.on("on", "on", A)).hasMessageContaining("self-transition");
    assertThatThrownBy(() -> builder.on("*", "Detected", A)).hasMessageContaining("'detected'");
    assertThatThrownBy(() -> builder.on("on", "*", A)).hasMessageContaining("must be an event");
    assertThatThrownBy(() -> builder.on("on", "", A)).hasMessageContaining("must be an event");
    assertThatThrownBy(() -> builder.sensitivity("*", "on", -1)).hasMessageContaining("negative");
    assertThatThrownBy(() -> builder.maxImages(0)).hasMessageContaining("maxImages");
    builder.on("*", "on", A);
    assertThatThrownBy(() -> builder.on("*", "on", B)).hasMessageContaining("declared twice");
  }

  @Test
  void timestampsRoundToTheNearestSecond() {
    assertThat(FrameWindow.timestamp(0)).isEqualTo("00:00");
    assertThat(FrameWindow.timestamp(499)).isEqualTo("00:00");
    assertThat(FrameWindow.timestamp(500)).isEqualTo("00:01");
    assertThat(FrameWindow.timestamp(59_600)).isEqualTo("01:00");
    assertThat(FrameWindow.timestamp(-5)).isEqualTo("00:00");
  }
}
