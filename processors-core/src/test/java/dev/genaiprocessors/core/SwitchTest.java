package dev.genaiprocessors.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class SwitchTest {

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  private static Processor suffix(String s) {
    return in -> in.map(p -> Part.text(p.text() + s));
  }

  @Test
  void eachPartGoesToTheFirstMatchingCaseAndUnmatchedPartsAreDropped() {
    Processor router =
        Switch.create()
            .when(p -> p.text().startsWith("a"), suffix("-A"))
            .when(p -> p.text().startsWith("a") || p.text().startsWith("b"), suffix("-B"));
    StepVerifier.create(Parts.stream("a1", "b1", "c1", "a2").transform(router).collectList())
        .assertNext(
            parts ->
                assertThat(parts)
                    .containsExactlyInAnyOrderElementsOf(Parts.texts("a1-A", "b1-B", "a2-A")))
        .verifyComplete();
  }

  @Test
  void otherwiseTakesTheUnmatchedParts() {
    Processor router =
        Switch.create().when(p -> p.text().equals("x"), suffix("!")).otherwise(suffix("?"));
    StepVerifier.create(Parts.stream("x", "y").transform(router).collectList())
        .assertNext(
            parts -> assertThat(parts).containsExactlyInAnyOrderElementsOf(Parts.texts("x!", "y?")))
        .verifyComplete();
  }

  @Test
  void orderIsKeptWithinACase() {
    Processor router = Switch.create().when(p -> true, suffix(""));
    StepVerifier.create(
            Flux.range(0, 1000)
                .map(i -> Part.text("" + i))
                .transform(router)
                .map(Part::text)
                .map(Integer::parseInt))
        .expectNextSequence(() -> java.util.stream.IntStream.range(0, 1000).iterator())
        .verifyComplete();
  }

  @Test
  void aSlowCaseDoesNotDelayAnotherCase() {
    Processor slow = in -> in.concatMap(p -> Mono.delay(Duration.ofSeconds(10)).thenReturn(p));
    Processor router =
        Switch.create().when(p -> p.text().equals("slow"), slow).otherwise(suffix("!"));
    StepVerifier.withVirtualTime(() -> Parts.stream("slow", "fast").transform(router))
        .expectSubscription()
        .expectNext(Part.text("fast!"))
        .expectNoEvent(Duration.ofSeconds(10))
        .expectNext(Part.text("slow"))
        .verifyComplete();
  }

  @Test
  void aSwitchWithNoCaseDropsEverythingAndCompletes() {
    StepVerifier.create(Parts.stream("a", "b").transform(Switch.create())).verifyComplete();
  }

  @Test
  void aCaseThatSubscribesLateSeesItsParts() {
    Processor late = in -> Mono.delay(Duration.ofSeconds(1)).thenMany(in);
    Processor router =
        Switch.create().when(p -> p.text().startsWith("l"), late).otherwise(suffix("!"));
    StepVerifier.withVirtualTime(
            () -> Parts.stream("l1", "x", "l2").transform(router).collectList())
        .expectSubscription()
        .expectNoEvent(Duration.ofSeconds(1))
        .assertNext(
            out ->
                assertThat(out).containsExactlyInAnyOrderElementsOf(Parts.texts("l1", "x!", "l2")))
        .verifyComplete();
  }
}
