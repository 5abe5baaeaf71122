package dev.genaiprocessors.live.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.node.JsonNodeFactory;

/** The trace of one conversation, span by span, on virtual time. */
class ConversationTraceTest {
  final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

  /** Writes each start, stop and event as a line, with the ids at start and outcome and duration at stop. */
  static final class Recorder implements ObservationHandler<Observation.Context> {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<Observation.Context> contexts = new CopyOnWriteArrayList<>();

    @Override
    public void onStart(Observation.Context c) {
      contexts.add(c);
      String id = "";
      for (String k : List.of("turn.id", "task.id", "call.id")) {
        KeyValue kv = c.getHighCardinalityKeyValue(k);
        if (kv != null && id.isEmpty()) {
          id = " " + k + "=" + kv.getValue();
        }
      }
      lines.add("start " + c.getName() + id);
    }

    @Override
    public void onStop(Observation.Context c) {
      lines.add(
          "stop "
              + c.getName()
              + " "
              + value(c.getLowCardinalityKeyValue("outcome"))
              + " "
              + value(c.getHighCardinalityKeyValue("duration.ms")));
    }

    @Override
    public void onEvent(Observation.Event event, Observation.Context c) {
      lines.add("event " + c.getName() + " " + event.getName());
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }

    static String value(@Nullable KeyValue kv) {
      return kv == null ? "-" : kv.getValue();
    }
  }

  @Test
  void aConversationIsTracedSpanBySpan() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    Recorder rec = new Recorder();
    registry.observationConfig().observationHandler(rec);
    BackgroundAgent agent =
        task ->
            Mono.delay(Duration.ofSeconds(1), clock)
                .map(
                    x ->
                        new AgentResult(
                            AgentResult.COMPLETED,
                            List.of(
                                JsonNodeFactory.instance.objectNode().put("action", "email_sent")),
                            Instant.EPOCH));
    BackgroundAgents agents =
        BackgroundAgents.builder(agent)
            .everyTurn(Delivery.SPEAK_WHEN_IDLE)
            .scheduler(clock)
            .observationRegistry(registry)
            .conversationIds(() -> "conv-1")
            .build();
    AgentHarness h = new AgentHarness(agents, new FakeLive("openai", clock), clock);

    h.say("My key is sk-secret-123, email Bob"); // t = 0
    h.advance(Duration.ofSeconds(6)); // answer 0.1-2.1 s, task 2.1-3.1 s, report 3.1-5.2 s
    h.say("CALL lookup"); // t = 6: a tool of the application's own
    h.advance(Duration.ofSeconds(1));
    h.user.tryEmitNext(
        Part.functionResult(
            "call-1", "lookup", JsonNodeFactory.instance.objectNode().put("found", true)));
    h.advance(Duration.ofSeconds(1)); // t = 8: the answer to the result started at 7.1 s
    h.session.bargeIn();
    h.session.emit(Part.endOfSpeech().withRole("user"));
    h.advance(Duration.ofSeconds(12)); // t = 20
    h.close();

    assertThat(rec.lines)
        .containsExactly(
            "start genai.conversation",
            "start genai.conversation.turn turn.id=1",
            "start genai.model.response turn.id=1",
            "stop genai.model.response completed 2000",
            "stop genai.conversation.turn completed 2100",
            "start genai.agent.task task.id=t1",
            "stop genai.agent.task completed 1000",
            "start genai.conversation.turn turn.id=2",
            "start genai.tool.call call.id=call-1",
            "stop genai.tool.call answered 1000",
            "start genai.model.response turn.id=2",
            "event genai.conversation.turn interrupted",
            "event genai.conversation interrupted",
            "stop genai.model.response interrupted 900",
            "stop genai.conversation.turn interrupted 2000",
            "start genai.agent.task task.id=t2",
            "stop genai.agent.task completed 1000",
            "stop genai.conversation cancelled 20000");

    TestObservationRegistryAssert.assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo(ConversationTrace.CONVERSATION, 1)
        .hasNumberOfObservationsWithNameEqualTo(ConversationTrace.TURN, 2)
        .hasNumberOfObservationsWithNameEqualTo(ConversationTrace.TASK, 2)
        .forAllObservationsWithNameEqualTo(
            ConversationTrace.TASK,
            t ->
                t.hasLowCardinalityKeyValue("task.kind", "turn")
                    .hasHighCardinalityKeyValue("result.status", "completed"))
        .hasObservationWithNameEqualTo(ConversationTrace.CONVERSATION)
        .that()
        .hasLowCardinalityKeyValue("provider", "openai")
        .hasHighCardinalityKeyValue("conversation.id", "conv-1")
        .hasEvent(ConversationTrace.INTERRUPTED);
    for (Observation.Context c : rec.contexts) {
      String parent =
          c.getParentObservation() == null
              ? null
              : c.getParentObservation().getContextView().getName();
      switch (c.getName()) {
        case ConversationTrace.CONVERSATION -> assertThat(parent).isNull();
        case ConversationTrace.TURN, ConversationTrace.TASK ->
            assertThat(parent).isEqualTo(ConversationTrace.CONVERSATION);
        default -> assertThat(parent).isEqualTo(ConversationTrace.TURN);
      }
      for (KeyValue kv : c.getAllKeyValues()) {
        assertThat(kv.getValue())
            .doesNotContain("sk-secret")
            .doesNotContain("Bob")
            .doesNotContain("email_sent");
      }
    }
  }

  @Test
  void withoutARegistryNothingIsCreated() {
    ConversationTrace off = new ConversationTrace(null, clock, "c", "openai");
    ConversationTrace.Span turn = off.turn(1);
    assertThat(turn.observation).isNull();
    assertThat(off.task("t1", 1, "turn", null).observation).isNull();
    off.event(turn, ConversationTrace.INTERRUPTED);
    off.stop(turn, "completed"); // no effect, no error
  }
}
