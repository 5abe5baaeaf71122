package dev.genaiprocessors.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The ordered, concurrent operator under part processor stages, with its fast path. */
class OrderedFlatMapTest {

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  private static Flux<Part> numbered(int count) {
    return Flux.range(0, count).map(i -> Part.text(Integer.toString(i)));
  }

  private static int number(Part part) {
    return Integer.parseInt(part.text());
  }

  /**
   * Every fourth part is slow (a delayed Flux of two parts), the others take each kind of fast
   * result in turn: the part itself, a Flux.just, and nothing.
   */
  private static Object mixed(Part part) {
    int n = number(part);
    return switch (n % 4) {
      case 0 ->
          Mono.delay(Duration.ofMillis(100 - n))
              .thenMany(Flux.just(Part.text(n + "a"), Part.text(n + "b")));
      case 1 -> part;
      case 2 -> Flux.just(Part.text(n + "j"));
      default -> ScalarFlux.EMPTY;
    };
  }

  private static List<String> expectedMixed(int count) {
    List<String> expected = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      switch (n % 4) {
        case 0 -> {
          expected.add(n + "a");
          expected.add(n + "b");
        }
        case 1 -> expected.add(Integer.toString(n));
        case 2 -> expected.add(n + "j");
        default -> {}
      }
    }
    return expected;
  }

  @Test
  void fastAndSlowResultsComeOutInInputOrder() {
    StepVerifier.withVirtualTime(
            () -> new OrderedFlatMap(numbered(20), OrderedFlatMapTest::mixed, 256).map(Part::text))
        .thenAwait(Duration.ofSeconds(1))
        .expectNextSequence(expectedMixed(20))
        .verifyComplete();
  }

  @Test
  void fastResultsBehindASlowOneWaitForIt() {
    StepVerifier.withVirtualTime(
            () -> new OrderedFlatMap(numbered(3), OrderedFlatMapTest::mixed, 256).map(Part::text))
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(99))
        .thenAwait(Duration.ofMillis(1))
        .expectNext("0a", "0b", "1", "2j")
        .verifyComplete();
  }

  @Test
  void fastResultsGoOutOneForOneWithNoSlowResultAround() {
    StepVerifier.create(
            new OrderedFlatMap(numbered(1000), p -> number(p) % 2 == 0 ? p : Flux.just(p), 4)
                .map(OrderedFlatMapTest::number))
        .expectNextSequence(Flux.range(0, 1000).toIterable())
        .verifyComplete();
  }

  @Test
  void concurrencyIsBoundedWithSlowResultsMixedWithFastOnes() {
    int max = 3;
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    AtomicLong requestedUpstream = new AtomicLong();
    AtomicLong emitted = new AtomicLong();
    AtomicLong worstExcess = new AtomicLong(Long.MIN_VALUE);
    OrderedFlatMap.Step step =
        part ->
            number(part) % 3 == 0
                ? Mono.delay(Duration.ofMillis(50))
                    .doOnSubscribe(
                        s -> maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max))
                    .doOnTerminate(inFlight::decrementAndGet)
                    .thenReturn(part)
                    .flux()
                : part;
    StepVerifier.withVirtualTime(
            () ->
                new OrderedFlatMap(
                        numbered(30)
                            .doOnRequest(
                                n -> {
                                  long total = requestedUpstream.addAndGet(n);
                                  worstExcess.accumulateAndGet(total - emitted.get(), Math::max);
                                }),
                        step,
                        max)
                    .doOnNext(p -> emitted.incrementAndGet()))
        .thenAwait(Duration.ofSeconds(5))
        .expectNextCount(30)
        .verifyComplete();
    // Every output stands for one part: never more than `max` parts asked for and not yet out.
    assertThat(worstExcess.get()).isLessThanOrEqualTo(max);
    assertThat(maxInFlight.get()).isEqualTo(1);
  }

  @Test
  void slowResultsRunConcurrentlyUpToTheBound() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    OrderedFlatMap.Step slow =
        part ->
            Mono.delay(Duration.ofMillis(100))
                .doOnSubscribe(
                    s -> maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max))
                .doOnTerminate(inFlight::decrementAndGet)
                .thenReturn(part)
                .flux();
    StepVerifier.withVirtualTime(() -> new OrderedFlatMap(numbered(10), slow, 4))
        // 10 parts, 4 at a time: three rounds of 100 ms.
        .thenAwait(Duration.ofMillis(299))
        .expectNextCount(8)
        .thenAwait(Duration.ofMillis(1))
        .expectNextCount(2)
        .verifyComplete();
    assertThat(maxInFlight).hasValue(4);
  }

  @Test
  void requestsAreHonouredOnePartAtATime() {
    StepVerifier.withVirtualTime(
            () -> new OrderedFlatMap(numbered(8), OrderedFlatMapTest::mixed, 256).map(Part::text),
            0)
        .expectSubscription()
        .thenAwait(Duration.ofSeconds(1))
        .expectNoEvent(Duration.ofMillis(10))
        .thenRequest(1)
        .expectNext("0a")
        .expectNoEvent(Duration.ofMillis(10))
        .thenRequest(2)
        .expectNext("0b", "1")
        .expectNoEvent(Duration.ofMillis(10))
        .thenRequest(3)
        .expectNext("2j", "4a", "4b")
        .thenRequest(Long.MAX_VALUE)
        .expectNext("5", "6j")
        .verifyComplete();
  }

  @Test
  void fastPartsWaitForDemandWithoutBeingDropped() {
    StepVerifier.create(new OrderedFlatMap(numbered(100), p -> p, 8), 0)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(10))
        .thenRequest(5)
        .expectNextCount(5)
        .expectNoEvent(Duration.ofMillis(10))
        .thenRequest(95)
        .expectNextCount(95)
        .verifyComplete();
  }

  @Test
  void cancellingMidStreamCancelsResultsInFlightAndUpstream() {
    AtomicInteger innerCancels = new AtomicInteger();
    AtomicInteger upstreamCancels = new AtomicInteger();
    OrderedFlatMap.Step step =
        part ->
            number(part) == 0
                ? part
                : Mono.delay(Duration.ofSeconds(10))
                    .doOnCancel(innerCancels::incrementAndGet)
                    .thenReturn(part)
                    .flux();
    StepVerifier.withVirtualTime(
            () ->
                new OrderedFlatMap(
                    numbered(5)
                        .concatWith(Flux.never())
                        .doOnCancel(upstreamCancels::incrementAndGet),
                    step,
                    256))
        .expectNext(Part.text("0"))
        .thenAwait(Duration.ofSeconds(1))
        .thenCancel()
        .verify();
    assertThat(innerCancels).hasValue(4);
    assertThat(upstreamCancels).hasValue(1);
  }

  @Test
  void anErrorFromAResultIsDeliveredAtOnceAndCancelsTheOthers() {
    AtomicInteger cancels = new AtomicInteger();
    OrderedFlatMap.Step step =
        part ->
            switch (number(part)) {
              case 0 ->
                  Mono.delay(Duration.ofSeconds(10))
                      .doOnCancel(cancels::incrementAndGet)
                      .thenReturn(part)
                      .flux();
              case 1 -> part;
              default ->
                  Mono.delay(Duration.ofMillis(10))
                      .then(Mono.<Part>error(new IllegalStateException("boom")))
                      .flux();
            };
    StepVerifier.withVirtualTime(() -> new OrderedFlatMap(numbered(3), step, 256))
        .expectSubscription()
        .thenAwait(Duration.ofMillis(10))
        .expectErrorMessage("boom")
        .verify();
    assertThat(cancels).hasValue(1);
  }

  @Test
  void aStepThatThrowsOrReturnsNullFailsTheOutputAndCancelsUpstream() {
    AtomicInteger cancels = new AtomicInteger();
    StepVerifier.create(
            new OrderedFlatMap(
                numbered(5).doOnCancel(cancels::incrementAndGet),
                p -> {
                  if (number(p) == 2) {
                    throw new IllegalArgumentException("bad part");
                  }
                  return p;
                },
                256))
        .expectNextCount(2)
        .expectErrorMessage("bad part")
        .verify();
    assertThat(cancels).hasValue(1);
    StepVerifier.create(
            new OrderedFlatMap(
                numbered(5),
                p -> {
                  Object none = null;
                  return number(p) == 1 ? none : p;
                },
                256))
        .expectNextCount(1)
        .expectError(NullPointerException.class)
        .verify();
  }

  @Test
  void anUpstreamErrorIsDeliveredAtOnce() {
    StepVerifier.withVirtualTime(
            () ->
                new OrderedFlatMap(
                    numbered(2).concatWith(Flux.error(new IllegalStateException("source"))),
                    p ->
                        number(p) == 0 ? Mono.delay(Duration.ofSeconds(1)).thenReturn(p).flux() : p,
                    256))
        .expectErrorMessage("source")
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void aLaterErrorGoesToTheHookNotTheSubscriber() {
    TestPublisher<Part> source =
        TestPublisher.createNoncompliant(TestPublisher.Violation.CLEANUP_ON_TERMINATE);
    StepVerifier.create(new OrderedFlatMap(source.flux(), p -> p, 256))
        .then(() -> source.next(Part.text("0")))
        .expectNext(Part.text("0"))
        .then(() -> source.error(new IllegalStateException("first")))
        .then(() -> source.error(new IllegalStateException("second")))
        .expectErrorMessage("first")
        .verifyThenAssertThat()
        .hasDroppedErrorWithMessage("second");
  }

  @Test
  void resultsFromOtherThreadsKeepOrderAndCount() {
    int count = 20_000;
    Flux<Part> out =
        new OrderedFlatMap(
            numbered(count).publishOn(Schedulers.parallel(), 64),
            p ->
                switch (number(p) % 5) {
                  case 0 -> Mono.just(p).publishOn(Schedulers.boundedElastic()).flux();
                  case 1 -> Flux.just(p).subscribeOn(Schedulers.parallel());
                  case 2 -> ScalarFlux.EMPTY;
                  default -> p;
                },
            32);
    List<Integer> expected = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      if (n % 5 != 2) {
        expected.add(n);
      }
    }
    StepVerifier.create(out.map(OrderedFlatMapTest::number).publishOn(Schedulers.single(), 16))
        .expectNextSequence(expected)
        .expectComplete()
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void aPartDeliveredFromInsideTheSubscribersOnNextWaitsItsTurn() {
    // The subscriber pushes a new part into the source from inside onNext: a feedback loop on one
    // thread. Outputs must stay serial and in order.
    Sinks.Many<Part> source = Sinks.many().unicast().onBackpressureBuffer();
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicInteger depth = new AtomicInteger();
    AtomicInteger maxDepth = new AtomicInteger();
    new OrderedFlatMap(source.asFlux(), p -> p, 256)
        .subscribe(
            p -> {
              maxDepth.accumulateAndGet(depth.incrementAndGet(), Math::max);
              seen.add(p.text());
              int n = number(p);
              if (n < 5) {
                source.tryEmitNext(Part.text(Integer.toString(n + 1)));
              }
              depth.decrementAndGet();
            });
    source.tryEmitNext(Part.text("0"));
    assertThat(seen).containsExactly("0", "1", "2", "3", "4", "5");
    assertThat(maxDepth).hasValue(1);
  }

  @Test
  void reservedPartsInTheInputOvertakeASlowPartThroughTheStage() {
    PartProcessor slowFirst =
        part ->
            part.text().equals("slow")
                ? Mono.delay(Duration.ofMillis(100)).thenReturn(part).flux()
                : Flux.just(part);
    StepVerifier.withVirtualTime(
            () ->
                Flux.just(Part.text("slow"), Part.text("fast"), Part.status("now"))
                    .concatWith(Mono.never())
                    .transform(slowFirst.toProcessor()))
        .expectNext(Part.status("now"))
        .expectNoEvent(Duration.ofMillis(99))
        .thenAwait(Duration.ofMillis(1))
        .expectNext(Part.text("slow"), Part.text("fast"))
        .thenCancel()
        .verify();
  }

  @Test
  void rejectsAConcurrencyBelowOne() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new OrderedFlatMap(Flux.empty(), p -> p, 0))
        .withMessageContaining("at least 1");
  }
}
