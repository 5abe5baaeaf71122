package dev.genaiprocessors.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartBufferOverflowException;
import dev.genaiprocessors.core.PartProcessor;
import dev.genaiprocessors.core.Processor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class CachedPartProcessorTest {

  private final AtomicInteger calls = new AtomicInteger();
  private final PartProcessor shout =
      part -> {
        calls.incrementAndGet();
        return Flux.just(Part.text(part.text().toUpperCase()), Part.text("!"));
      };

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  @Test
  void aHitReplaysTheStoredPartsWithoutCallingTheProcessor() {
    PartProcessor cached = CachedPartProcessor.of(shout, PartCache.inMemory(), "shout");
    StepVerifier.create(cached.process(Part.text("hi")))
        .expectNext(Part.text("HI"), Part.text("!"))
        .verifyComplete();
    StepVerifier.create(cached.process(Part.text("hi").withMetadata("capture_time", 5L)))
        .expectNext(Part.text("HI"), Part.text("!"))
        .verifyComplete();
    assertThat(calls).hasValue(1);
    StepVerifier.create(cached.process(Part.text("other"))).expectNextCount(2).verifyComplete();
    assertThat(calls).hasValue(2);
  }

  @Test
  void prefixesKeepProcessorsSharingACacheApart() {
    PartCache cache = PartCache.inMemory();
    PartProcessor a = CachedPartProcessor.of(shout, cache, "a");
    PartProcessor b = CachedPartProcessor.of(part -> Flux.just(Part.text("b")), cache, "b");
    StepVerifier.create(a.process(Part.text("x"))).expectNextCount(2).verifyComplete();
    StepVerifier.create(b.process(Part.text("x"))).expectNext(Part.text("b")).verifyComplete();
  }

  @Test
  void emptyOutputsExceptionPartsAndErrorsAreNotCached() {
    java.util.Map<String, AtomicInteger> callsPerText =
        new java.util.concurrent.ConcurrentHashMap<>();
    PartProcessor flaky =
        part -> {
          int call =
              callsPerText.computeIfAbsent(part.text(), k -> new AtomicInteger()).incrementAndGet();
          return switch (part.text()) {
            case "empty" -> Flux.empty();
            case "exception" -> Flux.just(Part.exception(new RuntimeException("x")));
            default -> call == 1 ? Flux.error(new IllegalStateException("down")) : Flux.just(part);
          };
        };
    PartProcessor cached = CachedPartProcessor.of(flaky, PartCache.inMemory(), "flaky");
    for (int i = 0; i < 2; i++) {
      StepVerifier.create(cached.process(Part.text("empty"))).verifyComplete();
      StepVerifier.create(cached.process(Part.text("exception")))
          .expectNextCount(1)
          .verifyComplete();
    }
    StepVerifier.create(cached.process(Part.text("error"))).verifyErrorMessage("down");
    StepVerifier.create(cached.process(Part.text("error")))
        .expectNext(Part.text("error"))
        .verifyComplete();
    StepVerifier.create(cached.process(Part.text("error")))
        .expectNext(Part.text("error"))
        .verifyComplete();
    assertThat(callsPerText.get("empty")).hasValue(2);
    assertThat(callsPerText.get("exception")).hasValue(2);
    assertThat(callsPerText.get("error")).hasValue(2);
  }

  @Test
  void outputsLongerThanTheBoundStreamThroughUncached() {
    PartProcessor many =
        part -> {
          calls.incrementAndGet();
          return Flux.range(0, 5).map(i -> Part.text("" + i));
        };
    PartProcessor cached = CachedPartProcessor.of(many, PartCache.inMemory(), "many", 3);
    StepVerifier.create(cached.process(Part.text("x"))).expectNextCount(5).verifyComplete();
    StepVerifier.create(cached.process(Part.text("x"))).expectNextCount(5).verifyComplete();
    assertThat(calls).hasValue(2);
  }

  @Test
  void aFailingCacheIsAMissNotAnError() {
    PartCache broken =
        new PartCache() {
          @Override
          public Mono<List<Part>> lookup(String key) {
            return Mono.error(new IllegalStateException("cache down"));
          }

          @Override
          public Mono<Void> put(String key, List<Part> parts) {
            return Mono.error(new IllegalStateException("cache down"));
          }

          @Override
          public Mono<Void> remove(String key) {
            return Mono.empty();
          }
        };
    StepVerifier.create(CachedPartProcessor.of(shout, broken, "s").process(Part.text("a")))
        .expectNext(Part.text("A"), Part.text("!"))
        .verifyComplete();
  }

  @Test
  void entriesExpireByTheSchedulersClock() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    PartProcessor cached =
        CachedPartProcessor.of(shout, PartCache.inMemory(10, Duration.ofMinutes(1), time), "s");
    StepVerifier.create(cached.process(Part.text("a"))).expectNextCount(2).verifyComplete();
    time.advanceTimeBy(Duration.ofSeconds(59));
    StepVerifier.create(cached.process(Part.text("a"))).expectNextCount(2).verifyComplete();
    assertThat(calls).hasValue(1);
    time.advanceTimeBy(Duration.ofSeconds(2));
    StepVerifier.create(cached.process(Part.text("a"))).expectNextCount(2).verifyComplete();
    assertThat(calls).hasValue(2);
  }

  @Test
  void cachedProcessorKeysOnTheWholeInput() {
    AtomicInteger runs = new AtomicInteger();
    Processor join =
        in ->
            in.map(Part::text)
                .reduce(String::concat)
                .map(Part::text)
                .flux()
                .doOnSubscribe(s -> runs.incrementAndGet());
    Processor cached = CachedProcessor.of(join, PartCache.inMemory(), "join");
    StepVerifier.create(cached.apply(Flux.just(Part.text("a"), Part.text("b"))))
        .expectNext(Part.text("ab"))
        .verifyComplete();
    StepVerifier.create(cached.apply(Flux.just(Part.text("a"), Part.text("b"))))
        .expectNext(Part.text("ab"))
        .verifyComplete();
    StepVerifier.create(cached.apply(Flux.just(Part.text("b"), Part.text("a"))))
        .expectNext(Part.text("ba"))
        .verifyComplete();
    assertThat(runs).hasValue(2);
  }

  @Test
  void cachedProcessorRefusesAnInputLongerThanItsBound() {
    Processor cached = CachedProcessor.of(in -> in, PartCache.inMemory(), "p", 2);
    StepVerifier.create(cached.apply(Flux.range(0, 3).map(i -> Part.text("" + i))))
        .expectError(PartBufferOverflowException.class)
        .verify();
  }

  @Test
  void badArgumentsAreRejected() {
    assertThatThrownBy(() -> CachedPartProcessor.of(shout, PartCache.inMemory(), " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keyPrefix");
    assertThatThrownBy(
            () -> PartCache.inMemory(0, Duration.ofSeconds(1), VirtualTimeScheduler.create()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equalPartsHaveEqualDigests() {
    assertThat(PartDigest.of(Part.text("x").withRole("User")))
        .isEqualTo(PartDigest.of(Part.text("x").withRole("user").withMetadata("capture_time", 1L)));
    assertThat(PartDigest.of(Part.audio(new byte[] {1, 2}, 16000)))
        .isNotEqualTo(PartDigest.of(Part.audio(new byte[] {1, 3}, 16000)));
    assertThat(PartDigest.of(List.of(Part.text("a"), Part.text("b"))))
        .isNotEqualTo(PartDigest.of(List.of(Part.text("ab"))));
  }
}
