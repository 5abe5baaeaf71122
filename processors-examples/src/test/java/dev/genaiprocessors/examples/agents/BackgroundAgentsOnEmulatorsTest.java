package dev.genaiprocessors.examples.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.OutOfBandRequest;
import dev.genaiprocessors.live.agents.AgentResult;
import dev.genaiprocessors.live.agents.AgentTask;
import dev.genaiprocessors.live.agents.BackgroundAgent;
import dev.genaiprocessors.live.agents.BackgroundAgents;
import dev.genaiprocessors.live.agents.ConversationStats;
import dev.genaiprocessors.live.agents.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Background agents over the wire, on both providers' emulators: the agents' time (their work, timeouts) is
 * virtual, the conversation runs on loopback. Each case waits for parts with a bounded poll, never a sleep.
 */
class BackgroundAgentsOnEmulatorsTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
  final List<AgentTask> tasks = new CopyOnWriteArrayList<>();
  final List<Disposable> open = new ArrayList<>();
  EmulatorFixtures fixture;

  @AfterEach
  void close() {
    open.forEach(Disposable::dispose);
    if (fixture != null) {
      fixture.close();
    }
    clock.dispose();
  }

  /** One conversation: what the user sends, and every part that came out. */
  final class Conversation {
    final Sinks.Many<Part> user = Sinks.many().unicast().onBackpressureBuffer();
    final BlockingQueue<Part> out = new LinkedBlockingQueue<>();
    final List<Part> seen = new ArrayList<>();

    Conversation(LiveProcessor live) {
      open.add(
          live.apply(user.asFlux()).subscribe(out::add, e -> out.add(Part.status("ERROR " + e))));
    }

    void say(String text) {
      user.tryEmitNext(Part.text(text).withRole("user"));
    }

    /** Parts already matched by an await; an await takes the first part seen and not yet taken. */
    final Set<Part> taken = Collections.newSetFromMap(new IdentityHashMap<>());

    Part await(String what, Predicate<Part> p) throws InterruptedException {
      for (Part s : seen) {
        if (!taken.contains(s) && p.test(s)) {
          taken.add(s);
          return s;
        }
      }
      while (true) {
        Part next = out.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(next).as("%s within %s; seen %s", what, WAIT, seen).isNotNull();
        seen.add(next);
        assertThat(next.isStatus() && next.text().startsWith("ERROR "))
            .as("the conversation never fails: %s", next)
            .isFalse();
        if (p.test(next)) {
          taken.add(next);
          return next;
        }
      }
    }

    void forget() {
      said.setLength(0);
      seen.clear();
      taken.clear();
    }

    /** The end of the assistant's answer to the user (not of a report). */
    void awaitAnswer() throws InterruptedException {
      await("the end of an answer", p -> p.isEndOfTurn() && !OutOfBandRequest.isOutOfBand(p));
    }

    Part awaitNotice(String state) throws InterruptedException {
      return await("a task " + state, p -> state.equals(p.metadata(BackgroundAgents.TASK_STATE)));
    }

    /** What the assistant has said since the last {@link #awaitSaid}, joined (OpenAI streams words). */
    final StringBuilder said = new StringBuilder();

    /** Waits until what the assistant said holds {@code words}; returns it all and starts afresh. */
    String awaitSaid(String words) throws InterruptedException {
      for (Part p : seen) {
        if (!taken.contains(p) && isSaid(p)) {
          taken.add(p);
          said.append(p.text());
        }
      }
      if (!said.toString().contains(words)) {
        await(
            "the assistant saying " + words,
            p -> {
              if (isSaid(p)) {
                said.append(p.text());
              }
              return said.toString().contains(words);
            });
      }
      String all = said.toString();
      said.setLength(0);
      return all;
    }

    boolean isSaid(Part p) {
      return p.isText()
          && "model".equals(p.role())
          && p.substream().isEmpty()
          && !p.text().isEmpty();
    }
  }

  BackgroundAgent slow(Duration d) {
    return task -> {
      tasks.add(task);
      String heard =
          task.history().stream()
              .filter(p -> "user".equals(p.role()))
              .map(Part::text)
              .reduce("", (a, b) -> b);
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
                              .put("heard", heard)),
                      Instant.EPOCH));
    };
  }

  LiveProcessor assistant(String provider, BackgroundAgents.Builder b) {
    fixture = EmulatorFixtures.of(provider);
    return b.scheduler(clock).build().around(fixture.live());
  }

  @ParameterizedTest
  @ValueSource(strings = {"gemini", "openai"})
  void aSlowAgentLetsTheConversationGoOnAndItsResultIsSpoken(String provider) throws Exception {
    Conversation c =
        new Conversation(
            assistant(
                provider,
                BackgroundAgents.builder(slow(Duration.ofSeconds(5)))
                    .everyTurn(Delivery.SPEAK_WHEN_IDLE)));
    c.say("Email Bob that I am late");
    c.awaitAnswer();
    c.awaitNotice("started");

    c.say("How is the weather?");
    c.awaitAnswer(); // the conversation goes on while the task runs
    assertThat(c.seen).noneMatch(p -> "completed".equals(p.metadata(BackgroundAgents.TASK_STATE)));

    clock.advanceTimeBy(Duration.ofSeconds(5));
    c.awaitNotice("completed");
    assertThat(c.awaitSaid("\"heard\":\"Email Bob that I am late\""))
        .contains("email_sent")
        .contains("(report)")
        .contains("Email Bob that I am late");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gemini", "openai"})
  void aFailingAgentIsReportedAndTheConversationGoesOn(String provider) throws Exception {
    Conversation c =
        new Conversation(
            assistant(
                provider,
                BackgroundAgents.builder(
                        task -> Mono.error(new IllegalStateException("the mail server refused")))
                    .everyTurn(Delivery.SPEAK_WHEN_IDLE)));
    c.say("Email Bob");
    c.awaitAnswer();
    c.awaitNotice("failed");
    c.awaitSaid("the mail server refused");
    c.say("Never mind");
    c.awaitAnswer();
  }

  @ParameterizedTest
  @ValueSource(strings = {"gemini", "openai"})
  void aTimedOutAgentIsCancelledAndReported(String provider) throws Exception {
    AtomicBoolean cancelled = new AtomicBoolean();
    Conversation c =
        new Conversation(
            assistant(
                provider,
                BackgroundAgents.builder(
                        task -> Mono.<AgentResult>never().doOnCancel(() -> cancelled.set(true)))
                    .everyTurn(Delivery.SPEAK_WHEN_IDLE)
                    .timeout(Duration.ofSeconds(10))));
    c.say("Research flights to Lisbon");
    c.awaitAnswer();
    c.awaitNotice("started");
    clock.advanceTimeBy(Duration.ofSeconds(10));
    c.awaitNotice("timed_out");
    assertThat(cancelled).isTrue();
    c.awaitSaid("timed out after 10 s");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gemini", "openai"})
  void aReportCutByTheUserIsNotRepeated(String provider) throws Exception {
    Conversation c =
        new Conversation(
            assistant(
                provider,
                BackgroundAgents.builder(slow(Duration.ofSeconds(1)))
                    .everyTurn(Delivery.SPEAK_WHEN_IDLE)));
    fixture.holdReports().set(true);
    c.say("Email Bob");
    c.awaitAnswer();
    c.awaitNotice("started");
    clock.advanceTimeBy(Duration.ofSeconds(1));
    c.awaitSaid("(report)");

    c.user.tryEmitNext(fixture.bargeIn());
    c.awaitNotice("delivery_interrupted");
    fixture.holdReports().set(false);
    c.say("What was that?");
    c.awaitAnswer();
    assertThat(c.seen.stream().filter(p -> p.isText() && p.text().startsWith("(report)")).count())
        .as("reports spoken")
        .isOne();
  }

  @ParameterizedTest
  @ValueSource(strings = {"gemini", "openai"})
  void aFunctionCallRunsInTheBackground(String provider) throws Exception {
    Conversation c =
        new Conversation(
            assistant(
                provider,
                BackgroundAgents.builder(slow(Duration.ofSeconds(3)))
                    .tool("send_email", Delivery.SPEAK_WHEN_IDLE)));
    fixture.scriptToolCall();
    c.say("CALL send_email");
    c.await("the call", Part::isFunctionCall);
    c.awaitNotice("started");
    assertThat(tasks)
        .singleElement()
        .satisfies(t -> assertThat(t.toolName()).contains("send_email"));
    c.awaitAnswer();

    clock.advanceTimeBy(Duration.ofSeconds(3));
    c.awaitNotice("completed");
    // Gemini: a NON_BLOCKING function response, WHEN_IDLE, prompts the model; OpenAI: an
    // out-of-band report.
    c.awaitSaid(provider.equals("gemini") ? "(reported)" : "email_sent");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gemini", "openai"})
  void tenInterleavedConversationsNeverMix(String provider) throws Exception {
    AtomicInteger ids = new AtomicInteger();
    LiveProcessor live =
        assistant(
            provider,
            BackgroundAgents.builder(slow(Duration.ofSeconds(2)))
                .everyTurn(Delivery.SPEAK_WHEN_IDLE)
                .conversationIds(() -> "conv-" + ids.getAndIncrement()));
    List<Conversation> convs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Conversation c = new Conversation(live);
      convs.add(c);
      c.say("I am caller " + i + ".");
    }
    for (Conversation c : convs) {
      c.awaitAnswer();
      c.awaitNotice("started");
    }
    clock.advanceTimeBy(Duration.ofSeconds(2));
    for (int i = 0; i < 10; i++) {
      String said = convs.get(i).awaitSaid("\"heard\":\"I am caller " + i + ".\"");
      assertThat(said).contains("email_sent");
      String id =
          String.valueOf(
              convs.get(i).seen.stream()
                  .filter(p -> p.metadata(BackgroundAgents.CONVERSATION_ID) != null)
                  .findFirst()
                  .orElseThrow()
                  .metadata(BackgroundAgents.CONVERSATION_ID));
      assertThat(said).contains("\"conversation\":\"" + id + "\"").contains("caller " + i + ".");
      for (int j = 0; j < 10; j++) {
        if (j != i) {
          assertThat(said).doesNotContain("caller " + j + ".");
        }
      }
    }
    assertThat(tasks).hasSize(10);
    assertThat(tasks.stream().map(AgentTask::conversationId).distinct()).hasSize(10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gemini", "openai"})
  void anHourOfTurnsRunsInFlatMemory(String provider) throws Exception {
    BackgroundAgents agents =
        BackgroundAgents.builder(slow(Duration.ofSeconds(3)))
            .everyTurn(Delivery.SPEAK_WHEN_IDLE)
            .historyParts(10)
            .scheduler(clock)
            .build();
    fixture = EmulatorFixtures.of(provider);
    Conversation c = new Conversation(agents.around(fixture.live()));
    int turns = 3600 / 30; // a turn every 30 s of virtual time
    for (int i = 0; i < turns; i++) {
      c.say("turn " + i);
      c.awaitAnswer();
      c.awaitNotice("started");
      clock.advanceTimeBy(Duration.ofSeconds(30));
      c.awaitSaid("turn " + i);
      c.await(
          "the end of the report",
          Part::isEndOfTurn); // its own turn (Gemini), out of band (OpenAI)
      ConversationStats s = agents.conversations().get(0);
      assertThat(s.tasksInFlight()).isLessThanOrEqualTo(1);
      assertThat(s.historyParts()).isLessThanOrEqualTo(10);
      assertThat(s.deliveriesWaiting()).isZero();
      c.forget(); // the test's own record stays flat too
    }
    ConversationStats s = agents.conversations().get(0);
    assertThat(s.completedTurns()).isEqualTo(turns);
    assertThat(s.tasksStarted()).isEqualTo(turns);
    assertThat(s.tasksFailed()).isZero();
    assertThat(tasks.get(tasks.size() - 1).history()).hasSize(10);
  }
}
