package dev.genaiprocessors.live.state;

import static dev.genaiprocessors.live.ConversationState.IDLE;
import static dev.genaiprocessors.live.ConversationState.INTERRUPTED;
import static dev.genaiprocessors.live.ConversationState.LISTENING;
import static dev.genaiprocessors.live.ConversationState.PROCESSING;
import static dev.genaiprocessors.live.ConversationState.SPEAKING;
import static dev.genaiprocessors.live.state.ScriptedLiveProcessor.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.ConversationState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class StateReportingLiveProcessorTest {

  private static Part audio() {
    return Part.audio(new byte[480], 24000).withRole("model");
  }

  @Test
  void aProviderWithItsOwnVoiceDetectionReportsATurnABargeInAndTheNextTurn() {
    List<ConversationTransition> seen = new CopyOnWriteArrayList<>();
    ScriptedLiveProcessor provider =
        new ScriptedLiveProcessor(
            List.of(
                at(100, Part.startOfSpeech().withRole("user")),
                at(900, Part.endOfSpeech().withRole("user")),
                at(300, Part.outputTranscription("Hel", false)),
                at(0, audio()),
                at(100, audio()), // later parts of the answer fire nothing
                at(200, Part.startOfSpeech().withRole("user")), // barge-in
                at(50, Part.interrupted()),
                at(10, Part.endOfTurn().withRole("model")),
                at(700, Part.endOfSpeech().withRole("user")),
                at(300, audio()),
                at(900, Part.endOfTurn().withRole("model"))));
    StepVerifier.withVirtualTime(
            () ->
                StateReportingLiveProcessor.wrap(
                        provider,
                        () -> ConversationStateMachine.builder().onTransition(seen::add).build())
                    .apply(Flux.never())
                    .filter(p -> p.metadata(StateReportingLiveProcessor.STATE_KEY) != null)
                    .map(p -> p.metadata(StateReportingLiveProcessor.STATE_KEY)))
        .thenAwait(Duration.ofSeconds(10))
        .expectNext(
            "listening",
            "processing",
            "speaking",
            "interrupted",
            "listening",
            "processing",
            "speaking",
            "idle")
        .verifyComplete();
    assertThat(seen)
        .extracting(ConversationTransition::action)
        .containsExactly(
            ConversationAction.USER_STARTED_SPEAKING,
            ConversationAction.USER_TURN_ENDED,
            ConversationAction.ANSWER_STARTED,
            ConversationAction.USER_STARTED_SPEAKING,
            ConversationAction.USER_STARTED_SPEAKING,
            ConversationAction.ANSWER_INTERRUPTED,
            ConversationAction.ANSWER_ENDED,
            ConversationAction.USER_TURN_ENDED,
            ConversationAction.ANSWER_STARTED,
            ConversationAction.ANSWER_ENDED);
    // Times on the virtual clock: the barge-in at 1.6 s, the last answer's end at 3.56 s.
    assertThat(seen.get(3).timeMillis()).isEqualTo(1600);
    assertThat(seen.get(9).timeMillis()).isEqualTo(3560);
    assertThat(seen).allSatisfy(t -> assertThat(t.metadata()).containsEntry("source", "output"));
  }

  @Test
  void aStatePartComesRightAfterThePartThatCausedItAndTheProvidersPartsPassUnchanged() {
    Part first = audio();
    ScriptedLiveProcessor provider =
        new ScriptedLiveProcessor(
            List.of(at(100, first), at(100, Part.endOfTurn().withRole("model"))));
    StepVerifier.withVirtualTime(
            () -> StateReportingLiveProcessor.wrap(provider).apply(Flux.never()))
        .thenAwait(Duration.ofMillis(100))
        .expectNext(first)
        .expectNext(StateReportingLiveProcessor.statePart(SPEAKING)) // the model spoke first
        .thenAwait(Duration.ofMillis(100))
        .expectNext(Part.endOfTurn().withRole("model"))
        .expectNext(StateReportingLiveProcessor.statePart(IDLE))
        .verifyComplete();
  }

  @Test
  void inputInManualModeAndTypedTextDriveTheStateToo() {
    ScriptedLiveProcessor provider =
        new ScriptedLiveProcessor(
            List.of(at(2000, audio()), at(500, Part.endOfTurn().withRole("model"))));
    List<ConversationState> states = new CopyOnWriteArrayList<>();
    StepVerifier.withVirtualTime(
            () ->
                StateReportingLiveProcessor.wrap(
                        provider,
                        () ->
                            ConversationStateMachine.builder()
                                .onTransition(t -> states.add(t.to()))
                                .build())
                    .apply(
                        Flux.concat(
                            Flux.just(Part.startOfSpeech()),
                            Flux.just(Part.audio(new byte[320], 16000).withRole("user"))
                                .delayElements(Duration.ofMillis(500)),
                            Flux.just(Part.endOfSpeech()))))
        .thenAwait(Duration.ofSeconds(3))
        .thenConsumeWhile(p -> true)
        .verifyComplete();
    assertThat(states).containsExactly(LISTENING, PROCESSING, SPEAKING, IDLE);
    assertThat(provider.received).hasSize(3);
  }

  @Test
  void anActionTheTableRefusesIsReportedAsADebugPartAndTheStateStays() {
    // An interruption with nothing to interrupt: IDLE refuses ANSWER_INTERRUPTED.
    ScriptedLiveProcessor provider =
        new ScriptedLiveProcessor(List.of(at(100, Part.interrupted())));
    ConversationStateMachine machine = ConversationStateMachine.create();
    StepVerifier.withVirtualTime(
            () -> StateReportingLiveProcessor.wrap(provider, () -> machine).apply(Flux.never()))
        .thenAwait(Duration.ofMillis(100))
        .expectNext(Part.interrupted())
        .assertNext(
            p -> {
              assertThat(p.isDebug()).isTrue();
              assertThat(p.metadata(StateReportingLiveProcessor.INVALID_TRANSITION_KEY))
                  .isEqualTo("idle:answer_interrupted");
              assertThat(p.text()).contains("no transition from IDLE by ANSWER_INTERRUPTED");
            })
        .verifyComplete();
    assertThat(machine.state()).isEqualTo(IDLE);
  }

  @Test
  void aTurnEndedOverTheProvidersOwnAnswerIsReportedNotIgnored() {
    // The user types while the model speaks: SPEAKING refuses USER_TURN_ENDED (interrupt first).
    ScriptedLiveProcessor provider =
        new ScriptedLiveProcessor(
            List.of(at(100, audio()), at(1000, Part.endOfTurn().withRole("model"))));
    StepVerifier.withVirtualTime(
            () ->
                StateReportingLiveProcessor.wrap(provider)
                    .apply(
                        Flux.just(Part.text("and another thing").withRole("user"))
                            .delaySubscription(Duration.ofMillis(500))
                            .concatWith(Flux.never()))
                    .filter(p -> p.isDebug() || p.isStatus())
                    .take(3))
        .thenAwait(Duration.ofSeconds(2))
        .expectNext(StateReportingLiveProcessor.statePart(SPEAKING))
        .assertNext(
            p ->
                assertThat(p.metadata(StateReportingLiveProcessor.INVALID_TRANSITION_KEY))
                    .isEqualTo("speaking:user_turn_ended"))
        .expectNext(StateReportingLiveProcessor.statePart(IDLE))
        .verifyComplete();
  }

  @Test
  void aBargeInBeforeTheAnswerStartedPassesThroughInterruptedAndEndsListening() {
    List<ConversationState> states = new CopyOnWriteArrayList<>();
    ScriptedLiveProcessor provider =
        new ScriptedLiveProcessor(
            List.of(
                at(100, Part.startOfSpeech().withRole("user")),
                at(500, Part.endOfSpeech().withRole("user")),
                at(100, Part.startOfSpeech().withRole("user")),
                at(50, Part.interrupted()),
                at(10, Part.endOfTurn().withRole("model"))));
    StepVerifier.withVirtualTime(
            () ->
                StateReportingLiveProcessor.wrap(
                        provider,
                        () ->
                            ConversationStateMachine.builder()
                                .onTransition(t -> states.add(t.to()))
                                .build())
                    .apply(Flux.never()))
        .thenAwait(Duration.ofSeconds(1))
        .thenConsumeWhile(p -> true)
        .verifyComplete();
    assertThat(states)
        .containsExactly(LISTENING, PROCESSING, INTERRUPTED, LISTENING, LISTENING, LISTENING);
  }
}
