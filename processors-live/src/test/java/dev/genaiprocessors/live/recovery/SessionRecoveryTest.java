package dev.genaiprocessors.live.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.live.LiveProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class SessionRecoveryTest {

  /**
   * A live provider for tests: answers each user text with {@code "re: <text>"} and an end of turn, 100 ms
   * later; its first {@code failingSessions} sessions fail with {@code error} after answering
   * {@code turnsBeforeFailure} turns.
   */
  static final class FlakyLive implements LiveProcessor {
    final List<List<Part>> sessions = new CopyOnWriteArrayList<>();
    private final int failingSessions;
    private final int turnsBeforeFailure;
    private final ModelException error;

    FlakyLive(int failingSessions, int turnsBeforeFailure, ModelException error) {
      this.failingSessions = failingSessions;
      this.turnsBeforeFailure = turnsBeforeFailure;
      this.error = error;
    }

    @Override
    public Flux<Part> apply(Flux<Part> input) {
      List<Part> received = new CopyOnWriteArrayList<>();
      int session = sessions.size();
      sessions.add(received);
      int[] answered = {0};
      return input
          .doOnNext(received::add)
          .filter(p -> p.isText() && !Boolean.FALSE.equals(p.metadata(PartMetadata.TURN_COMPLETE)))
          .concatMap(
              p -> {
                Flux<Part> answer =
                    Mono.delay(Duration.ofMillis(100))
                        .thenMany(
                            Flux.just(
                                Part.text("re: " + p.text()).withRole("model"),
                                Part.endOfTurn().withRole("model")));
                answered[0]++;
                if (session < failingSessions && answered[0] == turnsBeforeFailure) {
                  return answer.concatWith(Flux.error(error));
                }
                return answer;
              });
    }

    @Override
    public String provider() {
      return "flaky";
    }

    @Override
    public int inputSampleRate() {
      return 16000;
    }

    @Override
    public int outputSampleRate() {
      return 24000;
    }
  }

  /** User texts, one a second; made inside withVirtualTime so that its timer is the virtual one. */
  private static Flux<Part> everySecond(String... texts) {
    return Flux.just(texts)
        .map(t -> Part.text(t).withRole("user"))
        .delayElements(Duration.ofSeconds(1));
  }

  private static ModelException connectionLost() {
    return ModelException.builder(
            ModelException.Kind.CONNECTION, "flaky", "the session could not be resumed")
        .build();
  }

  @Test
  void aSessionThatCannotBeResumedGoesOnInANewSessionSeededWithTheTurnsAndTheUserIsTold() {
    FlakyLive live = new FlakyLive(1, 2, connectionLost());
    Sinks.Many<Part> user = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.withVirtualTime(() -> SessionRecovery.builder(live).build().apply(user.asFlux()))
        .then(() -> user.tryEmitNext(Part.text("hi").withRole("user")))
        .thenAwait(Duration.ofMillis(100))
        .expectNext(Part.text("re: hi").withRole("model"), Part.endOfTurn().withRole("model"))
        .then(() -> user.tryEmitNext(Part.text("what time is it").withRole("user")))
        .thenAwait(Duration.ofMillis(100))
        .expectNext(
            Part.text("re: what time is it").withRole("model"), Part.endOfTurn().withRole("model"))
        .assertNext(
            notice -> {
              assertThat(LiveParts.sessionEventOf(notice))
                  .contains(LiveParts.SessionEvent.CONTINUED);
              assertThat(notice.metadata(SessionRecovery.RECOVERED_TURNS)).isEqualTo(4L);
              assertThat(notice.metadata(SessionRecovery.RECOVERY_CAUSE))
                  .isEqualTo("ModelConnectionException");
            })
        .then(() -> user.tryEmitNext(Part.text("again").withRole("user")))
        .thenAwait(Duration.ofMillis(100))
        .expectNext(Part.text("re: again").withRole("model"), Part.endOfTurn().withRole("model"))
        .then(user::tryEmitComplete)
        .verifyComplete();

    assertThat(live.sessions).hasSize(2);
    List<Part> second = live.sessions.get(1);
    assertThat(second).hasSize(2);
    Part seed = second.get(0);
    assertThat(seed.metadata(PartMetadata.TURN_COMPLETE)).isEqualTo(false);
    assertThat(seed.text())
        .startsWith(SessionRecovery.SEED_PREAMBLE)
        .endsWith("\nuser: hi\nmodel: re: hi\nuser: what time is it\nmodel: re: what time is it");
    assertThat(second.get(1).text()).isEqualTo("again");
  }

  @Test
  void theSeedIsBoundedByTheLogsBudget() {
    FlakyLive live = new FlakyLive(1, 3, connectionLost());
    StepVerifier.withVirtualTime(
            () ->
                SessionRecovery.builder(live)
                    .turnLog(() -> TurnLog.builder().maxTurns(3).build())
                    .build()
                    .apply(everySecond("one", "two", "three", "four")))
        .thenAwait(Duration.ofSeconds(10))
        .thenConsumeWhile(p -> true)
        .verifyComplete();
    String seed = live.sessions.get(1).get(0).text();
    assertThat(seed).endsWith("\nmodel: re: two\nuser: three\nmodel: re: three");
    assertThat(seed).doesNotContain("one");
    assertThat(live.sessions.get(1).get(1).text()).isEqualTo("four");
  }

  @Test
  void anErrorThatIsNotRecoverableFailsTheOutputAsItIs() {
    ModelException auth =
        ModelException.builder(ModelException.Kind.AUTHENTICATION, "flaky", "bad key").build();
    FlakyLive live = new FlakyLive(1, 1, auth);
    StepVerifier.withVirtualTime(
            () ->
                SessionRecovery.builder(live)
                    .build()
                    .apply(Flux.just(Part.text("hi").withRole("user")).concatWith(Flux.never())))
        .thenAwait(Duration.ofSeconds(1))
        .expectNextCount(2)
        .verifyErrorSatisfies(e -> assertThat(e).isSameAs(auth));
    assertThat(live.sessions).hasSize(1);
  }

  @Test
  void pastTheLastRecoveryTheErrorEndsTheOutput() {
    ModelException lost = connectionLost();
    FlakyLive live = new FlakyLive(10, 1, lost);
    List<Part> out = new CopyOnWriteArrayList<>();
    StepVerifier.withVirtualTime(
            () ->
                SessionRecovery.builder(live)
                    .maxRecoveries(2)
                    .build()
                    .apply(everySecond("a", "b", "c", "d"))
                    .doOnNext(out::add))
        .thenAwait(Duration.ofSeconds(10))
        .thenConsumeWhile(p -> true)
        .verifyErrorSatisfies(e -> assertThat(e).isSameAs(lost));
    assertThat(live.sessions).hasSize(3);
    assertThat(out)
        .filteredOn(p -> LiveParts.sessionEventOf(p).isPresent())
        .extracting(p -> p.metadata(SessionRecovery.RECOVERED_TURNS))
        .containsExactly(2L, 4L);
  }

  @Test
  void anEmptyLogSeedsNothing() {
    assertThat(SessionRecovery.defaultSeed(List.of())).isEmpty();
  }
}
