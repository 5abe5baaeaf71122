package dev.genaiprocessors.live.state;

import static dev.genaiprocessors.live.ConversationState.IDLE;
import static dev.genaiprocessors.live.ConversationState.INTERRUPTED;
import static dev.genaiprocessors.live.ConversationState.LISTENING;
import static dev.genaiprocessors.live.ConversationState.PROCESSING;
import static dev.genaiprocessors.live.ConversationState.SPEAKING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.functions.FunctionCalling;
import dev.genaiprocessors.live.ConversationState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.node.JsonNodeFactory;

class ConversationStateMachineTest {

  @Test
  void aWholeTurnFollowsTheTableAndHandlersGetTheActionsMetadataAndTheVirtualTime() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    List<ConversationTransition> seen = new ArrayList<>();
    List<ConversationTransition> entered = new ArrayList<>();
    ConversationStateMachine machine =
        ConversationStateMachine.builder()
            .scheduler(clock)
            .onTransition(seen::add)
            .onEnter(SPEAKING, entered::add)
            .build();
    machine.fire(ConversationAction.USER_STARTED_SPEAKING, Map.of("source", "vad"));
    clock.advanceTimeBy(Duration.ofMillis(1200));
    machine.fire(ConversationAction.USER_TURN_ENDED);
    clock.advanceTimeBy(Duration.ofMillis(300));
    machine.fire(ConversationAction.ANSWER_STARTED, Map.of("ttft_ms", 300));
    clock.advanceTimeBy(Duration.ofSeconds(2));
    ConversationTransition last = machine.fire(ConversationAction.ANSWER_ENDED);

    assertThat(seen)
        .extracting(ConversationTransition::to)
        .containsExactly(LISTENING, PROCESSING, SPEAKING, IDLE);
    assertThat(seen)
        .extracting(ConversationTransition::timeMillis)
        .containsExactly(0L, 1200L, 1500L, 3500L);
    assertThat(seen.get(0).metadata()).containsEntry("source", "vad");
    assertThat(entered)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.from()).isEqualTo(PROCESSING);
              assertThat(t.metadata()).containsEntry("ttft_ms", 300);
            });
    assertThat(last).isEqualTo(seen.get(3));
    assertThat(machine.state()).isEqualTo(IDLE);
  }

  @Test
  void anInvalidTransitionIsRefusedWithATypedErrorReportedToItsHandlersAndTheStateStays() {
    List<InvalidTransitionException> refused = new ArrayList<>();
    List<ConversationTransition> seen = new ArrayList<>();
    ConversationStateMachine machine =
        ConversationStateMachine.builder()
            .scheduler(VirtualTimeScheduler.create())
            .onInvalid(refused::add)
            .onTransition(seen::add)
            .build();
    machine.fire(ConversationAction.USER_STARTED_SPEAKING);

    // An answer cannot start while the user speaks.
    assertThatThrownBy(() -> machine.fire(ConversationAction.ANSWER_STARTED))
        .isInstanceOf(InvalidTransitionException.class)
        .hasMessageContaining("no transition from LISTENING by ANSWER_STARTED")
        .hasMessageContaining("USER_TURN_ENDED")
        .satisfies(
            e -> {
              InvalidTransitionException i = (InvalidTransitionException) e;
              assertThat(i.state()).isEqualTo(LISTENING);
              assertThat(i.action()).isEqualTo(ConversationAction.ANSWER_STARTED);
              assertThat(i.allowed()).doesNotContain(ConversationAction.ANSWER_STARTED);
            });
    assertThat(refused)
        .singleElement()
        .extracting(InvalidTransitionException::state)
        .isEqualTo(LISTENING);
    assertThat(machine.state()).isEqualTo(LISTENING);
    assertThat(seen).hasSize(1);
  }

  @Test
  void theDefaultTableHasExactlyTheDocumentedEntries() {
    Map<ConversationState, Map<ConversationAction, ConversationState>> t =
        ConversationStateMachine.defaultTable();
    assertThat(t.get(IDLE)).hasSize(5).doesNotContainKey(ConversationAction.ANSWER_INTERRUPTED);
    assertThat(t.get(LISTENING)).hasSize(5).doesNotContainKey(ConversationAction.ANSWER_STARTED);
    assertThat(t.get(PROCESSING))
        .hasSize(5)
        .containsEntry(ConversationAction.USER_STARTED_SPEAKING, INTERRUPTED);
    assertThat(t.get(SPEAKING)).hasSize(3).doesNotContainKey(ConversationAction.USER_TURN_ENDED);
    assertThat(t.get(INTERRUPTED))
        .hasSize(4)
        .containsEntry(ConversationAction.USER_STARTED_SPEAKING, LISTENING);
  }

  @Test
  void theTableCanBeExtendedAndAnOverriddenEntryWins() {
    ConversationStateMachine machine =
        ConversationStateMachine.builder()
            .transition(LISTENING, ConversationAction.ANSWER_STARTED, SPEAKING)
            .transition(IDLE, ConversationAction.ANSWER_ENDED, LISTENING)
            .build();
    machine.fire(ConversationAction.ANSWER_ENDED);
    assertThat(machine.state()).isEqualTo(LISTENING);
    machine.fire(ConversationAction.ANSWER_STARTED);
    assertThat(machine.state()).isEqualTo(SPEAKING);
  }

  @Test
  void aHandlerThatFiresAgainIsStopped() {
    ConversationStateMachine[] self = new ConversationStateMachine[1];
    self[0] =
        ConversationStateMachine.builder()
            .onTransition(t -> self[0].fire(ConversationAction.USER_TURN_ENDED))
            .build();
    assertThatThrownBy(() -> self[0].fire(ConversationAction.USER_STARTED_SPEAKING))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fire from outside the handlers");
  }

  @Test
  void theChangeStateToolDrivesTheMachineAndAnswersARefusalAsAnErrorToTheModel() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    List<ConversationTransition> seen = new CopyOnWriteArrayList<>();
    ConversationStateMachine machine =
        ConversationStateMachine.builder().scheduler(clock).onTransition(seen::add).build();
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    // A model that calls change_state twice: a valid action, then one the table refuses.
    Processor model =
        prompt ->
            prompt
                .count()
                .flatMapMany(
                    n ->
                        n == 1
                            ? Flux.just(
                                Part.functionCall(
                                    "c1",
                                    ConversationStateMachine.CHANGE_STATE,
                                    nodes
                                        .objectNode()
                                        .put("action", "user_turn_ended")
                                        .put("reason", "typed question")),
                                Part.functionCall(
                                    "c2",
                                    ConversationStateMachine.CHANGE_STATE,
                                    nodes.objectNode().put("action", "user_stopped_speaking")))
                            : Flux.just(Part.text("done").withRole("model")));
    Processor agent =
        FunctionCalling.builder(model).tools(List.of(machine.changeStateTool())).build();
    List<Part> out = agent.apply(Flux.just(Part.text("go").withRole("user"))).collectList().block();

    assertThat(seen)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.to()).isEqualTo(PROCESSING);
              assertThat(t.metadata())
                  .containsEntry("source", "tool")
                  .containsEntry("reason", "typed question");
            });
    List<Part> responses = out.stream().filter(Part::isFunctionResponse).toList();
    assertThat(responses).hasSize(2);
    assertThat(responses.get(0).functionResponse().isError()).isFalse();
    assertThat(responses.get(0).functionResponse().response().get("result").get("to").asString())
        .isEqualTo("processing");
    assertThat(responses.get(1).functionResponse().isError()).isTrue();
    assertThat(responses.get(1).functionResponse().response().get("error").asString())
        .contains("no transition from PROCESSING by USER_STOPPED_SPEAKING");
    assertThat(machine.state()).isEqualTo(PROCESSING);
  }

  @Test
  void anUnknownActionNameIsAnErrorListingTheNames() {
    ConversationStateMachine machine = ConversationStateMachine.create();
    StepVerifier.create(
            machine
                .changeStateTool()
                .invoke(JsonNodeFactory.instance.objectNode().put("action", "dance")))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown action 'dance'")
                    .hasMessageContaining("answer_ended"))
        .verify(Duration.ofSeconds(5));
  }
}
