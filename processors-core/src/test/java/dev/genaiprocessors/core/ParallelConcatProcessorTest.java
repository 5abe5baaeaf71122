package dev.genaiprocessors.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ParallelConcatProcessorTest {

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  private static Processor suffix(String s) {
    return in -> in.map(p -> Part.text(p.text() + s));
  }

  @Test
  void outputsAreConcatenatedWholeInProcessorOrder() {
    StepVerifier.create(
            Parts.stream("a", "b").transform(Processor.parallelConcat(suffix("1"), suffix("2"))))
        .expectNextSequence(Parts.texts("a1", "b1", "a2", "b2"))
        .verifyComplete();
  }

  @Test
  void processorsRunConcurrently() {
    Processor slow = in -> in.concatMap(p -> Mono.delay(Duration.ofSeconds(1)).thenReturn(p));
    StepVerifier.withVirtualTime(
            () -> Parts.stream("a", "b").transform(Processor.parallelConcat(slow, slow)))
        .expectSubscription()
        .thenAwait(Duration.ofSeconds(2))
        .expectNextCount(4)
        .verifyComplete();
  }

  @Test
  void aLongStreamDoesNotStallWhileLaterProcessorsWaitTheirTurn() {
    int n = 50_000;
    StepVerifier.create(
            Flux.range(0, n)
                .map(i -> Part.text("p" + i))
                .transform(Processor.parallelConcat(suffix(""), suffix(""), suffix("")))
                .count())
        .expectNext(3L * n)
        .verifyComplete();
  }

  @Test
  void aFullBufferIsATypedErrorThatSaysHowToRaiseIt() {
    Processor all = in -> in;
    StepVerifier.create(
            Flux.range(0, 100)
                .map(i -> Part.text("p" + i))
                .concatWith(Flux.never())
                .transform(Processor.parallelConcat(10, in -> in.thenMany(Flux.never()), all)))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(PartBufferOverflowException.class)
                    .hasMessageContaining("more than 10 parts")
                    .hasMessageContaining("parallelConcat(maxBufferedParts"))
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void reservedInputPartsGoOutOnceAndToNoProcessor() {
    StepVerifier.create(
            Flux.just(Part.text("a"), Part.status("s"))
                .transform(Processor.parallelConcat(suffix("1"), suffix("2")))
                .collectList())
        .assertNext(
            parts ->
                assertThat(parts)
                    .containsExactlyInAnyOrder(Part.text("a1"), Part.text("a2"), Part.status("s")))
        .verifyComplete();
  }

  @Test
  void anErrorInOneProcessorFailsTheWhole() {
    Processor failing = in -> in.thenMany(Flux.error(new IllegalStateException("nope")));
    StepVerifier.create(Parts.stream("a").transform(Processor.parallelConcat(suffix("1"), failing)))
        .expectNext(Part.text("a1"))
        .verifyErrorMessage("nope");
  }

  @Test
  void aProcessorThatSubscribesLateSeesEveryPart() {
    Processor late =
        in -> Mono.delay(Duration.ofSeconds(1)).thenMany(in).map(p -> Part.text(p.text() + "2"));
    StepVerifier.withVirtualTime(
            () -> Parts.stream("a", "b").transform(Processor.parallelConcat(suffix("1"), late)))
        .expectSubscription()
        .expectNoEvent(Duration.ofSeconds(1))
        .expectNextSequence(Parts.texts("a1", "b1", "a2", "b2"))
        .verifyComplete();
  }

  @Test
  void aProcessorThatIgnoresItsInputDoesNotHoldTheOthersBack() {
    Processor header = in -> Flux.just(Part.text("header"));
    StepVerifier.create(
            Parts.stream("a", "b").transform(Processor.parallelConcat(header, suffix("!"))))
        .expectNextSequence(Parts.texts("header", "a!", "b!"))
        .verifyComplete();
    StepVerifier.create(
            Parts.stream("a", "b").transform(Processor.parallelConcat(suffix("!"), header)))
        .expectNextSequence(Parts.texts("a!", "b!", "header"))
        .verifyComplete();
  }

  @Test
  void cancellingTheOutputCancelsTheInput() {
    reactor.test.publisher.PublisherProbe<Part> source =
        reactor.test.publisher.PublisherProbe.of(Flux.concat(Parts.stream("a"), Flux.never()));
    reactor.core.Disposable d =
        source
            .flux()
            .transform(Processor.parallelConcat(suffix("1"), in -> Flux.just(Part.text("h"))))
            .subscribe();
    d.dispose();
    source.assertWasCancelled();
  }
}
