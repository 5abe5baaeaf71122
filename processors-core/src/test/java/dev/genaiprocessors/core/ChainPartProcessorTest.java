package dev.genaiprocessors.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ChainPartProcessorTest {

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  @Test
  void outputsAreTheDepthFirstWalkOfEachPartsTree() {
    PartProcessor fanOut =
        part -> Flux.just(Part.text(part.text() + "0"), Part.text(part.text() + "1"));
    PartProcessor chain = fanOut.then(fanOut);
    StepVerifier.create(Parts.stream("a", "b").transform(chain.toProcessor()))
        .expectNextSequence(Parts.texts("a00", "a01", "a10", "a11", "b00", "b01", "b10", "b11"))
        .verifyComplete();
  }

  @Test
  void laterPartsRunAheadThroughLaterStepsWhileAnEarlierPartIsSlow() {
    Map<String, Long> secondStepStart = new ConcurrentHashMap<>();
    PartProcessor first =
        part ->
            part.text().equals("slow")
                ? Mono.delay(Duration.ofSeconds(5)).thenReturn(part).flux()
                : Flux.just(part);
    PartProcessor second =
        part -> {
          secondStepStart.put(
              part.text(), Schedulers.parallel().now(java.util.concurrent.TimeUnit.MILLISECONDS));
          return Mono.delay(Duration.ofSeconds(1)).thenReturn(Part.text(part.text() + "!")).flux();
        };
    StepVerifier.withVirtualTime(
            () -> Parts.stream("slow", "fast").transform(first.then(second).toProcessor()))
        .expectSubscription()
        .expectNoEvent(Duration.ofSeconds(6))
        .expectNext(Part.text("slow!"), Part.text("fast!"))
        .verifyComplete();
    // "fast" entered the second step at once, before "slow" had left the first.
    assertThat(secondStepStart.get("fast")).isEqualTo(0L);
    assertThat(secondStepStart.get("slow")).isEqualTo(5000L);
  }

  @Test
  void theFusedChainTakesAsLongAsTheSlowestPathNotTheSum() {
    PartProcessor step = part -> Mono.delay(Duration.ofSeconds(1)).thenReturn(part).flux();
    PartProcessor chain = step.then(step).then(step);
    StepVerifier.withVirtualTime(
            () -> Flux.range(0, 20).map(i -> Part.text("p" + i)).transform(chain.toProcessor()))
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(2999))
        .thenAwait(Duration.ofMillis(1))
        .expectNextCount(20)
        .verifyComplete();
  }

  @Test
  void chainsFlattenAndPassthroughIsRemoved() {
    PartProcessor a = PartProcessor.map(p -> Part.text(p.text() + "a"));
    PartProcessor b = PartProcessor.map(p -> Part.text(p.text() + "b"));
    PartProcessor chain =
        a.then(PartProcessor.passthrough()).then(b.then(PartProcessor.passthrough()));
    assertThat(chain.toString()).isEqualTo("ChainPartProcessor" + List.of(a, b));
    assertThat(PartProcessor.passthrough().then(a)).isSameAs(a);
    StepVerifier.create(Parts.stream("x").transform(chain.toProcessor()))
        .expectNext(Part.text("xab"))
        .verifyComplete();
  }

  @Test
  void stepsSkipPartsTheyDoNotMatchAndTheChainMatchesWhenAnyStepDoes() {
    PartProcessor onlyA =
        PartProcessor.matching(
            p -> p.text().startsWith("a"), PartProcessor.map(p -> Part.text(p.text() + "!")));
    PartProcessor onlyB =
        PartProcessor.matching(
            p -> p.text().startsWith("b"), PartProcessor.map(p -> Part.text(p.text() + "?")));
    PartProcessor chain = onlyA.then(onlyB);
    assertThat(chain.match(Part.text("a"))).isTrue();
    assertThat(chain.match(Part.text("c"))).isFalse();
    StepVerifier.create(Parts.stream("a", "b", "c").transform(chain.toProcessor()))
        .expectNextSequence(Parts.texts("a!", "b?", "c"))
        .verifyComplete();
  }

  @Test
  void reservedPartsMadeByAStepSkipTheLaterSteps() {
    PartProcessor announce = part -> Flux.just(Part.status("saw " + part.text()), part);
    PartProcessor upper =
        PartProcessor.map(p -> p.withContent(new PartContent.Text(p.text().toUpperCase())));
    StepVerifier.create(Parts.stream("a").transform(announce.then(upper).toProcessor()))
        .expectNext(Part.status("saw a"), Part.text("A"))
        .verifyComplete();
  }

  @Test
  void registeredReservedSubstreamsAreHonouredInsideTheChain() {
    PartProcessor announce = part -> Flux.just(Part.text("note").withSubstream("audit"), part);
    PartProcessor upper =
        PartProcessor.map(p -> p.withContent(new PartContent.Text(p.text().toUpperCase())));
    StepVerifier.create(
            Parts.stream("a")
                .transform(announce.then(upper).toProcessor())
                .contextWrite(ReservedSubstreams.register("audit")))
        .expectNext(Part.text("note").withSubstream("audit"), Part.text("A"))
        .verifyComplete();
  }
}
