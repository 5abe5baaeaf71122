package dev.genaiprocessors.live.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.live.LiveModelProcessor;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** {@link LiveModelProcessor} gets the same meters as a live provider, under virtual time. */
class LiveModelProcessorMetricsTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final VirtualTimeScheduler time = VirtualTimeScheduler.create();

  @AfterEach
  void reset() {
    time.dispose();
  }

  /** Answers one word every 100 ms once the prompt is complete. */
  Processor words(String... words) {
    return prompt ->
        prompt
            .then()
            .thenMany(
                Flux.fromArray(words)
                    .concatMap(
                        w ->
                            Mono.delay(Duration.ofMillis(100), time)
                                .thenReturn(Part.text(w + " ").withRole("model"))));
  }

  RealTimeMetrics metrics() {
    return RealTimeMetrics.builder().registry(registry).conversation("c").scheduler(time).build();
  }

  Timer timer(String name) {
    return registry.get(name).tag("stage", "model").timer();
  }

  double count(String name) {
    return registry.get(name).tag("stage", "model").counter().count();
  }

  @Test
  void aTypedTurnIsTimedFromItsEndOfTurn() {
    RealTimeMetrics metrics = metrics();
    Processor live =
        metrics.observe(
            "model",
            LiveModelProcessor.builder(words("hi", "there"))
                .scheduler(time)
                .stateParts(false)
                .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.create(live.apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.text("hello").withRole("user")))
        .then(() -> time.advanceTimeBy(Duration.ofSeconds(1)))
        .then(() -> input.tryEmitNext(Part.endOfTurn()))
        .then(() -> time.advanceTimeBy(Duration.ofSeconds(1)))
        .expectNextCount(3) // two words and the end of turn
        .then(input::tryEmitComplete)
        .expectComplete()
        .verify(Duration.ofSeconds(10));

    assertThat(timer(RealTimeMetrics.TIME_TO_FIRST_TOKEN).count()).isEqualTo(1);
    assertThat(timer(RealTimeMetrics.TIME_TO_FIRST_TOKEN).totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(100);
    assertThat(timer(RealTimeMetrics.PROCESSING).totalTime(TimeUnit.MILLISECONDS)).isEqualTo(200);
    assertThat(count(RealTimeMetrics.ANSWERS)).isEqualTo(1);
    assertThat(metrics.report().stages().get(0).performance().messagesReceived()).isEqualTo(3);
  }

  @Test
  void bargeInIsCountedAsAnInterruption() {
    RealTimeMetrics metrics = metrics();
    Processor live =
        metrics.observe(
            "model",
            LiveModelProcessor.builder(words("one", "two", "three"))
                .scheduler(time)
                .stateParts(false)
                .build());
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.create(live.apply(input.asFlux()))
        .then(() -> input.tryEmitNext(Part.text("count").withRole("user")))
        .then(() -> input.tryEmitNext(Part.endOfTurn()))
        .then(() -> time.advanceTimeBy(Duration.ofMillis(150)))
        .expectNextCount(1) // "one"
        .then(() -> input.tryEmitNext(Part.startOfSpeech()))
        .then(() -> time.advanceTimeBy(Duration.ofMillis(10)))
        .assertNext(p -> assertThat(p.isInterrupted()).isTrue())
        .assertNext(p -> assertThat(p.isEndOfTurn()).isTrue())
        .then(input::tryEmitComplete)
        .then(() -> time.advanceTimeBy(Duration.ofSeconds(1)))
        .expectComplete()
        .verify(Duration.ofSeconds(10));

    assertThat(count(RealTimeMetrics.INTERRUPTIONS)).isEqualTo(1);
    assertThat(timer(RealTimeMetrics.INTERRUPTION_LATENCY).count()).isEqualTo(1);
    assertThat(timer(RealTimeMetrics.PROCESSING).count()).isZero();
  }
}
