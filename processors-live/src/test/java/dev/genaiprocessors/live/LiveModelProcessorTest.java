package dev.genaiprocessors.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.PlaybackListener;
import dev.genaiprocessors.core.Processor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class LiveModelProcessorTest {

  /** Prompts the model was called with, and when it read each prompt part. */
  final List<List<Part>> prompts = new CopyOnWriteArrayList<>();

  final List<Long> readTimes = new CopyOnWriteArrayList<>();

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  private static long now() {
    return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
  }

  /** Answers "you said X" word by word, one word every {@code perWord}; X is the last user text. */
  Processor wordModel(Duration perWord) {
    return prompt ->
        prompt
            .doOnNext(p -> readTimes.add(now()))
            .collectList()
            .flatMapMany(
                parts -> {
                  prompts.add(parts);
                  String said = "";
                  for (Part p : parts) {
                    if (p.isText() && p.role().equals("user")) {
                      said = p.text();
                    }
                  }
                  return Flux.fromArray(("you said " + said).split(" "))
                      .concatMap(
                          w ->
                              Mono.delay(perWord).thenReturn(Part.text(w + " ").withRole("model")));
                });
  }

  /** Model text parts, for expectNextSequence. */
  static final class Parts {
    static List<Part> model(String... texts) {
      List<Part> out = new ArrayList<>();
      for (String t : texts) {
        out.add(Part.text(t).withRole("model"));
      }
      return out;
    }
  }

  static List<String> texts(List<Part> parts) {
    List<String> out = new ArrayList<>();
    for (Part p : parts) {
      if (p.isText()) {
        out.add(p.text());
      }
    }
    return out;
  }

  @Test
  void theModelReadsThePromptBeforeTheTurnEndsAndAnswersAtTheTrigger() {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.withVirtualTime(
            () ->
                LiveModelProcessor.builder(wordModel(Duration.ofMillis(100)))
                    .stateParts(false)
                    .build()
                    .apply(input.asFlux()))
        .expectSubscription()
        .then(() -> input.tryEmitNext(Part.text("hello").withRole("user")))
        .expectNoEvent(Duration.ofSeconds(1))
        .then(
            () ->
                assertThat(readTimes)
                    .containsExactly(0L)) // read at once, a second before the turn ended
        .then(() -> input.tryEmitNext(Part.endOfTurn()))
        .expectNoEvent(Duration.ofMillis(100))
        .expectNext(Part.text("you ").withRole("model"))
        .thenAwait(Duration.ofMillis(200))
        .expectNext(Part.text("said ").withRole("model"), Part.text("hello ").withRole("model"))
        .assertNext(
            p -> {
              assertThat(p.isEndOfTurn()).isTrue();
              assertThat(p.role()).isEqualTo("model");
            })
        .then(input::tryEmitComplete)
        .verifyComplete();
  }

  @Test
  void aFinalTranscriptionTriggersByDefaultAndEntersThePromptAsUserText() {
    StepVerifier.withVirtualTime(
            () ->
                LiveModelProcessor.builder(wordModel(Duration.ofMillis(10)))
                    .stateParts(false)
                    .build()
                    .apply(
                        Flux.just(
                            Part.inputTranscription("hel", false),
                            Part.inputTranscription("hello", true))))
        .expectNext(Part.inputTranscription("hel", false), Part.inputTranscription("hello", true))
        .thenAwait(Duration.ofSeconds(1))
        .expectNextCount(4)
        .verifyComplete();
    assertThat(texts(prompts.get(0))).containsExactly("hello");
    assertThat(prompts.get(0).get(0).role()).isEqualTo("user");
    assertThat(prompts.get(0).get(0).substream()).isEmpty();
  }

  @Test
  void aBlankFinalTranscriptionIsNotATurn() {
    StepVerifier.withVirtualTime(
            () ->
                LiveModelProcessor.builder(wordModel(Duration.ofMillis(10)))
                    .stateParts(false)
                    .build()
                    .apply(Flux.just(Part.inputTranscription(" ", true))))
        .expectNext(Part.inputTranscription(" ", true))
        .thenAwait(Duration.ofSeconds(1))
        .verifyComplete();
    assertThat(prompts).isEmpty();
  }

  @Test
  void endOfSpeechTriggersWhenConfigured() {
    StepVerifier.withVirtualTime(
            () ->
                LiveModelProcessor.builder(wordModel(Duration.ofMillis(10)))
                    .triggers(TurnTrigger.END_OF_SPEECH)
                    .stateParts(false)
                    .build()
                    .apply(
                        Flux.concat(
                            Flux.just(
                                Part.startOfSpeech(),
                                Part.text("hi").withRole("user"),
                                Part.endOfSpeech()),
                            Flux.never())))
        .thenAwait(Duration.ofMillis(30))
        .expectNextSequence(
            List.of(
                Part.text("you ").withRole("model"),
                Part.text("said ").withRole("model"),
                Part.text("hi ").withRole("model")))
        .assertNext(p -> assertThat(p.isEndOfTurn()).isTrue())
        .thenCancel()
        .verify();
  }

  @Test
  void speakingOverTheAnswerCutsItOffAndTheHistoryKeepsOnlyWhatCameOut() {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.withVirtualTime(
            () ->
                LiveModelProcessor.builder(wordModel(Duration.ofMillis(100)))
                    .triggers(TurnTrigger.END_OF_SPEECH)
                    .stateParts(false)
                    .build()
                    .apply(input.asFlux()))
        .expectSubscription()
        .then(
            () -> {
              input.tryEmitNext(Part.startOfSpeech());
              input.tryEmitNext(Part.text("hi").withRole("user"));
              input.tryEmitNext(Part.endOfSpeech());
            })
        .thenAwait(Duration.ofMillis(150))
        .expectNext(Part.text("you ").withRole("model"))
        .then(() -> input.tryEmitNext(Part.startOfSpeech()))
        .assertNext(p -> assertThat(p.isInterrupted()).isTrue())
        .assertNext(p -> assertThat(p.isEndOfTurn()).isTrue())
        .expectNoEvent(Duration.ofSeconds(1))
        .then(
            () -> {
              input.tryEmitNext(Part.text("again").withRole("user"));
              input.tryEmitNext(Part.endOfSpeech());
            })
        .thenAwait(Duration.ofSeconds(1))
        .expectNextCount(4)
        .then(input::tryEmitComplete)
        .verifyComplete();
    assertThat(texts(prompts.get(1)))
        .containsExactly("hi", "you ", LiveSession.INTERRUPTED_NOTE, "again");
  }

  @Test
  void inputDuringAnAnswerIsStashedAndLandsAfterIt() {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.withVirtualTime(
            () ->
                LiveModelProcessor.builder(wordModel(Duration.ofMillis(100)))
                    .stateParts(false)
                    .build()
                    .apply(input.asFlux()))
        .expectSubscription()
        .then(
            () -> {
              input.tryEmitNext(Part.text("a").withRole("user"));
              input.tryEmitNext(Part.endOfTurn());
            })
        .thenAwait(Duration.ofMillis(50))
        .then(() -> input.tryEmitNext(Part.text("b").withRole("user")))
        .thenAwait(Duration.ofMillis(300))
        .expectNextCount(4)
        .then(() -> input.tryEmitNext(Part.endOfTurn()))
        .thenAwait(Duration.ofMillis(300))
        .expectNextCount(4)
        .then(input::tryEmitComplete)
        .verifyComplete();
    assertThat(texts(prompts.get(1))).containsExactly("a", "you ", "said ", "a ", "b");
  }

  @Test
  void whenInputEndsOneFinalCallAnswersWhatRemains() {
    StepVerifier.withVirtualTime(
            () ->
                LiveModelProcessor.builder(wordModel(Duration.ofMillis(10)))
                    .stateParts(false)
                    .build()
                    .apply(
                        Flux.just(
                            Part.text("a").withRole("user"),
                            Part.endOfTurn(),
                            Part.text("b").withRole("user"))))
        .thenAwait(Duration.ofSeconds(1))
        .expectNextCount(8)
        .verifyComplete();
    assertThat(prompts).hasSize(2);
    assertThat(texts(prompts.get(1))).endsWith("b");
  }

  @Test
  void noFinalCallWhenNothingIsLeftToAnswer() {
    StepVerifier.withVirtualTime(
            () ->
                LiveModelProcessor.builder(wordModel(Duration.ofMillis(10)))
                    .stateParts(false)
                    .build()
                    .apply(Flux.just(Part.text("a").withRole("user"), Part.endOfTurn())))
        .thenAwait(Duration.ofSeconds(1))
        .expectNextCount(4)
        .verifyComplete();
    assertThat(prompts).hasSize(1);
  }

  /**
   * Stands for model + text-to-speech + a pacer: four 100 ms chunks, two per sentence, each reported to
   * {@code heard} as released (and starting to play) when it is emitted. Records its prompts in {@code seen}.
   */
  Processor speaking(PlaybackListener heard, List<List<Part>> seen) {
    return prompt ->
        prompt
            .collectList()
            .flatMapMany(
                parts -> {
                  seen.add(parts);
                  return Flux.range(0, 4)
                      .concatMap(
                          i ->
                              Mono.delay(Duration.ofMillis(100))
                                  .map(
                                      x -> {
                                        Part chunk =
                                            Part.audio(new byte[3200], 16000)
                                                .withRole("model")
                                                .withMetadata("chunk", i)
                                                .withMetadata(
                                                    PartMetadata.SPOKEN_TEXT,
                                                    i < 2 ? "First sentence." : "Second sentence.");
                                        heard.released(chunk, now(), 100);
                                        return chunk;
                                      }));
                });
  }

  @Test
  void anInterruptedAnswerEntersTheHistoryAsWhatWasHeard() {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.withVirtualTime(
            () ->
                LiveModelProcessor.builderPerConversation(heard -> speaking(heard, prompts))
                    .stateParts(false)
                    .build()
                    .apply(input.asFlux()))
        .expectSubscription()
        .then(
            () -> {
              input.tryEmitNext(Part.text("talk").withRole("user"));
              input.tryEmitNext(Part.endOfTurn());
            })
        .thenAwait(Duration.ofMillis(250))
        .expectNextCount(2)
        .then(() -> input.tryEmitNext(Part.startOfSpeech()))
        .expectNextCount(2)
        .then(
            () -> {
              input.tryEmitNext(Part.text("what?").withRole("user"));
              input.tryEmitNext(Part.endOfTurn());
            })
        .then(input::tryEmitComplete)
        .thenAwait(Duration.ofSeconds(1))
        .thenConsumeWhile(p -> true)
        .verifyComplete();
    List<Part> second = prompts.get(1);
    assertThat(texts(second))
        .containsExactly("talk", "First sentence.", LiveSession.INTERRUPTED_NOTE, "what?");
    assertThat(second)
        .filteredOn(Part::isAudio)
        .extracting(p -> p.metadata("chunk"))
        .containsExactly(0L, 1L);
    assertThat(second).filteredOn(p -> p.hasFlag(PartMetadata.INTERRUPTED)).hasSize(1);
  }

  @Test
  void concurrentConversationsOfOneProcessorEachHearTheirOwnPlaybackAndSeeTheirOwnStates() {
    List<List<List<Part>>> promptsByConversation = new CopyOnWriteArrayList<>();
    List<ConversationState> statesA = new CopyOnWriteArrayList<>();
    List<ConversationState> statesB = new CopyOnWriteArrayList<>();
    Sinks.Many<Part> inputA = Sinks.many().unicast().onBackpressureBuffer();
    Sinks.Many<Part> inputB = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.withVirtualTime(
            () -> {
              // Built inside, so that its default scheduler is the virtual one.
              LiveModelProcessor live =
                  LiveModelProcessor.builderPerConversation(
                          heard -> {
                            List<List<Part>> seen = new CopyOnWriteArrayList<>();
                            promptsByConversation.add(seen);
                            return speaking(heard, seen);
                          })
                      .stateParts(false)
                      .build();
              LiveConversation a = live.conversation();
              LiveConversation b = live.conversation();
              a.states().subscribe(statesA::add);
              b.states().subscribe(statesB::add);
              return Flux.merge(a.apply(inputA.asFlux()), b.apply(inputB.asFlux()));
            })
        .expectSubscription()
        .then(
            () -> {
              for (Sinks.Many<Part> in : List.of(inputA, inputB)) {
                in.tryEmitNext(Part.text("talk").withRole("user"));
                in.tryEmitNext(Part.endOfTurn());
              }
            })
        .thenAwait(Duration.ofMillis(250))
        .then(
            () ->
                inputA.tryEmitNext(
                    Part.startOfSpeech())) // A's user speaks over the answer; B's listens on
        .thenAwait(Duration.ofMillis(500))
        .then(
            () -> {
              for (Sinks.Many<Part> in : List.of(inputA, inputB)) {
                in.tryEmitNext(Part.text("next").withRole("user"));
                in.tryEmitNext(Part.endOfTurn());
                in.tryEmitComplete();
              }
            })
        .thenAwait(Duration.ofSeconds(2))
        .thenConsumeWhile(p -> true)
        .verifyComplete();
    List<Part> secondA = promptsByConversation.get(0).get(1);
    List<Part> secondB = promptsByConversation.get(1).get(1);
    assertThat(texts(secondA))
        .containsExactly("talk", "First sentence.", LiveSession.INTERRUPTED_NOTE, "next");
    assertThat(secondA)
        .filteredOn(Part::isAudio)
        .extracting(p -> p.metadata("chunk"))
        .containsExactly(0L, 1L);
    assertThat(texts(secondB)).containsExactly("talk", "next");
    assertThat(secondB)
        .filteredOn(Part::isAudio)
        .extracting(p -> p.metadata("chunk"))
        .containsExactly(0L, 1L, 2L, 3L);
    assertThat(statesA)
        .containsExactly(
            ConversationState.PROCESSING,
            ConversationState.SPEAKING,
            ConversationState.INTERRUPTED,
            ConversationState.LISTENING,
            ConversationState.PROCESSING,
            ConversationState.SPEAKING,
            // The answer ended (ANSWER_ENDED), and the user, who never stopped, has the floor.
            ConversationState.IDLE,
            ConversationState.LISTENING);
    assertThat(statesB)
        .containsExactly(
            ConversationState.PROCESSING,
            ConversationState.SPEAKING,
            ConversationState.IDLE,
            ConversationState.PROCESSING,
            ConversationState.SPEAKING,
            ConversationState.IDLE);
  }

  @Test
  void aConversationHandleRunsOneSubscription() {
    LiveConversation conversation =
        LiveModelProcessor.builder(wordModel(Duration.ofMillis(10))).build().conversation();
    conversation.apply(Flux.never()).subscribe();
    StepVerifier.create(conversation.apply(Flux.empty()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("LiveModelProcessor.conversation()"))
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void theTextOfAnEndOfTurnPartGoesIntoThePromptAndEndsTheTurn() {
    Part question =
        Part.text("what time is it?")
            .withRole("user")
            .withMetadata(PartMetadata.TURN_COMPLETE, true);
    StepVerifier.withVirtualTime(
            () ->
                LiveModelProcessor.builder(wordModel(Duration.ofMillis(10)))
                    .stateParts(false)
                    .build()
                    .apply(Flux.concat(Flux.just(question), Flux.never())))
        .thenAwait(Duration.ofMillis(100))
        .expectNextSequence(Parts.model("you ", "said ", "what ", "time ", "is ", "it? "))
        .assertNext(p -> assertThat(p.isEndOfTurn()).isTrue())
        .thenCancel()
        .verify();
    assertThat(prompts.get(0)).hasSize(1);
    assertThat(prompts.get(0).get(0).text()).isEqualTo("what time is it?");
    assertThat(prompts.get(0).get(0).isEndOfTurn()).isFalse();
  }

  @Test
  void
      aBargeInBeforeTheAnswerEmittedAnythingStillEmitsInterruptedAndPassesThroughTheInterruptedState() {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<ConversationState> states = new CopyOnWriteArrayList<>();
    StepVerifier.withVirtualTime(
            () -> {
              LiveConversation conversation =
                  LiveModelProcessor.builder(wordModel(Duration.ofMillis(100)))
                      .stateParts(false)
                      .build()
                      .conversation();
              conversation.states().subscribe(states::add);
              return conversation.apply(input.asFlux());
            })
        .expectSubscription()
        .then(
            () -> {
              input.tryEmitNext(Part.text("hi").withRole("user"));
              input.tryEmitNext(Part.endOfTurn());
            })
        .thenAwait(Duration.ofMillis(50)) // the first word is due at 100 ms
        .then(() -> input.tryEmitNext(Part.startOfSpeech()))
        .assertNext(p -> assertThat(p.isInterrupted()).isTrue())
        .assertNext(p -> assertThat(p.isEndOfTurn()).isTrue())
        .expectNoEvent(Duration.ofSeconds(1))
        .thenCancel()
        .verify();
    assertThat(states)
        .containsExactly(
            ConversationState.PROCESSING,
            ConversationState.INTERRUPTED,
            ConversationState.LISTENING);
  }

  @Test
  void theInterruptedStateIsSeenOnTheConversationsStatesAndAsAStatusPartBeforeTheInterruptedPart() {
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    List<ConversationState> states = new CopyOnWriteArrayList<>();
    StepVerifier.withVirtualTime(
            () -> {
              LiveConversation conversation =
                  LiveModelProcessor.builder(wordModel(Duration.ofMillis(100)))
                      .build()
                      .conversation();
              conversation.states().subscribe(states::add);
              return conversation.apply(input.asFlux());
            })
        .expectSubscription()
        .then(
            () -> {
              input.tryEmitNext(Part.text("hi").withRole("user"));
              input.tryEmitNext(Part.endOfTurn());
            })
        .assertNext(p -> assertThat(p.metadata(LiveSession.STATE_KEY)).isEqualTo("processing"))
        .thenAwait(Duration.ofMillis(150))
        .assertNext(p -> assertThat(p.metadata(LiveSession.STATE_KEY)).isEqualTo("speaking"))
        .expectNext(Part.text("you ").withRole("model"))
        .then(() -> input.tryEmitNext(Part.startOfSpeech()))
        .assertNext(p -> assertThat(p.metadata(LiveSession.STATE_KEY)).isEqualTo("interrupted"))
        .assertNext(p -> assertThat(p.isInterrupted()).isTrue())
        .assertNext(p -> assertThat(p.isEndOfTurn()).isTrue())
        .assertNext(p -> assertThat(p.metadata(LiveSession.STATE_KEY)).isEqualTo("listening"))
        .then(input::tryEmitComplete)
        .thenAwait(Duration.ofSeconds(1))
        .thenConsumeWhile(p -> true)
        .verifyComplete();
    assertThat(states)
        .startsWith(
            ConversationState.PROCESSING,
            ConversationState.SPEAKING,
            ConversationState.INTERRUPTED,
            ConversationState.LISTENING);
  }

  @Test
  void anErrorOfTheTurnProcessorIsTheOutputsError() {
    IllegalStateException boom = new IllegalStateException("model down");
    Processor failing = prompt -> prompt.thenMany(Flux.error(boom));
    StepVerifier.create(
            LiveModelProcessor.builder(failing)
                .stateParts(false)
                .build()
                .apply(Flux.just(Part.text("a").withRole("user"), Part.endOfTurn())))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void reservedPartsPassAtOnceAndStateChangesAreReported() {
    List<ConversationState> states = new CopyOnWriteArrayList<>();
    StepVerifier.withVirtualTime(
            () -> {
              LiveConversation live =
                  LiveModelProcessor.builder(wordModel(Duration.ofMillis(10)))
                      .build()
                      .conversation();
              live.states().subscribe(states::add);
              return live.apply(
                  Flux.just(
                      Part.status("mic on"),
                      Part.startOfSpeech(),
                      Part.text("hi").withRole("user"),
                      Part.endOfSpeech(),
                      Part.endOfTurn()));
            })
        .expectNext(Part.status("mic on"))
        .assertNext(p -> assertThat(p.metadata(LiveSession.STATE_KEY)).isEqualTo("listening"))
        .assertNext(p -> assertThat(p.metadata(LiveSession.STATE_KEY)).isEqualTo("idle"))
        .assertNext(p -> assertThat(p.metadata(LiveSession.STATE_KEY)).isEqualTo("processing"))
        .thenAwait(Duration.ofSeconds(1))
        .assertNext(p -> assertThat(p.metadata(LiveSession.STATE_KEY)).isEqualTo("speaking"))
        .expectNextCount(4)
        .assertNext(p -> assertThat(p.metadata(LiveSession.STATE_KEY)).isEqualTo("idle"))
        .verifyComplete();
    assertThat(states)
        .containsExactly(
            ConversationState.LISTENING,
            ConversationState.IDLE,
            ConversationState.PROCESSING,
            ConversationState.SPEAKING,
            ConversationState.IDLE);
  }

  @Test
  void theConversationReportsThroughItsStateMachineWithTheActionThatMovedIt() {
    List<dev.genaiprocessors.live.state.ConversationTransition> seen = new CopyOnWriteArrayList<>();
    StepVerifier.withVirtualTime(
            () ->
                LiveModelProcessor.builder(wordModel(Duration.ofMillis(10)))
                    .stateParts(false)
                    .onTransition(seen::add)
                    .build()
                    .apply(
                        Flux.just(
                            Part.startOfSpeech(),
                            Part.text("hi").withRole("user"),
                            Part.endOfSpeech(),
                            Part.endOfTurn())))
        .thenAwait(Duration.ofSeconds(1))
        .thenConsumeWhile(p -> true)
        .verifyComplete();
    assertThat(seen)
        .extracting(t -> t.action().wireName() + "->" + t.to())
        .containsExactly(
            "user_started_speaking->LISTENING",
            "user_stopped_speaking->IDLE",
            "user_turn_ended->PROCESSING",
            "answer_started->SPEAKING",
            "answer_ended->IDLE");
  }

  @Test
  void anHourOfConversationRunsInFlatMemory() {
    List<Integer> promptSizes = new CopyOnWriteArrayList<>();
    Processor oneWord =
        prompt ->
            prompt
                .collectList()
                .flatMapMany(
                    parts -> {
                      promptSizes.add(parts.size());
                      return Flux.just(Part.text("ok").withRole("model"));
                    });
    StepVerifier.withVirtualTime(
            () ->
                LiveModelProcessor.builder(oneWord)
                    .stateParts(false)
                    .build()
                    .apply(
                        Flux.interval(Duration.ofSeconds(1))
                            .take(3600)
                            .concatMap(
                                i ->
                                    Flux.just(
                                        Part.text("u" + i).withRole("user"), Part.endOfTurn())))
                    .then())
        .thenAwait(Duration.ofHours(2))
        .verifyComplete();
    assertThat(promptSizes).hasSize(3600);
    // Ten minutes of two parts a second, whatever the hour: the history is a window, not a list.
    assertThat(promptSizes.get(3599)).isLessThanOrEqualTo(1204).isEqualTo(promptSizes.get(1800));
  }
}
