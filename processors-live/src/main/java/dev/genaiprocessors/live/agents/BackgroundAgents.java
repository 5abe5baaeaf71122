package dev.genaiprocessors.live.agents;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.LiveProcessor;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Background agents beside a live conversation: long work runs while the conversation goes on, and its
 * result comes back as the application chooses ({@link Delivery}). Wrap any {@link LiveProcessor}:
 *
 * <pre>{@code
 * LiveProcessor assistant = BackgroundAgents.builder(agent)
 *     .everyTurn(Delivery.SPEAK_WHEN_IDLE)                 // each completed turn goes to the agent
 *     .tool("send_email", Delivery.SPEAK_WHEN_IDLE)        // or the model calls a function
 *     .tool("update_calendar", Delivery.CONTEXT_ONLY)
 *     .observationRegistry(registry)
 *     .build()
 *     .around(live);
 * }</pre>
 *
 * <p><b>Two ways in.</b> <em>Every turn</em>: when the model's turn ends after the user spoke or wrote (a
 * complete user→assistant pair, never mid-turn, so no tokens mix), the conversation so far goes to the agent
 * as a task, and the conversation goes on. <em>Function calling</em>: a call of a function named with
 * {@link Builder#tool} starts a task with the call and the conversation so far; the model is answered at once
 * that the task runs in the background. Declare those functions to the model as the application's other tools
 * (on Gemini as NON_BLOCKING, with {@code nonBlockingTools}), and run no other tool runner on the same names.
 *
 * <p><b>Results</b> come back per {@link Delivery} (see its table for each provider). A result to be spoken
 * when idle waits until the assistant has finished its answer and the user is not speaking; results are
 * spoken one at a time. If the user cuts the report, it is not repeated (on OpenAI the result is then added to
 * the context, so the assistant still knows it).
 *
 * <p><b>Failure.</b> A task that fails, times out ({@link Builder#timeout}) or answers nothing never ends the
 * conversation: the assistant is told, with the chosen delivery (a function call is answered with an error),
 * and can say so. <b>Bounds.</b> At most {@link Builder#maxTasksInFlight} tasks per conversation run or wait
 * to be spoken; when full, a new task is refused, not queued: a turn's task is skipped (the next turn's task
 * sees the whole history anyway), a function call is answered with an error the assistant can say. Completed
 * tasks are forgotten and the history is a window of {@link Builder#historyParts} parts, so memory stays flat
 * however long the conversation runs.
 *
 * <p><b>Output.</b> Every part of the live processor, plus a {@link Part#status status} part at each step of a
 * task ({@value #TASK_STATE}: {@code started}, {@code completed}, {@code failed}, {@code timed_out},
 * {@code rejected}, {@code delivery_interrupted}), with {@value #CONVERSATION_ID} and {@value #TASK_ID}.
 *
 * <p><b>Concurrency.</b> Each subscription to the wrapped processor is one conversation with its own id,
 * history and tasks: conversations never mix. The agent is called from any thread and must not block. When
 * the input ends, the conversation waits for its tasks in flight (each bounded by the timeout) and then ends
 * the model's input; cancelling the output cancels its tasks. Tracing: with an {@link ObservationRegistry},
 * each conversation is an observation with the turns, model responses, tool calls and tasks in it (ids,
 * durations on the scheduler, outcomes) and events for interruptions; never audio, text or keys. Without one,
 * nothing is recorded. Immutable and thread-safe.
 */
public final class BackgroundAgents {

  /** Metadata key of the notices: the conversation's id. */
  public static final String CONVERSATION_ID = "conversation_id";

  /** Metadata key of the notices: the task's id. */
  public static final String TASK_ID = "agent_task_id";

  /** Metadata key of the notices: what happened to the task. */
  public static final String TASK_STATE = "agent_task_state";

  final BackgroundAgent agent;
  final @Nullable Delivery everyTurn;
  final Map<String, Delivery> tools;
  final Duration timeout;
  final int maxTasksInFlight;
  final int historyParts;
  final Scheduler scheduler;
  final @Nullable ObservationRegistry registry;
  final Supplier<String> conversationIds;
  final String instructions;
  private final Set<AgentConversation> live = ConcurrentHashMap.newKeySet();

  private BackgroundAgents(Builder b) {
    this.agent = b.agent;
    this.everyTurn = b.everyTurn;
    this.tools = Map.copyOf(b.tools);
    this.timeout = b.timeout;
    this.maxTasksInFlight = b.maxTasksInFlight;
    this.historyParts = b.historyParts;
    this.scheduler = b.scheduler;
    this.registry = b.registry;
    this.conversationIds = b.conversationIds;
    this.instructions = b.instructions;
  }

  /**
   * A builder around an agent.
   *
   * @param agent does the work of each task
   * @return a new builder
   */
  public static Builder builder(BackgroundAgent agent) {
    return new Builder(agent);
  }

  /**
   * The live processor with background agents: the same provider, the same parts in and out, plus the task
   * notices.
   *
   * @param model the live provider
   * @return a live processor; each subscription is one conversation
   */
  public LiveProcessor around(LiveProcessor model) {
    Objects.requireNonNull(model, "model");
    return new LiveProcessor() {
      @Override
      public String provider() {
        return model.provider();
      }

      @Override
      public int inputSampleRate() {
        return model.inputSampleRate();
      }

      @Override
      public int outputSampleRate() {
        return model.outputSampleRate();
      }

      @Override
      public Flux<Part> apply(Flux<Part> input) {
        return Flux.defer(() -> conversation(model, input));
      }
    };
  }

  private Flux<Part> conversation(LiveProcessor model, Flux<Part> input) {
    AgentConversation c =
        new AgentConversation(
            this,
            Objects.requireNonNull(conversationIds.get(), "conversation id"),
            model.provider());
    live.add(c);
    Flux<Part> in = Flux.merge(input.doOnNext(c::onInput).doOnComplete(c::inputEnded), c.toModel());
    Flux<Part> out =
        model
            .apply(in)
            .doOnNext(c::onOutput)
            .doOnError(e -> c.close(SignalType.ON_ERROR, e))
            .doOnTerminate(c::endNotices)
            .doFinally(
                signal -> {
                  c.close(signal, null);
                  live.remove(c);
                });
    return Flux.merge(out, c.notices());
  }

  /**
   * What each conversation in progress holds now: for metrics, and for tests of flat memory.
   *
   * @return one entry per conversation in progress, in no particular order
   */
  public List<ConversationStats> conversations() {
    List<ConversationStats> all = new ArrayList<>();
    for (AgentConversation c : live) {
      all.add(c.stats());
    }
    return all;
  }

  /** Builds {@link BackgroundAgents}; not thread-safe. */
  public static final class Builder {
    private final BackgroundAgent agent;
    private @Nullable Delivery everyTurn;
    private final Map<String, Delivery> tools = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(30);
    private int maxTasksInFlight = 4;
    private int historyParts = 40;
    private Scheduler scheduler = Schedulers.parallel();
    private @Nullable ObservationRegistry registry;
    private Supplier<String> conversationIds = () -> UUID.randomUUID().toString();
    private String instructions =
        "Tell the user the outcome of this background task in one short sentence, without reading out raw data.";

    private Builder(BackgroundAgent agent) {
      this.agent = Objects.requireNonNull(agent, "agent");
    }

    /**
     * Hand every completed turn to the agent; off by default.
     *
     * @param delivery how each result comes back
     * @return this builder
     */
    public Builder everyTurn(Delivery delivery) {
      this.everyTurn = Objects.requireNonNull(delivery, "delivery");
      return this;
    }

    /**
     * A function whose calls start background tasks.
     *
     * @param name the function's name, as declared to the model
     * @param delivery how its results come back
     * @return this builder
     * @throws IllegalArgumentException when the name is blank
     */
    public Builder tool(String name, Delivery delivery) {
      if (Objects.requireNonNull(name, "name").isBlank()) {
        throw new IllegalArgumentException("a background tool needs the function's name");
      }
      tools.put(name, Objects.requireNonNull(delivery, "delivery"));
      return this;
    }

    /**
     * The longest a task may run; past it the task is cancelled and the assistant told. Also the longest a
     * spoken report is waited for before the next result may be spoken. Default 30 s.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder timeout(Duration timeout) {
      if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * The most tasks of one conversation running or waiting to be spoken; default 4. When full, a new task is
     * refused (see the class Javadoc).
     *
     * @param max at least 1
     * @return this builder
     * @throws IllegalArgumentException when less than 1
     */
    public Builder maxTasksInFlight(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxTasksInFlight must be at least 1, was " + max);
      }
      this.maxTasksInFlight = max;
      return this;
    }

    /**
     * The most parts of history a task sees (each turn adds up to two: the user's words and the
     * assistant's); the oldest go first. Default 40.
     *
     * @param parts at least 2
     * @return this builder
     * @throws IllegalArgumentException when less than 2
     */
    public Builder historyParts(int parts) {
      if (parts < 2) {
        throw new IllegalArgumentException("historyParts must be at least 2, was " + parts);
      }
      this.historyParts = parts;
      return this;
    }

    /**
     * Where timeouts are counted and durations read; default {@link Schedulers#parallel()} (virtual time in
     * tests).
     *
     * @param scheduler the clock and timer
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Trace conversations into this registry; by default nothing is recorded.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder observationRegistry(ObservationRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Where conversation ids come from, one per subscription; default random UUIDs.
     *
     * @param ids gives a new, unique id at each call
     * @return this builder
     */
    public Builder conversationIds(Supplier<String> ids) {
      this.conversationIds = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /**
     * The instructions that go with a result to be spoken.
     *
     * @param instructions for the model, such as "Tell the user the outcome in one sentence."
     * @return this builder
     */
    public Builder instructions(String instructions) {
      this.instructions = Objects.requireNonNull(instructions, "instructions");
      return this;
    }

    /**
     * The background agents.
     *
     * @return an immutable, reusable instance
     * @throws IllegalStateException when neither {@link #everyTurn} nor a {@link #tool} was set
     */
    public BackgroundAgents build() {
      if (everyTurn == null && tools.isEmpty()) {
        throw new IllegalStateException(
            "Background agents need a way in: call everyTurn(delivery), tool(name, delivery), or both");
      }
      return new BackgroundAgents(this);
    }
  }
}
