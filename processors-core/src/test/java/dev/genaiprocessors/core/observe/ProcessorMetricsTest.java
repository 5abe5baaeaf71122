package dev.genaiprocessors.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartProcessor;
import dev.genaiprocessors.core.Processor;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class ProcessorMetricsTest {

  private final MockClock clock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);

  @Test
  void withoutARegistryTheProcessorIsReturnedAsItIs() {
    Processor p = in -> in;
    PartProcessor pp = part -> Flux.just(part);
    assertThat(ProcessorMetrics.observe("x", p, null)).isSameAs(p);
    assertThat(ProcessorMetrics.observe("x", pp, null)).isSameAs(pp);
  }

  @Test
  void processorStageCountsPartsAndTimesFirstPartAndLag() {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    Processor doubled = in -> in.flatMap(p -> Flux.just(p, p));
    Processor observed = ProcessorMetrics.observe("double", doubled, registry);
    StepVerifier.create(observed.apply(input.asFlux()))
        .then(() -> clock.add(Duration.ofMillis(30)))
        .then(() -> input.tryEmitNext(Part.text("a")))
        .expectNextCount(2)
        .then(input::tryEmitComplete)
        .verifyComplete();
    assertThat(
            registry
                .get(ProcessorMetrics.PARTS)
                .tags("stage", "double", "direction", "in")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(ProcessorMetrics.PARTS)
                .tags("stage", "double", "direction", "out")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get(ProcessorMetrics.FIRST_PART)
                .tag("stage", "double")
                .timer()
                .totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(30);
    assertThat(registry.get(ProcessorMetrics.PART_LATENCY).tag("stage", "double").timer().count())
        .isEqualTo(2);
  }

  @Test
  void partProcessorStageTimesEachPartFromCallToCompletion() {
    Sinks.Empty<Void> done = Sinks.empty();
    PartProcessor slow = part -> done.asMono().thenReturn(part).flux();
    PartProcessor observed = ProcessorMetrics.observe("slow", slow, registry);
    StepVerifier.create(observed.process(Part.text("a")))
        .then(() -> clock.add(Duration.ofMillis(120)))
        .then(done::tryEmitEmpty)
        .expectNext(Part.text("a"))
        .verifyComplete();
    assertThat(
            registry
                .get(ProcessorMetrics.PART_LATENCY)
                .tag("stage", "slow")
                .timer()
                .totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(120);
    assertThat(
            registry
                .get(ProcessorMetrics.PARTS)
                .tags("stage", "slow", "direction", "in")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void partLogPassesPartsUnchanged() {
    StepVerifier.create(
            Flux.just(Part.text("a"), Part.audio(new byte[4], 16000))
                .transform(PartLog.log("test")))
        .expectNext(Part.text("a"), Part.audio(new byte[4], 16000))
        .verifyComplete();
  }
}
