package dev.genaiprocessors.offline.responder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.offline.OfflineMetadata;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class OfflineResponderTest {

  private static final Logger log = LoggerFactory.getLogger(OfflineResponderTest.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static OfflineResponder responder;

  @BeforeAll
  static void load() {
    responder = OfflineResponder.builder().wordDelay(Duration.ZERO).build();
    long start = System.nanoTime();
    responder.load().block(TIMEOUT);
    log.info(
        "MiniLM loaded and the bundled examples embedded in {} ms",
        (System.nanoTime() - start) / 1_000_000);
  }

  private static String answer(OfflineResponder r, Part... prompt) {
    return r.apply(Flux.just(prompt))
        .map(Part::text)
        .collect(Collectors.joining())
        .blockOptional(TIMEOUT)
        .orElseThrow();
  }

  @Test
  void answersAWeatherQuestionWithTheWeatherReply() {
    IntentMatch match =
        responder.match("Is it going to rain this afternoon?").blockOptional(TIMEOUT).orElseThrow();
    log.info("weather question: {}", match);

    assertThat(match.intent()).isEqualTo("weather");
    assertThat(match.similarity()).isGreaterThan(0.45);
    assertThat(match.reply()).contains("weather");
  }

  @Test
  void fallsBackOnNonsenseAndOnSilence() {
    IntentMatch nonsense =
        responder.match("purple monkey dishwasher quantum").blockOptional(TIMEOUT).orElseThrow();
    log.info("nonsense: {}", nonsense);

    assertThat(nonsense.isFallback()).isTrue();
    assertThat(nonsense.similarity()).isLessThan(0.45);
    assertThat(responder.match("   ").blockOptional(TIMEOUT).orElseThrow().isFallback()).isTrue();
    assertThat(answer(responder)).contains("offline responder");
  }

  @Test
  void answersTheLastUserTextOfThePromptAsAModelWouldWordByWord() {
    List<Part> out =
        responder
            .apply(
                Flux.just(
                    Part.text("tell me a joke").withRole("user"),
                    Part.text("Why did the developer go broke?").withRole("model"),
                    Part.text("thinking").withSubstream("status"),
                    Part.inputTranscription("what time", false),
                    Part.inputTranscription("hello there", true)))
            .collectList()
            .blockOptional(TIMEOUT)
            .orElseThrow();

    assertThat(out).hasSizeGreaterThan(3);
    assertThat(out)
        .allSatisfy(
            p -> {
              assertThat(p.role()).isEqualTo("model");
              assertThat(p.metadata())
                  .containsEntry(
                      OfflineMetadata.MODEL,
                      "offline-responder (MiniLM intent match, not a language model)")
                  .containsEntry(OfflineMetadata.INTENT, "greeting")
                  .containsKey(OfflineMetadata.SIMILARITY);
            });
    String text = out.stream().map(Part::text).collect(Collectors.joining());
    assertThat(text).startsWith("H").doesNotStartWith(" ");
    assertThat(out.get(1).text()).startsWith(" ");
  }

  @Test
  void tellsTheTimeOfItsSchedulersClockWordByWordInVirtualTime() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    clock.advanceTimeTo(Instant.parse("2026-03-01T15:05:00Z"));
    OfflineResponder timed =
        OfflineResponder.builder()
            .scheduler(clock)
            .zone(ZoneOffset.UTC)
            .wordDelay(Duration.ofMillis(40))
            .build();
    IntentMatch match = new IntentMatch("time", 0.9, "It is {time}.");

    StepVerifier.withVirtualTime(() -> timed.stream(match), () -> clock, Long.MAX_VALUE)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(39))
        .thenAwait(Duration.ofMillis(1))
        .assertNext(p -> assertThat(p.text()).isEqualTo("It"))
        .thenAwait(Duration.ofMillis(40))
        .assertNext(p -> assertThat(p.text()).isEqualTo(" is"))
        .thenAwait(Duration.ofMillis(40))
        .assertNext(p -> assertThat(p.text()).isEqualTo(" 3:05"))
        .thenAwait(Duration.ofMillis(40))
        .assertNext(p -> assertThat(p.text()).isEqualTo(" PM."))
        .verifyComplete();
  }

  @Test
  void matchesTimeQuestionsToTheTimeIntentAndUsesRepliesInTurn() {
    OfflineResponder own = OfflineResponder.builder().wordDelay(Duration.ZERO).build();
    IntentMatch first =
        own.match("could you tell me what time it is").blockOptional(TIMEOUT).orElseThrow();
    IntentMatch second = own.match("what's the time now?").blockOptional(TIMEOUT).orElseThrow();

    assertThat(first.intent()).isEqualTo("time");
    assertThat(second.intent()).isEqualTo("time");
    assertThat(first.reply()).isEqualTo("It is {time}.");
    assertThat(second.reply()).isEqualTo("The time is {time}.");
  }

  @Test
  void cancellingStopsTheAnswerBetweenWords() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    OfflineResponder slow =
        OfflineResponder.builder().scheduler(clock).wordDelay(Duration.ofSeconds(1)).build();

    StepVerifier.withVirtualTime(
            () -> slow.stream(new IntentMatch("goodbye", 0.9, "Bye for now, friend.")),
            () -> clock,
            10)
        .thenAwait(Duration.ofSeconds(1))
        .expectNextCount(1)
        .thenCancel()
        .verify(TIMEOUT);
    assertThat(clock.now(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
  }
}
