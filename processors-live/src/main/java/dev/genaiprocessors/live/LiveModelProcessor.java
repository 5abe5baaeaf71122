package dev.genaiprocessors.live;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PlaybackListener;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.live.state.ConversationStateMachine;
import dev.genaiprocessors.live.state.ConversationTransition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Makes any turn-based model live: an endless stream of the user's parts in, the model's answers out,
 * with the model reading the prompt while the user is still speaking, and the user able to cut an
 * answer short by speaking over it.
 *
 * <pre>{@code
 * LiveModelProcessor live = LiveModelProcessor.builderPerConversation(heard ->
 *         model.then(tts).then(AudioRateLimiter.builder().listener(heard).build()))
 *     .build();
 * microphone.transform(vad).transform(stt).transform(live).subscribe(speaker);
 * }</pre>
 *
 * <p><b>Conversations.</b> Every subscription is a conversation of its own, with its own prompt, its
 * own turn processor (made for it by the function given to {@link #builderPerConversation}, with a
 * {@link PlaybackListener} that reports to that conversation only) and its own states. One processor
 * can serve many conversations at once. To watch a conversation's states, run it through a handle:
 * {@link #conversation()}.
 *
 * <p><b>How a turn goes.</b> The model is called at once on a pending prompt ({@link RollingPrompt}):
 * the history, then every part the user adds, so a model that reads its prompt as it comes starts
 * early. A {@linkplain Builder#triggers trigger} (end of speech, a final transcription, or an
 * end-of-turn part) ends the prompt: the model answers, and a new call starts on the next pending
 * prompt. An end-of-turn part that holds content (a typed question, say) adds that content, without
 * its {@code turn_complete} flag, to the prompt first; an empty one is only a signal. The answer
 * streams to the output; when it ends, it is added to the history and an end-of-turn part with role
 * {@code model} is emitted. Input that arrives while the model answers is stashed and added after the
 * answer. When the input ends, an answer under way is let finish; if the user added anything since the
 * last turn, one final call answers it; then the output completes.
 *
 * <p><b>Barge-in.</b> A start-of-speech part, or a new trigger, while an answer is under way (from the
 * trigger to the answer's end) cancels the answer. Every time, whether or not the answer had emitted
 * anything yet: the state becomes {@link ConversationState#INTERRUPTED}, an
 * {@link Part#interrupted() interrupted} part is emitted (so a player downstream drops what it holds),
 * then the end-of-turn part, and the state moves on to {@code LISTENING} (or {@code IDLE}). What the
 * answer already emitted stays emitted. A start of speech with no answer under way interrupts nothing.
 * <b>What was heard</b>: when the audio of the answer was paced by something that reports to the
 * conversation's {@link PlaybackListener} (the audio rate limiter, inside the turn processor and on the
 * same scheduler), the history keeps only what the user heard: the text of every audio chunk
 * ({@code spoken_text} metadata, set by text-to-speech) that had started playing, then
 * {@code "(interrupted by the user)"}. Without such reports, the history keeps what was emitted, marked
 * the same way.
 *
 * <p><b>Other parts.</b> Parts of reserved substreams ({@code status}, {@code debug}, ...) go straight
 * to the output and never into the prompt. Transcriptions pass to the output; final ones enter the
 * prompt as the user's text (a blank final transcription, where the recognizer heard nothing, neither
 * enters the prompt nor ends the turn). Start- and end-of-speech parts are consumed. Everything else enters the
 * prompt.
 *
 * <p><b>State</b>: each conversation reports its {@link ConversationState} through its own
 * {@link ConversationStateMachine} (the default table; {@link LiveConversation#stateMachine()}): a start of
 * speech fires {@code USER_STARTED_SPEAKING}, a non-trigger end of speech {@code USER_STOPPED_SPEAKING}, a
 * trigger {@code USER_TURN_ENDED}, the answer's first part {@code ANSWER_STARTED}, a barge-in
 * {@code ANSWER_INTERRUPTED}, the answer's end {@code ANSWER_ENDED} (then {@code USER_STARTED_SPEAKING}
 * again when the user is still speaking, so the state ends {@code LISTENING}). Handlers given to
 * {@link Builder#onTransition} see every transition with its action. Changes of state are emitted as status
 * parts (metadata {@code conversation_state}) unless {@link Builder#stateParts(boolean) turned off}, and on
 * the {@link LiveConversation#states()} of the conversation. A transition the table refuses (possible only
 * when a {@code change_state} tool moved the machine meanwhile) is logged at WARN and emitted as a
 * {@code debug} part with metadata {@code invalid_transition}; the conversation goes on.
 *
 * <p><b>Errors</b> of the turn processor fail the output with the same exception. <b>Cancellation</b>
 * cancels every call. <b>Buffering</b>: the prompt is bounded ({@link Builder#maxPromptParts}); the
 * answer is taken from the model one part at a time, as the subscriber asks. <b>Time</b>: the
 * scheduler's clock stamps parts and times what was heard ({@code Schedulers.parallel()} by default).
 * <b>Threads</b>: each conversation's events are handled one at a time on one worker of the scheduler.
 */
public final class LiveModelProcessor implements Processor {

  /** Makes each conversation's turn processor, given the listener that reports to that conversation. */
  final Function<PlaybackListener, Processor> turnProcessors;

  final Set<TurnTrigger> triggers;
  final HistoryPolicy historyPolicy;
  final int maxPromptParts;
  final Scheduler scheduler;
  final boolean stateParts;
  final List<Consumer<ConversationTransition>> transitionHandlers;

  private LiveModelProcessor(Builder b) {
    this.turnProcessors = b.turnProcessors;
    this.triggers = Set.copyOf(b.triggers);
    this.historyPolicy = b.historyPolicy;
    this.maxPromptParts = b.maxPromptParts;
    this.scheduler = b.scheduler;
    this.stateParts = b.stateParts;
    this.transitionHandlers = List.copyOf(b.transitionHandlers);
  }

  /**
   * A builder for a turn processor that needs no playback reports (an interrupted answer enters the
   * history as what it emitted), with the defaults: triggers {@code FINAL_TRANSCRIPTION} and
   * {@code END_OF_TURN}, history of the last 10 minutes, at most 10,000 prompt parts, state parts on,
   * {@code Schedulers.parallel()}. The same turn processor serves every conversation.
   *
   * @param turnProcessor the turn-based processor: a finite prompt in, the answer out
   * @return a builder
   */
  public static Builder builder(Processor turnProcessor) {
    Objects.requireNonNull(turnProcessor, "turnProcessor");
    return new Builder(heard -> turnProcessor);
  }

  /**
   * A builder whose conversations each get their own turn processor, made by {@code turnProcessorFor}
   * when the conversation starts, with the {@link PlaybackListener} that reports to that conversation:
   * give it to the pacer (the audio rate limiter) in the turn processor, so that an interrupted answer
   * enters that conversation's history as what its user heard. The defaults are those of
   * {@link #builder(Processor)}.
   *
   * @param turnProcessorFor makes a conversation's turn processor from its listener; called once per
   *     conversation, on the thread that subscribes
   * @return a builder
   */
  public static Builder builderPerConversation(
      Function<PlaybackListener, Processor> turnProcessorFor) {
    return new Builder(Objects.requireNonNull(turnProcessorFor, "turnProcessorFor"));
  }

  /** Runs a new conversation on this input: the same as {@code conversation().apply(input)}. */
  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return conversation().apply(input);
  }

  /**
   * A new conversation, to subscribe once, whose {@link LiveConversation#states() states} can be watched.
   *
   * @return a conversation that has not started
   */
  public LiveConversation conversation() {
    return new LiveConversation(this);
  }

  /** Configures a {@link LiveModelProcessor}; setters check their argument at once. */
  public static final class Builder {
    private final Function<PlaybackListener, Processor> turnProcessors;
    private Set<TurnTrigger> triggers =
        EnumSet.of(TurnTrigger.FINAL_TRANSCRIPTION, TurnTrigger.END_OF_TURN);
    private HistoryPolicy historyPolicy = HistoryPolicy.dropOlderThan(Duration.ofMinutes(10));
    private int maxPromptParts = 10_000;
    private Scheduler scheduler = Schedulers.parallel();
    private boolean stateParts = true;
    private final List<Consumer<ConversationTransition>> transitionHandlers = new ArrayList<>();

    private Builder(Function<PlaybackListener, Processor> turnProcessors) {
      this.turnProcessors = turnProcessors;
    }

    /**
     * What ends the user's turn; default {@code FINAL_TRANSCRIPTION} and {@code END_OF_TURN}.
     *
     * @param first a trigger that ends the user's turn
     * @param more further triggers; any one of them ends the turn
     * @return this builder
     */
    public Builder triggers(TurnTrigger first, TurnTrigger... more) {
      this.triggers = EnumSet.of(first, more);
      return this;
    }

    /**
     * How the history is shortened at each turn; default: parts older than 10 minutes are dropped.
     *
     * @param policy the policy applied to the history at the end of each turn
     * @return this builder
     */
    public Builder history(HistoryPolicy policy) {
      this.historyPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The most parts in the history and in a pending prompt; default 10,000.
     *
     * @param maxPromptParts the bound on the history and on a pending prompt, in parts; at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maxPromptParts} is less than 1
     */
    public Builder maxPromptParts(int maxPromptParts) {
      if (maxPromptParts < 1) {
        throw new IllegalArgumentException(
            "maxPromptParts must be at least 1, was " + maxPromptParts);
      }
      this.maxPromptParts = maxPromptParts;
      return this;
    }

    /**
     * The scheduler whose clock and workers the conversations use; default {@code Schedulers.parallel()}.
     *
     * @param scheduler the scheduler whose clock stamps capture times and whose workers run the conversations (a virtual-time one in tests)
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Whether state changes are emitted as status parts; default true.
     *
     * @param stateParts true to emit a status part at each state change, false to emit none
     * @return this builder
     */
    public Builder stateParts(boolean stateParts) {
      this.stateParts = stateParts;
      return this;
    }

    /**
     * Adds a handler of every conversation's state transitions (each conversation has its own machine):
     * called on the conversation's worker, with the transition and the action's metadata; it must be quick.
     *
     * @param handler called with each transition of each conversation
     * @return this builder
     */
    public Builder onTransition(Consumer<ConversationTransition> handler) {
      transitionHandlers.add(Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /**
     * The processor.
     *
     * @return a new processor with this builder's settings; the builder may be used again
     */
    public LiveModelProcessor build() {
      return new LiveModelProcessor(this);
    }
  }
}
