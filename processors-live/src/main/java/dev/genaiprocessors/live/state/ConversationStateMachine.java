package dev.genaiprocessors.live.state;

import static dev.genaiprocessors.live.ConversationState.IDLE;
import static dev.genaiprocessors.live.ConversationState.INTERRUPTED;
import static dev.genaiprocessors.live.ConversationState.LISTENING;
import static dev.genaiprocessors.live.ConversationState.PROCESSING;
import static dev.genaiprocessors.live.ConversationState.SPEAKING;
import static dev.genaiprocessors.live.state.ConversationAction.ANSWER_ENDED;
import static dev.genaiprocessors.live.state.ConversationAction.ANSWER_INTERRUPTED;
import static dev.genaiprocessors.live.state.ConversationAction.ANSWER_STARTED;
import static dev.genaiprocessors.live.state.ConversationAction.USER_STARTED_SPEAKING;
import static dev.genaiprocessors.live.state.ConversationAction.USER_STOPPED_SPEAKING;
import static dev.genaiprocessors.live.state.ConversationAction.USER_TURN_ENDED;

import dev.genaiprocessors.core.functions.Tool;
import dev.genaiprocessors.live.ConversationState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The states of one live conversation as an explicit transition table: {@code (state, action) -> state}.
 * Every change goes through {@link #fire}; an action the table does not allow in the current state is
 * refused with an {@link InvalidTransitionException} (the state stays), never ignored.
 *
 * <pre>{@code
 * ConversationStateMachine machine = ConversationStateMachine.builder()
 *     .onEnter(ConversationState.SPEAKING, t -> ui.showSpeaking(t.metadata()))
 *     .build();
 * machine.fire(ConversationAction.USER_STARTED_SPEAKING);          // IDLE -> LISTENING
 * Tool changeState = machine.changeStateTool();                     // lets a model drive it
 * }</pre>
 *
 * <p><b>The default table</b> ({@link #defaultTable()}), from the state on the left:
 *
 * <table>
 *   <caption>Default transitions; any pair not listed is invalid</caption>
 *   <tr><th>state</th><th>action</th><th>next state</th></tr>
 *   <tr><td>IDLE</td><td>USER_STARTED_SPEAKING / USER_STOPPED_SPEAKING / USER_TURN_ENDED / ANSWER_STARTED
 *       / ANSWER_ENDED</td><td>LISTENING / IDLE / PROCESSING / SPEAKING (the model speaks first: a greeting,
 *       an answer to a function result) / IDLE</td></tr>
 *   <tr><td>LISTENING</td><td>USER_STARTED_SPEAKING / USER_STOPPED_SPEAKING / USER_TURN_ENDED /
 *       ANSWER_INTERRUPTED / ANSWER_ENDED</td><td>LISTENING / IDLE / PROCESSING / LISTENING / LISTENING (a
 *       provider confirming the cut, and the end of the cut-off answer, while the user speaks)</td></tr>
 *   <tr><td>PROCESSING</td><td>USER_STARTED_SPEAKING / USER_TURN_ENDED / ANSWER_STARTED /
 *       ANSWER_INTERRUPTED / ANSWER_ENDED</td><td>INTERRUPTED (barge-in) / PROCESSING / SPEAKING /
 *       INTERRUPTED / IDLE</td></tr>
 *   <tr><td>SPEAKING</td><td>USER_STARTED_SPEAKING / ANSWER_INTERRUPTED / ANSWER_ENDED</td>
 *       <td>INTERRUPTED (barge-in) / INTERRUPTED / IDLE</td></tr>
 *   <tr><td>INTERRUPTED</td><td>USER_STARTED_SPEAKING / USER_TURN_ENDED / ANSWER_INTERRUPTED /
 *       ANSWER_ENDED</td><td>LISTENING / PROCESSING / INTERRUPTED / IDLE</td></tr>
 * </table>
 *
 * <p>So, for example, an answer cannot start while the user is speaking (LISTENING, ANSWER_STARTED), an
 * idle conversation has nothing to interrupt (IDLE, ANSWER_INTERRUPTED), and the user cannot end a turn
 * over an answer that goes on (SPEAKING, USER_TURN_ENDED: interrupt it first). {@link Builder#transition}
 * adds or overrides entries; {@link Builder#table} replaces the table.
 *
 * <p><b>Handlers</b> ({@link Builder#onTransition}, {@link Builder#onEnter}, {@link #listen}) get every
 * {@link ConversationTransition} with the action's metadata, self-transitions included (check
 * {@link ConversationTransition#changed()}). {@link Builder#onInvalid} handlers get each refused action
 * before {@link #fire} throws it.
 *
 * <p><b>Concurrency.</b> Thread-safe: {@link #fire} is atomic, and handlers run on the thread that fired,
 * one transition at a time, in the order the transitions happened, while the machine is held; they must
 * be quick and must not block. A handler that fires again (re-entrantly) gets an
 * {@link IllegalStateException}. A handler that throws fails that {@link #fire} with its exception, after
 * the transition is made and the handlers before it ran. <b>Time</b>: transitions are stamped with the
 * {@link Builder#scheduler scheduler}'s clock.
 */
public final class ConversationStateMachine {

  /** The name of {@link #changeStateTool()}: {@value}. */
  public static final String CHANGE_STATE = "change_state";

  private static final Map<ConversationState, Map<ConversationAction, ConversationState>>
      DEFAULT_TABLE = buildDefaultTable();

  private final Map<ConversationState, Map<ConversationAction, ConversationState>> table;
  private final Scheduler scheduler;
  private final List<Consumer<ConversationTransition>> handlers = new CopyOnWriteArrayList<>();
  private final List<Consumer<InvalidTransitionException>> invalidHandlers;
  private ConversationState state;
  private boolean firing;

  private ConversationStateMachine(Builder b) {
    Map<ConversationState, Map<ConversationAction, ConversationState>> copy =
        new EnumMap<>(ConversationState.class);
    b.table.forEach((from, row) -> copy.put(from, Collections.unmodifiableMap(new EnumMap<>(row))));
    this.table = Collections.unmodifiableMap(copy);
    this.scheduler = b.scheduler;
    this.state = b.initial;
    this.handlers.addAll(b.handlers);
    this.invalidHandlers = List.copyOf(b.invalidHandlers);
  }

  /**
   * A builder with the default table, the initial state {@link ConversationState#IDLE}, no handlers and
   * {@code Schedulers.parallel()}'s clock.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A machine with the default table, starting {@link ConversationState#IDLE}, with no handlers.
   *
   * @return a new machine
   */
  public static ConversationStateMachine create() {
    return builder().build();
  }

  /**
   * The default transition table (see the class comment).
   *
   * @return an unmodifiable map from state to its allowed actions and their next states
   */
  public static Map<ConversationState, Map<ConversationAction, ConversationState>> defaultTable() {
    return DEFAULT_TABLE;
  }

  /**
   * The current state.
   *
   * @return the state
   */
  public synchronized ConversationState state() {
    return state;
  }

  /**
   * This machine's transition table.
   *
   * @return an unmodifiable map from state to its allowed actions and their next states
   */
  public Map<ConversationState, Map<ConversationAction, ConversationState>> table() {
    return table;
  }

  /**
   * The actions the table allows in the current state.
   *
   * @return the allowed actions
   */
  public synchronized Set<ConversationAction> allowedActions() {
    return row(state).keySet();
  }

  /**
   * Fires an action with no metadata.
   *
   * @param action what happened
   * @return the transition made
   * @throws InvalidTransitionException when the table does not allow the action in the current state
   */
  public ConversationTransition fire(ConversationAction action) {
    return fire(action, Map.of());
  }

  /**
   * Fires an action: looks up {@code (state, action)} in the table, moves to the next state, and runs the
   * handlers with the transition (which carries {@code metadata}).
   *
   * @param action what happened
   * @param metadata what the action carries, given to the handlers; copied
   * @return the transition made
   * @throws InvalidTransitionException when the table does not allow the action in the current state (the
   *     state stays; the {@link Builder#onInvalid} handlers ran first)
   * @throws IllegalStateException when called from one of this machine's handlers
   */
  public synchronized ConversationTransition fire(
      ConversationAction action, Map<String, ?> metadata) {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(metadata, "metadata");
    if (firing) {
      throw new IllegalStateException(
          "a handler of the ConversationStateMachine fired "
              + action
              + " while handling a transition; fire from outside the handlers");
    }
    Map<ConversationAction, ConversationState> row = row(state);
    ConversationState next = row.get(action);
    if (next == null) {
      InvalidTransitionException invalid =
          new InvalidTransitionException(state, action, row.keySet());
      for (Consumer<InvalidTransitionException> h : invalidHandlers) {
        h.accept(invalid);
      }
      throw invalid;
    }
    ConversationTransition t =
        new ConversationTransition(
            state,
            action,
            next,
            new LinkedHashMap<>(metadata),
            scheduler.now(TimeUnit.MILLISECONDS));
    state = next;
    firing = true;
    try {
      for (Consumer<ConversationTransition> h : handlers) {
        h.accept(t);
      }
    } finally {
      firing = false;
    }
    return t;
  }

  /**
   * Adds a handler of every later transition.
   *
   * @param handler called with each transition, as {@link Builder#onTransition} handlers are
   * @return disposing it removes the handler
   */
  public Disposable listen(Consumer<ConversationTransition> handler) {
    Objects.requireNonNull(handler, "handler");
    handlers.add(handler);
    return () -> handlers.remove(handler);
  }

  /**
   * A tool that lets a model drive this machine, as the patterns' {@code change_state}: its argument
   * {@code action} is the wire name of a {@link ConversationAction} ({@code user_turn_ended}, ...), with an
   * optional {@code reason}; both go into the transition's metadata with {@code source: "tool"}. It answers
   * {@code {"from", "action", "to"}}; an action the table refuses, or an unknown name, fails the call, which
   * function calling answers to the model as an error naming the allowed actions. Runs on the caller's
   * thread (it never blocks).
   *
   * @return the {@value #CHANGE_STATE} tool
   */
  public Tool changeStateTool() {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    ObjectNode schema = nodes.objectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    ObjectNode action =
        properties
            .putObject("action")
            .put("type", "string")
            .put("description", "what happened in the conversation");
    for (ConversationAction a : ConversationAction.values()) {
      action.withArray("enum").add(a.wireName());
    }
    properties
        .putObject("reason")
        .put("type", "string")
        .put("description", "why, in a few words (optional)");
    schema.putArray("required").add("action");
    return Tool.async(
        CHANGE_STATE,
        "Moves the conversation's state machine by an action; answers the state it moved from and to.",
        schema,
        args -> Mono.fromCallable(() -> fireFromTool(args)));
  }

  private JsonNode fireFromTool(JsonNode args) {
    JsonNode name = args.get("action");
    String text = name == null || name.isNull() ? "" : name.asString();
    ConversationAction action =
        ConversationAction.fromWireName(text)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown action '"
                            + text
                            + "'; give one of "
                            + java.util.Arrays.stream(ConversationAction.values())
                                .map(ConversationAction::wireName)
                                .toList()));
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("source", "tool");
    JsonNode reason = args.get("reason");
    if (reason != null && reason.isString()) {
      metadata.put("reason", reason.asString());
    }
    ConversationTransition t = fire(action, metadata);
    return JsonNodeFactory.instance
        .objectNode()
        .put("from", t.from().name().toLowerCase(java.util.Locale.ROOT))
        .put("action", t.action().wireName())
        .put("to", t.to().name().toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public synchronized String toString() {
    return "ConversationStateMachine[" + state + "]";
  }

  private Map<ConversationAction, ConversationState> row(ConversationState s) {
    Map<ConversationAction, ConversationState> row = table.get(s);
    return row == null ? Map.of() : row;
  }

  private static Map<ConversationState, Map<ConversationAction, ConversationState>>
      buildDefaultTable() {
    Builder b = new Builder(false);
    b.transition(IDLE, USER_STARTED_SPEAKING, LISTENING)
        .transition(IDLE, USER_STOPPED_SPEAKING, IDLE)
        .transition(IDLE, USER_TURN_ENDED, PROCESSING)
        .transition(IDLE, ANSWER_STARTED, SPEAKING)
        .transition(IDLE, ANSWER_ENDED, IDLE)
        .transition(LISTENING, USER_STARTED_SPEAKING, LISTENING)
        .transition(LISTENING, USER_STOPPED_SPEAKING, IDLE)
        .transition(LISTENING, USER_TURN_ENDED, PROCESSING)
        .transition(LISTENING, ANSWER_INTERRUPTED, LISTENING)
        .transition(LISTENING, ANSWER_ENDED, LISTENING)
        .transition(PROCESSING, USER_STARTED_SPEAKING, INTERRUPTED)
        .transition(PROCESSING, USER_TURN_ENDED, PROCESSING)
        .transition(PROCESSING, ANSWER_STARTED, SPEAKING)
        .transition(PROCESSING, ANSWER_INTERRUPTED, INTERRUPTED)
        .transition(PROCESSING, ANSWER_ENDED, IDLE)
        .transition(SPEAKING, USER_STARTED_SPEAKING, INTERRUPTED)
        .transition(SPEAKING, ANSWER_INTERRUPTED, INTERRUPTED)
        .transition(SPEAKING, ANSWER_ENDED, IDLE)
        .transition(INTERRUPTED, USER_STARTED_SPEAKING, LISTENING)
        .transition(INTERRUPTED, USER_TURN_ENDED, PROCESSING)
        .transition(INTERRUPTED, ANSWER_INTERRUPTED, INTERRUPTED)
        .transition(INTERRUPTED, ANSWER_ENDED, IDLE);
    Map<ConversationState, Map<ConversationAction, ConversationState>> table =
        new EnumMap<>(ConversationState.class);
    b.table.forEach((from, row) -> table.put(from, Collections.unmodifiableMap(row)));
    return Collections.unmodifiableMap(table);
  }

  /** Configures a {@link ConversationStateMachine}; setters check their argument at once. */
  public static final class Builder {
    private final Map<ConversationState, Map<ConversationAction, ConversationState>> table =
        new EnumMap<>(ConversationState.class);
    private ConversationState initial = IDLE;
    private Scheduler scheduler = Schedulers.parallel();
    private final List<Consumer<ConversationTransition>> handlers = new ArrayList<>();
    private final List<Consumer<InvalidTransitionException>> invalidHandlers = new ArrayList<>();

    private Builder() {
      this(true);
    }

    private Builder(boolean withDefaults) {
      if (withDefaults) {
        table(DEFAULT_TABLE);
      }
    }

    /**
     * Adds a transition, or overrides the next state of {@code (from, action)}.
     *
     * @param from the state the action is taken in
     * @param action the action
     * @param to the state it leads to (the same state for a self-transition)
     * @return this builder
     */
    public Builder transition(
        ConversationState from, ConversationAction action, ConversationState to) {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(to, "to");
      table.computeIfAbsent(from, s -> new EnumMap<>(ConversationAction.class)).put(action, to);
      return this;
    }

    /**
     * Replaces the whole table.
     *
     * @param table from each state to its allowed actions and their next states; copied
     * @return this builder
     */
    public Builder table(Map<ConversationState, Map<ConversationAction, ConversationState>> table) {
      Objects.requireNonNull(table, "table");
      this.table.clear();
      table.forEach((from, row) -> row.forEach((action, to) -> transition(from, action, to)));
      return this;
    }

    /**
     * The state the machine starts in; default {@link ConversationState#IDLE}.
     *
     * @param initial the first state
     * @return this builder
     */
    public Builder initial(ConversationState initial) {
      this.initial = Objects.requireNonNull(initial, "initial");
      return this;
    }

    /**
     * The scheduler whose clock stamps transitions; default {@code Schedulers.parallel()}.
     *
     * @param scheduler the clock (a virtual-time one in tests)
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Adds a handler of every transition.
     *
     * @param handler called with each transition (see the class comment for threads)
     * @return this builder
     */
    public Builder onTransition(Consumer<ConversationTransition> handler) {
      handlers.add(Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /**
     * Adds a handler of the transitions that enter {@code state} from another state.
     *
     * @param state the state entered
     * @param handler called with each such transition
     * @return this builder
     */
    public Builder onEnter(ConversationState state, Consumer<ConversationTransition> handler) {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(handler, "handler");
      handlers.add(
          t -> {
            if (t.to() == state && t.changed()) {
              handler.accept(t);
            }
          });
      return this;
    }

    /**
     * Adds a handler of refused actions, called before {@link ConversationStateMachine#fire} throws.
     *
     * @param handler called with each refused action
     * @return this builder
     */
    public Builder onInvalid(Consumer<InvalidTransitionException> handler) {
      invalidHandlers.add(Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /**
     * The machine.
     *
     * @return a new machine with this table, state and handlers
     * @throws IllegalArgumentException when the table is empty
     */
    public ConversationStateMachine build() {
      if (table.isEmpty()) {
        throw new IllegalArgumentException("the transition table is empty; add transitions");
      }
      return new ConversationStateMachine(this);
    }
  }
}
