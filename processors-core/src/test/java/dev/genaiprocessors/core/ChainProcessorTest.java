package dev.genaiprocessors.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.test.scheduler.VirtualTimeScheduler;

class ChainProcessorTest {

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  private static final Processor UPPER = in -> in.map(p -> Part.text(p.text().toUpperCase()));
  private static final Processor EXCLAIM = in -> in.map(p -> Part.text(p.text() + "!"));

  @Test
  void stagesRunInOrder() {
    StepVerifier.create(Parts.stream("a", "b").transform(UPPER.then(EXCLAIM)))
        .expectNextSequence(Parts.texts("A!", "B!"))
        .verifyComplete();
  }

  @Test
  void processorsAndPartProcessorsMixAndConsecutivePartProcessorsFuse() {
    PartProcessor dup = part -> Flux.just(part, part);
    PartProcessor star = PartProcessor.map(p -> Part.text(p.text() + "*"));
    Processor chain = UPPER.then(dup).then(star).then(EXCLAIM);
    assertThat(chain.toString())
        .contains("ChainPartProcessor")
        .containsOnlyOnce("PartProcessorStage");
    StepVerifier.create(Parts.stream("a").transform(chain))
        .expectNextSequence(Parts.texts("A*!", "A*!"))
        .verifyComplete();
    assertThat(Processor.chain(List.of(UPPER, dup, EXCLAIM)).toString())
        .isEqualTo(UPPER.then(dup).then(EXCLAIM).toString());
  }

  @Test
  void reservedPartsReachTheOutputAheadOfASlowStageAndLaterStagesNeverSeeThem() {
    AtomicInteger seenByLast = new AtomicInteger();
    Processor slow = in -> in.concatMap(p -> Mono.delay(Duration.ofSeconds(10)).thenReturn(p));
    Processor emitsStatus = in -> in.flatMap(p -> Flux.just(Part.status("got " + p.text()), p));
    Processor last = in -> in.doOnNext(p -> seenByLast.incrementAndGet());
    StepVerifier.withVirtualTime(
            () -> Parts.stream("a").transform(emitsStatus.then(slow).then(last)))
        .expectSubscription()
        .expectNext(Part.status("got a"))
        .expectNoEvent(Duration.ofSeconds(10))
        .expectNext(Part.text("a"))
        .verifyComplete();
    assertThat(seenByLast).hasValue(1);
  }

  @Test
  void reservedInputPartsBypassEveryStage() {
    Processor fail =
        in ->
            in.map(
                p -> {
                  throw new AssertionError("a stage saw " + p);
                });
    StepVerifier.create(
            Flux.just(Part.debug("d"), Part.text("x").withSubstream("ui_panel"))
                .transform(fail.then(fail)))
        .expectNext(Part.debug("d"), Part.text("x").withSubstream("ui_panel"))
        .verifyComplete();
  }

  @Test
  void anErrorInAnyStageCancelsTheOthersAndIsTheOriginalException() {
    IllegalStateException boom = new IllegalStateException("boom");
    PublisherProbe<Part> source = PublisherProbe.of(Flux.concat(Parts.stream("a"), Flux.never()));
    Processor failing = in -> in.flatMap(p -> Flux.error(boom));
    StepVerifier.create(source.flux().transform(UPPER.then(failing).then(EXCLAIM)))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
        .verify(Duration.ofSeconds(5));
    source.assertWasCancelled();
  }

  @Test
  void cancellingTheOutputCancelsEveryStageAndTheInput() {
    PublisherProbe<Part> inner = PublisherProbe.of(Flux.never());
    PublisherProbe<Part> source = PublisherProbe.of(Flux.concat(Parts.stream("a"), Flux.never()));
    Processor waits = in -> in.flatMap(p -> inner.flux());
    Disposable subscription = source.flux().transform(UPPER.then(waits).then(EXCLAIM)).subscribe();
    assertThat(inner.wasSubscribed()).isTrue();
    subscription.dispose();
    inner.assertWasCancelled();
    source.assertWasCancelled();
  }

  @Test
  void aStageThatEndsEarlyEndsTheChain() {
    Processor firstOnly = in -> in.take(1);
    StepVerifier.create(
            Flux.concat(Parts.stream("a", "b"), Flux.never()).transform(firstOnly.then(EXCLAIM)))
        .expectNext(Part.text("a!"))
        .verifyComplete();
  }

  @Test
  void backpressureReachesTheSource() {
    AtomicInteger emitted = new AtomicInteger();
    Flux<Part> source =
        Flux.range(0, 100_000)
            .map(i -> Part.text("p" + i))
            .doOnNext(p -> emitted.incrementAndGet());
    StepVerifier.create(source.transform(UPPER.then(PartProcessor.passthrough().then(EXCLAIM))), 1)
        .expectNextCount(1)
        .thenCancel()
        .verify();
    assertThat(emitted.get()).isLessThan(2_000);
  }

  @Test
  void chainRejectsWhatIsNotAStage() {
    assertThatThrownBy(() -> Processor.chain(List.of(UPPER, "nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String");
  }

  @Test
  void errorsAsStatusEndsTheStreamWithAStatusPart() {
    Processor failing =
        in ->
            in.concatMap(
                p ->
                    p.text().equals("b")
                        ? Flux.error(new IllegalStateException("boom"))
                        : Flux.just(p));
    StepVerifier.create(Parts.stream("a", "b", "c").transform(failing.errorsAsStatus()))
        .expectNext(Part.text("a"))
        .assertNext(
            p -> {
              assertThat(p.isException()).isTrue();
              assertThat(p.metadata(PartMetadata.ORIGINAL_EXCEPTION)).isEqualTo("boom");
            })
        .verifyComplete();
  }

  @Test
  void aStageThatSubscribesToItsInputLateLosesNothing() {
    Processor connectsFirst = in -> Mono.delay(Duration.ofSeconds(1)).thenMany(in);
    StepVerifier.withVirtualTime(
            () ->
                Flux.just(Part.text("a"), Part.status("s"), Part.text("b"))
                    .transform(UPPER.then(connectsFirst).then(EXCLAIM)))
        .expectSubscription()
        .expectNext(Part.status("s"))
        .expectNoEvent(Duration.ofSeconds(1))
        .expectNext(Part.text("A!"), Part.text("B!"))
        .verifyComplete();
  }

  @Test
  void reservedPartsPilingUpUnrequestedFailWithATypedError() {
    Processor readsAll = in -> in.thenMany(Flux.<Part>empty());
    StepVerifier.create(
            Flux.range(0, ReservedExit.MAX_WAITING + 100)
                .map(i -> Part.status("s" + i))
                .transform(readsAll.then(EXCLAIM)),
            0)
        .expectSubscription()
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(PartBufferOverflowException.class)
                    .hasMessageContaining("reserved-substream parts"))
        .verify(Duration.ofSeconds(5));
  }
}
