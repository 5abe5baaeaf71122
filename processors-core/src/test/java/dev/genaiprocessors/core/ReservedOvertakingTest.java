package dev.genaiprocessors.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The rule: a reserved part leaves the pipeline as soon as it exists; content keeps its order. */
class ReservedOvertakingTest {

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  private static PartProcessor slowOn(String text, Duration delay) {
    return p -> p.text().equals(text) ? Mono.delay(delay).thenReturn(p).flux() : Flux.just(p);
  }

  @Test
  void aStatusMadeByAnEarlyFusedStepDoesNotWaitForALaterSlowStepOnAnEarlierPart() {
    PartProcessor p1 =
        p ->
            Flux.just(
                Part.text(p.text() + ".1"),
                Part.status(p.text() + " working"),
                Part.text(p.text() + ".2"));
    PartProcessor p2 = slowOn("a.1", Duration.ofMillis(300));
    StepVerifier.withVirtualTime(() -> Parts.stream("a", "b").transform(p1.then(p2).toProcessor()))
        .expectSubscription()
        .expectNext(Part.status("a working"), Part.status("b working"))
        .expectNoEvent(Duration.ofMillis(300))
        .expectNextSequence(Parts.texts("a.1", "a.2", "b.1", "b.2"))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void aStatusThatAFusedStepReturnsAloneLeavesAtOnceToo() {
    PartProcessor slow = slowOn("a", Duration.ofMillis(300));
    PartProcessor announce = p -> Flux.just(Part.status("saw " + p.text()));
    StepVerifier.withVirtualTime(
            () ->
                Parts.stream("a", "b")
                    .transform(
                        slow.then(PartProcessor.parallel(Passthrough.ALWAYS, announce))
                            .toProcessor()))
        .expectSubscription()
        .expectNext(Part.status("saw b"))
        .expectNoEvent(Duration.ofMillis(300))
        .expectNext(Part.status("saw a"), Part.text("a"), Part.text("b"))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void aStatusFromOneBranchOfParallelDoesNotWaitBehindAnEarlierBranch() {
    PartProcessor slowBranch =
        p -> Mono.delay(Duration.ofMillis(300)).thenReturn(Part.text("slow " + p.text())).flux();
    PartProcessor fastBranch =
        p -> Flux.just(Part.status("fast " + p.text()), Part.text("fast " + p.text()));
    PartProcessor onlyStatus = p -> Flux.just(Part.status("alone " + p.text()));
    StepVerifier.withVirtualTime(
            () ->
                Parts.stream("a")
                    .transform(
                        PartProcessor.parallel(slowBranch, fastBranch, onlyStatus).toProcessor()))
        .expectSubscription()
        // A branch's Flux.just exists when the branch returns it; a longer flux when it is
        // subscribed.
        .expectNext(Part.status("alone a"), Part.status("fast a"))
        .expectNoEvent(Duration.ofMillis(300))
        .expectNextSequence(Parts.texts("slow a", "fast a"))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void theStatusOfPartProcessorErrorsAsStatusComesOutBeforePartsProducedLater() {
    PartProcessor failsOnB =
        p ->
            p.text().equals("b")
                ? Flux.error(new IllegalStateException("no b"))
                : Mono.delay(Duration.ofMillis(300)).thenReturn(p).flux();
    StepVerifier.withVirtualTime(
            () -> Parts.stream("a", "b", "c").transform(failsOnB.errorsAsStatus().toProcessor()))
        .expectSubscription()
        .assertNext(
            status -> {
              assertThat(status.isException()).isTrue();
              assertThat(status.metadata(PartMetadata.ORIGINAL_EXCEPTION)).isEqualTo("no b");
            })
        .expectNoEvent(Duration.ofMillis(300))
        .expectNextSequence(Parts.texts("a", "c"))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void theStatusOfProcessorErrorsAsStatusLeavesTheChainAheadOfASlowerLaterStage() {
    Processor failsAfterA =
        in ->
            in.concatMap(
                p ->
                    p.text().equals("b")
                        ? Flux.error(new IllegalStateException("no b"))
                        : Flux.just(p));
    Processor slow = in -> in.concatMap(p -> Mono.delay(Duration.ofSeconds(1)).thenReturn(p));
    StepVerifier.withVirtualTime(
            () -> Parts.stream("a", "b").transform(failsAfterA.errorsAsStatus().then(slow)))
        .expectSubscription()
        .assertNext(status -> assertThat(status.isException()).isTrue())
        .expectNoEvent(Duration.ofSeconds(1))
        .expectNext(Part.text("a"))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void aReservedPartInTheInputOfAStageThatTakesOnePartAtATimeComesOutAtOnce() {
    Processor slow = in -> in.concatMap(p -> Mono.delay(Duration.ofSeconds(1)).thenReturn(p));
    StepVerifier.withVirtualTime(
            () ->
                Flux.just(Part.text("a"), Part.status("s"), Part.text("b"))
                    .transform(PartProcessor.map(p -> p).then(slow)))
        .expectSubscription()
        .expectNext(Part.status("s"))
        .expectNoEvent(Duration.ofSeconds(1))
        .expectNext(Part.text("a"))
        .expectNoEvent(Duration.ofSeconds(1))
        .expectNext(Part.text("b"))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void aReservedPartReachesTheOutputBeforeAStageThatSubscribesLateHasTakenAnything() {
    Processor connectsFirst = in -> Mono.delay(Duration.ofSeconds(1)).thenMany(in);
    Processor upper = in -> in.map(p -> Part.text(p.text().toUpperCase()));
    StepVerifier.withVirtualTime(
            () ->
                Flux.just(Part.text("a"), Part.status("s"), Part.text("b"))
                    .transform(upper.then(connectsFirst).then(upper)))
        .expectSubscription()
        .expectNext(Part.status("s"))
        .expectNoEvent(Duration.ofSeconds(1))
        .expectNext(Part.text("A"), Part.text("B"))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void theReadAheadIsBoundedAndReadingStopsWhileTheStageIsSlow() {
    AtomicInteger read = new AtomicInteger();
    Processor slow = in -> in.concatMap(p -> Mono.delay(Duration.ofSeconds(1)).thenReturn(p));
    StepVerifier.withVirtualTime(
            () ->
                Flux.range(0, 10_000)
                    .map(i -> Part.text("p" + i))
                    .doOnNext(p -> read.incrementAndGet())
                    .transform(slow.then(slow)),
            0)
        .expectSubscription()
        .then(() -> assertThat(read.get()).isBetween(1, 2 * ReadAhead.READ_AHEAD + 2))
        .thenCancel()
        .verify();
  }

  @Test
  void anErrorBehindPartsReadAheadReachesASlowStageAtOnce() {
    IllegalStateException boom = new IllegalStateException("boom");
    Processor slow = in -> in.concatMap(p -> Mono.delay(Duration.ofSeconds(1)).thenReturn(p));
    StepVerifier.withVirtualTime(
            () ->
                Flux.concat(Parts.stream("a", "b"), Flux.<Part>error(boom))
                    .transform(PartProcessor.map(p -> p).then(slow)))
        .expectSubscription()
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void aStageThatSubscribesToItsInputTwiceGetsAClearError() {
    Processor twice = in -> Flux.concat(in.take(1), in);
    StepVerifier.create(Parts.stream("a", "b").transform(PartProcessor.map(p -> p).then(twice)))
        .expectNext(Part.text("a"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("subscribe to its input once"))
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void matchingIsCaseSensitiveSoACapitalisedNameIsContentAndWaitsItsTurn() {
    Processor slow = in -> in.concatMap(p -> Mono.delay(Duration.ofSeconds(1)).thenReturn(p));
    Part notReserved = Part.text("x").withSubstream("Status");
    StepVerifier.withVirtualTime(
            () -> Flux.just(Part.text("a"), notReserved).transform(slow.then(slow)))
        .expectSubscription()
        .expectNoEvent(Duration.ofSeconds(2))
        .expectNext(Part.text("a"))
        .expectNoEvent(Duration.ofSeconds(1))
        .expectNext(notReserved)
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void aReservedPartMadeByAParallelConcatProcessorDoesNotWaitForTheOnesBeforeIt() {
    Processor first = in -> in.concatMap(p -> Mono.delay(Duration.ofSeconds(1)).thenReturn(p));
    Processor second = in -> in.map(p -> Part.status("second saw " + p.text()));
    StepVerifier.withVirtualTime(
            () -> Parts.stream("a").transform(Processor.parallelConcat(first, second)))
        .expectSubscription()
        .expectNext(Part.status("second saw a"))
        .expectNoEvent(Duration.ofSeconds(1))
        .expectNext(Part.text("a"))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void theReadmeSlowModelSnippetRunAsWrittenShowsTheStatusOfItsInputFirst() throws Exception {
    String readme = Files.readString(RepoFiles.find("README.md")).replace("\r\n", "\n");
    assertThat(readme)
        .as("README.md still holds the snippet this test runs")
        .contains(README_SNIPPET);
    StepVerifier.withVirtualTime(ReadmePipeline::run)
        .expectSubscription()
        .expectNext(Part.status("thinking about hello"), Part.status("request received"))
        .expectNoEvent(Duration.ofMillis(300))
        .expectNext(
            Part.text("1 words").withSubstream("stats"),
            Part.text("HELLO"),
            Part.text("hello"),
            Part.status("thinking about world"))
        .expectNoEvent(Duration.ofMillis(300))
        .expectNext(
            Part.text("1 words").withSubstream("stats"), Part.text("WORLD"), Part.text("world"))
        .expectComplete()
        .verify(Duration.ofSeconds(5));
  }

  /** The lines of the README that {@link ReadmePipeline} runs, as they stand there. */
  private static final String README_SNIPPET =
      """
      Processor slowModel = in -> in.concatMap(p -> Flux.concat(
          Flux.just(Part.status("thinking about " + p.text())),   // reaches the output at once
          Mono.delay(Duration.ofMillis(300)).thenReturn(p)));    // stands for a model call

      Processor pipeline = clean
          .then(slowModel)
          .then(PartProcessor.parallel(Passthrough.ALWAYS, words, shout));  // per part: words, shout, part

      Flux<Part> input = Flux.just(Part.text(" hello "), Part.status("request received"), Part.text(" world "));
      pipeline.apply(input)
      """;

  /** The README's first snippet, as written there (only the last statement, which prints, is left out). */
  private static final class ReadmePipeline {
    static Flux<Part> run() {
      // ---- from README.md
      PartProcessor clean = PartProcessor.map(p -> Part.text(p.text().strip()));
      PartProcessor words =
          p ->
              Flux.just(Part.text(p.text().split("\\s+").length + " words").withSubstream("stats"));
      PartProcessor shout = p -> Flux.just(Part.text(p.text().toUpperCase()));

      Processor slowModel =
          in ->
              in.concatMap(
                  p ->
                      Flux.concat(
                          Flux.just(
                              Part.status(
                                  "thinking about " + p.text())), // reaches the output at once
                          Mono.delay(Duration.ofMillis(300))
                              .thenReturn(p))); // stands for a model call

      Processor pipeline =
          clean
              .then(slowModel)
              .then(
                  PartProcessor.parallel(
                      Passthrough.ALWAYS, words, shout)); // per part: words, shout, part

      Flux<Part> input =
          Flux.just(Part.text(" hello "), Part.status("request received"), Part.text(" world "));
      // ---- end of the snippet
      return pipeline.apply(input);
    }
  }
}
