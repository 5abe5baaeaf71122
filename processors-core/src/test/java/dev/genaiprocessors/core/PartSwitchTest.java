package dev.genaiprocessors.core;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class PartSwitchTest {

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  @Test
  void firstMatchingCaseWinsAndInputOrderIsKept() {
    PartProcessor slowA =
        part -> Mono.delay(Duration.ofSeconds(1)).thenReturn(Part.text(part.text() + "-A")).flux();
    PartSwitch router =
        PartSwitch.create()
            .when(p -> p.text().startsWith("a"), slowA)
            .when(p -> true, PartProcessor.map(p -> Part.text(p.text() + "-B")));
    StepVerifier.withVirtualTime(
            () -> Parts.stream("a1", "b1", "a2").transform(router.toProcessor()))
        .expectSubscription()
        .thenAwait(Duration.ofSeconds(1))
        .expectNextSequence(Parts.texts("a1-A", "b1-B", "a2-A"))
        .verifyComplete();
  }

  @Test
  void unmatchedPartsAreDroppedUnlessOtherwiseIsGiven() {
    PartSwitch onlyA =
        PartSwitch.create().when(p -> p.text().equals("a"), PartProcessor.map(p -> Part.text("A")));
    StepVerifier.create(Parts.stream("a", "b").transform(onlyA.toProcessor()))
        .expectNextSequence(Parts.texts("A"))
        .verifyComplete();
    StepVerifier.create(
            Parts.stream("a", "b")
                .transform(onlyA.otherwise(PartProcessor.passthrough()).toProcessor()))
        .expectNextSequence(Parts.texts("A", "b"))
        .verifyComplete();
  }
}
