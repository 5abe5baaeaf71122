package dev.genaiprocessors.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.test.scheduler.VirtualTimeScheduler;

class PartProcessorStageTest {

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  /** Part "a" takes 300 ms, "b" 100 ms, "c" 200 ms: they finish b, c, a but come out a, b, c. */
  private static final PartProcessor SKEWED =
      part -> {
        long ms =
            switch (part.text()) {
              case "a" -> 300;
              case "b" -> 100;
              default -> 200;
            };
        return Mono.delay(Duration.ofMillis(ms))
            .thenMany(Flux.just(Part.text(part.text() + "1"), Part.text(part.text() + "2")));
      };

  @Test
  void outputsKeepInputOrderWhenPartsFinishOutOfOrder() {
    StepVerifier.withVirtualTime(() -> Parts.stream("a", "b", "c").transform(SKEWED.toProcessor()))
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(300))
        .expectNext(
            Part.text("a1"),
            Part.text("a2"),
            Part.text("b1"),
            Part.text("b2"),
            Part.text("c1"),
            Part.text("c2"))
        .verifyComplete();
  }

  @Test
  void partsRunConcurrentlySoTheStageTakesAsLongAsItsSlowestPart() {
    StepVerifier.withVirtualTime(() -> Parts.stream("a", "b", "c").transform(SKEWED.toProcessor()))
        .expectSubscription()
        .thenAwait(Duration.ofMillis(300))
        .expectNextCount(6)
        .verifyComplete();
  }

  @Test
  void concurrencyIsBoundedByMaxConcurrency() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    PartProcessor slow =
        part ->
            Mono.delay(Duration.ofMillis(100))
                .doOnSubscribe(
                    s -> maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max))
                .doOnTerminate(inFlight::decrementAndGet)
                .thenReturn(part)
                .flux();
    StepVerifier.withVirtualTime(
            () -> Flux.range(0, 10).map(i -> Part.text("p" + i)).transform(slow.toProcessor(3)))
        .thenAwait(Duration.ofSeconds(1))
        .expectNextCount(10)
        .verifyComplete();
    assertThat(maxInFlight).hasValue(3);
  }

  @Test
  void nonMatchingPartsPassUnchangedWithoutCallingProcess() {
    AtomicInteger calls = new AtomicInteger();
    PartProcessor onlyX =
        new PartProcessor() {
          @Override
          public Flux<Part> process(Part part) {
            calls.incrementAndGet();
            return Flux.just(Part.text("X!"));
          }

          @Override
          public boolean match(Part part) {
            return part.text().equals("x");
          }
        };
    StepVerifier.create(Parts.stream("a", "x", "b").transform(onlyX.toProcessor()))
        .expectNext(Part.text("a"), Part.text("X!"), Part.text("b"))
        .verifyComplete();
    assertThat(calls).hasValue(1);
  }

  @Test
  void reservedPartsOvertakeSlowParts() {
    PartProcessor slow = part -> Mono.delay(Duration.ofSeconds(10)).thenReturn(part).flux();
    StepVerifier.withVirtualTime(
            () ->
                Flux.just(Part.text("slow"), Part.status("working")).transform(slow.toProcessor()))
        .expectSubscription()
        .expectNext(Part.status("working"))
        .expectNoEvent(Duration.ofSeconds(10))
        .expectNext(Part.text("slow"))
        .verifyComplete();
  }

  @Test
  void anErrorCancelsPartsInFlightAndSurfacesAsTheOriginalException() {
    IllegalStateException boom = new IllegalStateException("boom");
    PublisherProbe<Part> slowProbe =
        PublisherProbe.of(Mono.delay(Duration.ofSeconds(10)).thenReturn(Part.text("late")).flux());
    PartProcessor p =
        part ->
            part.text().equals("bad")
                ? Mono.delay(Duration.ofMillis(5)).then(Mono.<Part>error(boom)).flux()
                : slowProbe.flux();
    StepVerifier.withVirtualTime(() -> Parts.stream("slow", "bad").transform(p.toProcessor()))
        .expectSubscription()
        .thenAwait(Duration.ofMillis(5))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
        .verify();
    slowProbe.assertWasCancelled();
  }

  @Test
  void anExceptionThrownByProcessIsAnErrorSignal() {
    PartProcessor p =
        part -> {
          throw new IllegalArgumentException("bad part");
        };
    StepVerifier.create(Parts.stream("a").transform(p.toProcessor()))
        .verifyErrorMessage("bad part");
  }

  @Test
  void nullFromProcessIsAClearError() {
    @SuppressWarnings("NullAway") // returns null on purpose: the test checks the error that gives
    PartProcessor p = part -> null;
    StepVerifier.create(Parts.stream("a").transform(p.toProcessor()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("returned null"))
        .verify();
  }

  @Test
  void cancellingTheOutputCancelsPartsInFlightAndTheInput() {
    PublisherProbe<Part> work = PublisherProbe.of(Flux.never());
    PublisherProbe<Part> input =
        PublisherProbe.of(Flux.concat(Flux.just(Part.text("a")), Flux.never()));
    PartProcessor p = part -> work.flux();
    reactor.core.Disposable subscription = input.flux().transform(p.toProcessor()).subscribe();
    assertThat(work.wasSubscribed()).isTrue();
    subscription.dispose();
    work.assertWasCancelled();
    input.assertWasCancelled();
  }

  @Test
  void backpressureIsRespected() {
    PartProcessor twice = part -> Flux.just(part, part);
    StepVerifier.create(Parts.stream("a", "b").transform(twice.toProcessor()), 0)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(10))
        .thenRequest(1)
        .expectNext(Part.text("a"))
        .thenRequest(3)
        .expectNext(Part.text("a"), Part.text("b"), Part.text("b"))
        .verifyComplete();
  }

  @Test
  void invalidConcurrencyIsRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PartProcessor.passthrough().toProcessor(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConcurrency");
  }

  @Test
  void filterMapAndMatchingHelpers() {
    PartProcessor pipeline =
        PartProcessor.filter(p -> !p.text().startsWith("drop"))
            .then(PartProcessor.map(p -> Part.text(p.text().toUpperCase())))
            .then(
                PartProcessor.matching(
                    p -> p.text().equals("B"), part -> Flux.just(Part.text("bee"))));
    StepVerifier.create(Parts.stream("a", "drop me", "b").transform(pipeline.toProcessor()))
        .expectNext(Part.text("A"), Part.text("bee"))
        .verifyComplete();
    assertThat(List.of(1)).hasSize(1);
  }

  @Test
  void errorsAsStatusReplacesTheFailingPartsOutputAndGoesOn() {
    PartProcessor p =
        part ->
            part.text().equals("bad")
                ? Flux.concat(
                    Flux.just(Part.text("partial")), Flux.error(new IllegalStateException("boom")))
                : Flux.just(part);
    StepVerifier.create(Parts.stream("a", "bad", "c").transform(p.errorsAsStatus().toProcessor()))
        .expectNext(Part.text("a"), Part.text("partial"))
        .assertNext(status -> assertThat(status.isException()).isTrue())
        .expectNext(Part.text("c"))
        .verifyComplete();
  }
}
