package dev.genaiprocessors.live.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartContent;
import dev.genaiprocessors.core.Scheduling;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Background agents on virtual time, around an in-process provider shaped like each real one (the emulator
 * suites in processors-examples run the same cases over the wire).
 */
class BackgroundAgentsTest {
  final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
  final List<AgentTask> tasks = new CopyOnWriteArrayList<>();
  final List<AgentHarness> open = new ArrayList<>();

  @AfterEach
  void close() {
    open.forEach(AgentHarness::close);
    clock.dispose();
  }

  /** An agent that takes {@code d} and reports an email sent. */
  BackgroundAgent slow(Duration d) {
    return task -> {
      tasks.add(task);
      return Mono.delay(d, clock)
          .map(
              x ->
                  new AgentResult(
                      AgentResult.COMPLETED,
                      List.of(
                          JsonNodeFactory.instance
                              .objectNode()
                              .put("action", "email_sent")
                              .put("conversation", task.conversationId())
                              .put("task", task.taskId())),
                      Instant.EPOCH));
    };
  }

  AgentHarness start(String provider, BackgroundAgents.Builder b) {
    FakeLive fake = new FakeLive(provider, clock);
    AgentHarness h = new AgentHarness(b.scheduler(clock).build(), fake, clock);
    open.add(h);
    return h;
  }

  static final Duration TURN =
      FakeLive.LATENCY.plus(FakeLive.SPEECH); // 2.1 s from words to end of turn

  @ParameterizedTest
  @ValueSource(strings = {"openai", "gemini"})
  void aSlowAgentLetsTheConversationGoOnAndItsResultIsSpokenWhenIdle(String provider) {
    AgentHarness h =
        start(
            provider,
            BackgroundAgents.builder(slow(Duration.ofSeconds(5)))
                .everyTurn(Delivery.SPEAK_WHEN_IDLE));

    h.say("Email Bob that I am late");
    h.advance(TURN); // t = 2.1 s: the turn is complete, the task starts
    assertThat(h.notices("started")).hasSize(1);
    assertThat(tasks)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.turnId()).isEqualTo(1);
              assertThat(t.history())
                  .extracting(Part::text)
                  .containsExactly(
                      "Email Bob that I am late", "answer to: Email Bob that I am late");
            });

    h.advance(Duration.ofMillis(3_900)); // t = 6.0 s
    h.say("How is the weather?"); // answered 6.1 s to 8.1 s; the result comes at 7.1 s, mid-answer
    h.advance(Duration.ofMillis(1_500)); // t = 7.5 s
    assertThat(h.modelText()).contains("answer to: How is the weather?");
    assertThat(h.notices("completed")).hasSize(1);
    assertThat(h.deliveries()).as("not spoken over the answer").isEmpty();

    h.advance(Duration.ofMillis(700)); // t = 8.2 s: the answer ended at 8.1 s
    assertThat(h.deliveries()).singleElement().asString().contains("email_sent").contains("t1");
    assertThat(h.error.get()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "gemini"})
  void aResultToSpeakNowCutsTheAnswer(String provider) {
    AgentHarness h =
        start(
            provider,
            BackgroundAgents.builder(slow(Duration.ofSeconds(5))).everyTurn(Delivery.SPEAK_NOW));
    h.say("Email Bob");
    h.advance(TURN);
    h.advance(Duration.ofMillis(3_900));
    h.say("How is the weather?");
    h.advance(Duration.ofMillis(1_200)); // t = 7.2 s: the result came at 7.1 s

    assertThat(h.deliveries()).singleElement().asString().contains("email_sent");
    assertThat(h.out).anyMatch(Part::isInterrupted);
    if (provider.equals("openai")) {
      int cut = indexOf(h.session.received, Part::isInterrupted);
      int report = indexOf(h.session.received, p -> p.isJson());
      assertThat(cut).as("response.cancel before the report").isNotNegative().isLessThan(report);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "gemini"})
  void aResultForTheContextOnlyIsNotSpoken(String provider) {
    AgentHarness h =
        start(
            provider,
            BackgroundAgents.builder(slow(Duration.ofSeconds(1))).everyTurn(Delivery.CONTEXT_ONLY));
    h.say("Email Bob");
    h.advance(TURN.plus(Duration.ofSeconds(5)));

    assertThat(h.contextOnly()).singleElement().asString().contains("email_sent");
    assertThat(h.deliveries()).isEmpty();
    assertThat(h.modelText()).containsExactly("answer to: Email Bob");
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "gemini"})
  void aFailingAgentIsToldAndTheConversationGoesOn(String provider) {
    AgentHarness h =
        start(
            provider,
            BackgroundAgents.builder(
                    task -> Mono.error(new IllegalStateException("the mail server refused")))
                .everyTurn(Delivery.SPEAK_WHEN_IDLE));
    h.say("Email Bob");
    h.advance(TURN.plus(Duration.ofMillis(10)));

    assertThat(h.notices("failed")).hasSize(1);
    assertThat(h.deliveries())
        .singleElement()
        .asString()
        .contains("did not finish: it failed: the mail server refused")
        .contains("Tell the user");
    h.advance(Duration.ofSeconds(5));
    h.say("Thanks anyway");
    h.advance(TURN);
    assertThat(h.modelText()).contains("answer to: Thanks anyway");
    assertThat(h.error.get()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "gemini"})
  void aTimedOutAgentIsCancelledAndTheAssistantTold(String provider) {
    AtomicBoolean cancelled = new AtomicBoolean();
    AgentHarness h =
        start(
            provider,
            BackgroundAgents.builder(
                    task -> Mono.<AgentResult>never().doOnCancel(() -> cancelled.set(true)))
                .everyTurn(Delivery.SPEAK_WHEN_IDLE)
                .timeout(Duration.ofSeconds(10)));
    h.say("Research flights to Lisbon");
    h.advance(TURN.plus(Duration.ofMillis(9_990)));
    assertThat(h.deliveries()).isEmpty();
    assertThat(cancelled).isFalse();

    h.advance(Duration.ofMillis(20));
    assertThat(cancelled).isTrue();
    assertThat(h.notices("timed_out")).hasSize(1);
    assertThat(h.deliveries()).singleElement().asString().contains("timed out after 10 s");
    assertThat(h.error.get()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "gemini"})
  void anInterruptedReportIsNotRepeatedAndTheResultStaysKnown(String provider) {
    AgentHarness h =
        start(
            provider,
            BackgroundAgents.builder(slow(Duration.ofSeconds(1)))
                .everyTurn(Delivery.SPEAK_WHEN_IDLE));
    h.say("Email Bob");
    h.advance(TURN); // t = 2.1 s: the task starts
    h.advance(Duration.ofMillis(1_500)); // t = 3.6 s: the result came at 3.1 s and is being spoken
    assertThat(h.deliveries()).hasSize(1);

    h.session.bargeIn();
    h.advance(Duration.ofSeconds(60));

    assertThat(h.notices("delivery_interrupted")).hasSize(1);
    assertThat(h.deliveries()).as("not repeated").hasSize(1);
    if (provider.equals("openai")) {
      // the report was out of band: the result goes into the context, so the assistant still knows
      // it
      assertThat(h.contextOnly())
          .singleElement()
          .asString()
          .contains("interrupted")
          .contains("email_sent");
    }
    assertThat(h.error.get()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "gemini"})
  void aFunctionCallStartsATaskWhoseResultComesBackWithTheToolsDelivery(String provider) {
    AgentHarness h =
        start(
            provider,
            BackgroundAgents.builder(slow(Duration.ofSeconds(3)))
                .tool("send_email", Delivery.SPEAK_WHEN_IDLE));
    h.say("CALL send_email");
    h.advance(Duration.ofMillis(10));

    assertThat(tasks)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.toolName()).contains("send_email");
              assertThat(t.functionCall().functionCall().id()).isEqualTo("call-1");
            });
    Part ack =
        h.session.received.stream().filter(Part::isFunctionResponse).findFirst().orElseThrow();
    assertThat(ack.functionResponse().id()).isEqualTo("call-1");
    h.advance(Duration.ofSeconds(10));

    if (provider.equals("gemini")) {
      assertThat(ack.functionResponse().willContinue()).isTrue();
      assertThat(ack.functionResponse().scheduling()).isEqualTo(Scheduling.SILENT);
      List<PartContent.FunctionResponse> responses =
          h.session.received.stream()
              .filter(Part::isFunctionResponse)
              .map(Part::functionResponse)
              .toList();
      assertThat(responses).hasSize(2);
      PartContent.FunctionResponse result = responses.get(1);
      assertThat(result.scheduling()).isEqualTo(Scheduling.WHEN_IDLE);
      assertThat(result.willContinue()).isFalse();
      assertThat(result.response().toString()).contains("email_sent");
    } else {
      assertThat(h.deliveries())
          .singleElement()
          .asString()
          .contains("email_sent")
          .contains("send_email");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "gemini"})
  void whenFullANewTaskIsRefusedAndACallIsAnsweredWithAnError(String provider) {
    AgentHarness h =
        start(
            provider,
            BackgroundAgents.builder(slow(Duration.ofSeconds(30)))
                .everyTurn(Delivery.SPEAK_WHEN_IDLE)
                .tool("send_email", Delivery.SPEAK_WHEN_IDLE)
                .maxTasksInFlight(1)
                .timeout(Duration.ofSeconds(60)));
    h.say("first");
    h.advance(TURN);
    h.say("CALL send_email");
    h.advance(Duration.ofMillis(10));

    assertThat(h.notices("rejected")).hasSize(1);
    Part refusal =
        h.session.received.stream().filter(Part::isFunctionResponse).findFirst().orElseThrow();
    assertThat(refusal.functionResponse().isError()).isTrue();
    assertThat(refusal.functionResponse().response().toString()).contains("already running");
    assertThat(tasks).hasSize(1);
  }

  @Test
  void tenInterleavedConversationsNeverMix() {
    FakeLive fake = new FakeLive("openai", clock);
    AtomicInteger ids = new AtomicInteger();
    BackgroundAgent agent =
        task -> {
          tasks.add(task);
          String said = task.history().get(task.history().size() - 2).text();
          long delay = 1 + (task.conversationId().hashCode() & 0x7fffffff) % 5;
          return Mono.delay(Duration.ofSeconds(delay), clock)
              .map(
                  x ->
                      new AgentResult(
                          AgentResult.COMPLETED,
                          List.of(
                              JsonNodeFactory.instance
                                  .objectNode()
                                  .put("conversation", task.conversationId())
                                  .put("heard", said)),
                          Instant.EPOCH));
        };
    BackgroundAgents agents =
        BackgroundAgents.builder(agent)
            .everyTurn(Delivery.SPEAK_WHEN_IDLE)
            .scheduler(clock)
            .conversationIds(() -> "conv-" + ids.getAndIncrement())
            .build();
    List<AgentHarness> convs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      AgentHarness h = new AgentHarness(agents, fake, clock);
      open.add(h);
      convs.add(h);
    }
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 10; i++) {
        convs.get(i).say("conv " + i + " round " + round);
        clock.advanceTimeBy(Duration.ofMillis(300));
      }
      clock.advanceTimeBy(Duration.ofSeconds(8));
    }
    clock.advanceTimeBy(Duration.ofSeconds(60));

    assertThat(agents.conversations()).hasSize(10);
    for (int i = 0; i < 10; i++) {
      String me = "conv-" + i;
      String mine = "conv " + i + " ";
      assertThat(convs.get(i).deliveries())
          .hasSize(3)
          .allSatisfy(
              d -> assertThat(d).contains("\"conversation\":\"" + me + "\"").contains(mine));
      assertThat(tasks.stream().filter(t -> t.conversationId().equals(me)))
          .hasSize(3)
          .allSatisfy(
              t -> assertThat(t.history()).allSatisfy(p -> assertThat(p.text()).contains(mine)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "gemini"})
  void anHourOfTurnsRunsInFlatMemory(String provider) {
    BackgroundAgents agents =
        BackgroundAgents.builder(slow(Duration.ofSeconds(3)))
            .everyTurn(Delivery.SPEAK_WHEN_IDLE)
            .historyParts(10)
            .scheduler(clock)
            .build();
    AgentHarness h = new AgentHarness(agents, new FakeLive(provider, clock), clock);
    open.add(h);
    int turns = 3600 / 10;
    for (int i = 0; i < turns; i++) {
      h.say("turn " + i);
      clock.advanceTimeBy(Duration.ofSeconds(10));
      ConversationStats s = agents.conversations().get(0);
      assertThat(s.tasksInFlight()).isLessThanOrEqualTo(4);
      assertThat(s.deliveriesWaiting()).isLessThanOrEqualTo(s.tasksInFlight());
      assertThat(s.historyParts()).isLessThanOrEqualTo(10);
      assertThat(s.openToolCalls()).isZero();
    }
    clock.advanceTimeBy(Duration.ofSeconds(60));

    ConversationStats s = agents.conversations().get(0);
    assertThat(s.completedTurns()).isEqualTo(turns);
    assertThat(s.tasksStarted()).isEqualTo(turns);
    assertThat(s.tasksFailed()).isZero();
    assertThat(s.tasksInFlight()).as("completed tasks are forgotten").isZero();
    assertThat(s.historyParts()).isEqualTo(10);
    assertThat(tasks.get(tasks.size() - 1).history()).hasSize(10);
    assertThat(h.deliveries()).hasSize(turns);
    assertThat(h.error.get()).isNull();
  }

  @Test
  void aConversationThatEndsCancelsItsTasksAndIsForgotten() {
    AtomicBoolean cancelled = new AtomicBoolean();
    BackgroundAgents agents =
        BackgroundAgents.builder(
                task -> Mono.<AgentResult>never().doOnCancel(() -> cancelled.set(true)))
            .everyTurn(Delivery.SPEAK_WHEN_IDLE)
            .scheduler(clock)
            .build();
    AgentHarness h = new AgentHarness(agents, new FakeLive("openai", clock), clock);
    h.say("Email Bob");
    h.advance(TURN);
    assertThat(agents.conversations())
        .singleElement()
        .extracting(ConversationStats::tasksInFlight)
        .isEqualTo(1);

    h.close();
    assertThat(cancelled).isTrue();
    assertThat(agents.conversations()).isEmpty();
  }

  @Test
  void anInProcessProcessorIsAnAgent() {
    BackgroundAgent agent =
        BackgroundAgent.of(
            in ->
                in.collectList()
                    .flatMapMany(
                        parts ->
                            reactor.core.publisher.Flux.just(
                                Part.json(
                                    JsonNodeFactory.instance
                                        .objectNode()
                                        .put("action", "calendar_updated")),
                                Part.text("Saw " + parts.size() + " parts, first "),
                                Part.text(parts.get(0).mimeType()))),
            clock);
    AgentResult r =
        agent
            .run(new AgentTask("c", 3, "t1", List.of(Part.text("hi").withRole("user")), null))
            .block(Duration.ofSeconds(5));

    assertThat(r.status()).isEqualTo(AgentResult.COMPLETED);
    assertThat(r.results()).hasSize(2);
    assertThat(r.results().get(0).get("action").asString()).isEqualTo("calendar_updated");
    assertThat(r.results().get(1).get("text").asString())
        .startsWith("Saw 2 parts, first application/json");
  }

  @Test
  void badSettingsAreRefusedWithWhatToDo() {
    BackgroundAgent agent = task -> Mono.empty();
    assertThatThrownBy(() -> BackgroundAgents.builder(agent).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("everyTurn");
    assertThatThrownBy(() -> BackgroundAgents.builder(agent).maxTasksInFlight(0))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> BackgroundAgents.builder(agent).timeout(Duration.ZERO))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> new AgentTask("c", 1, "t", List.of(), Part.text("x")))
        .hasMessageContaining("function-call part");
  }

  static int indexOf(List<Part> parts, java.util.function.Predicate<Part> p) {
    for (int i = 0; i < parts.size(); i++) {
      if (p.test(parts.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
