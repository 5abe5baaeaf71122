package dev.genaiprocessors.live.state;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.live.ConversationState;
import dev.genaiprocessors.live.LiveProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * Any live provider, reporting its conversation's state through a {@link ConversationStateMachine}: the
 * actions are derived from the parts of the {@link LiveProcessor} contract, so the same wrapper serves
 * Gemini Live, OpenAI Realtime, the local provider and any other.
 *
 * <pre>{@code
 * LiveProcessor live = StateReportingLiveProcessor.wrap(gemini);       // a new machine per conversation
 * live.apply(microphone).filter(p -> p.metadata(StateReportingLiveProcessor.STATE_KEY) != null) ...
 * }</pre>
 *
 * <p><b>Actions from parts.</b>
 *
 * <table>
 *   <caption>Parts and the actions they fire</caption>
 *   <tr><th>part</th><th>where</th><th>action</th></tr>
 *   <tr><td>{@code startOfSpeech()}</td><td>output (the provider's detection) or input (manual
 *       mode)</td><td>{@code USER_STARTED_SPEAKING}; during an answer that is a barge-in
 *       ({@code INTERRUPTED}), and it is fired once more, as the user has the floor
 *       ({@code LISTENING})</td></tr>
 *   <tr><td>{@code endOfSpeech()}</td><td>output or input</td><td>{@code USER_TURN_ENDED} (the provider
 *       answers when the user stops)</td></tr>
 *   <tr><td>{@code endOfTurn()}, or user text on the default substream</td><td>input</td>
 *       <td>{@code USER_TURN_ENDED}</td></tr>
 *   <tr><td>the answer's first model audio, model text or output transcription</td><td>output</td>
 *       <td>{@code ANSWER_STARTED}; later parts of the same answer fire nothing</td></tr>
 *   <tr><td>{@code interrupted()}</td><td>output</td><td>{@code ANSWER_INTERRUPTED}, then
 *       {@code USER_STARTED_SPEAKING} when the user is speaking and the state is {@code INTERRUPTED} (so it
 *       ends {@code LISTENING})</td></tr>
 *   <tr><td>{@code endOfTurn()}, role {@code model}</td><td>output</td><td>{@code ANSWER_ENDED}</td></tr>
 * </table>
 *
 * <p>An action is fired only when it would change the state or the table allows it as a self-transition;
 * one the table refuses is <b>reported</b>: logged at WARN and emitted as a {@code debug} part with
 * metadata {@value #INVALID_TRANSITION_KEY} ({@code state:action}), and the state stays.
 *
 * <p><b>State parts.</b> Every change of state that the wrapper fires is emitted as a {@code status} part
 * with metadata {@value #STATE_KEY} (the lower-case state name), as {@code LiveModelProcessor} emits
 * them: right after the output part that caused it, or, for input parts, as soon as possible (merged into
 * the output). The provider's parts pass unchanged and in order. Transitions fired by others on the same
 * machine (a {@code change_state} tool) reach the machine's handlers only.
 *
 * <p><b>Buffering</b>: state and debug parts caused by input wait for the subscriber in a buffer of
 * {@value #MAX_PENDING_STATE_PARTS}; past it they are dropped (counted in a WARN log line): they are
 * reports, and the machine's handlers still see every transition. <b>Errors, completion and
 * cancellation</b> are the provider's. <b>Threads</b>: input and output may be handled on different
 * threads; the derivation is serialized.
 */
public final class StateReportingLiveProcessor implements LiveProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(StateReportingLiveProcessor.class);

  /** Metadata key of a state part: the lower-case state, as {@code LiveModelProcessor} sets it: {@value}. */
  public static final String STATE_KEY = "conversation_state";

  /** Metadata key of the debug part reporting a refused action: {@code state:action}: {@value}. */
  public static final String INVALID_TRANSITION_KEY = "invalid_transition";

  /** The most state parts caused by input that wait for the subscriber: {@value}. */
  static final int MAX_PENDING_STATE_PARTS = 256;

  private final LiveProcessor live;
  private final Supplier<ConversationStateMachine> machines;

  private StateReportingLiveProcessor(
      LiveProcessor live, Supplier<ConversationStateMachine> machines) {
    this.live = live;
    this.machines = machines;
  }

  /**
   * The provider, with a new machine of the default table for each conversation.
   *
   * @param live the provider
   * @return the wrapped provider
   */
  public static StateReportingLiveProcessor wrap(LiveProcessor live) {
    return wrap(live, ConversationStateMachine::create);
  }

  /**
   * The provider, with a machine from {@code machines} for each conversation (subscription).
   *
   * @param live the provider
   * @param machines makes the machine of a conversation, when it starts; give one with your handlers
   * @return the wrapped provider
   */
  public static StateReportingLiveProcessor wrap(
      LiveProcessor live, Supplier<ConversationStateMachine> machines) {
    return new StateReportingLiveProcessor(
        Objects.requireNonNull(live, "live"), Objects.requireNonNull(machines, "machines"));
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return Flux.defer(
        () -> {
          Derivation d =
              new Derivation(
                  Objects.requireNonNull(machines.get(), "the machine supplier gave null"));
          // Bounded: reports caused by input; drop-newest past the bound, logged.
          Sinks.Many<Part> fromInput =
              Sinks.many()
                  .unicast()
                  .onBackpressureBuffer(Queues.<Part>get(MAX_PENDING_STATE_PARTS).get());
          long[] dropped = {0};
          Flux<Part> in =
              input.doOnNext(
                  p -> {
                    for (Part report : d.onInput(p)) {
                      if (fromInput.tryEmitNext(report).isFailure() && dropped[0]++ % 100 == 0) {
                        LOG.warn(
                            "{}: {} state parts dropped: the subscriber does not read them",
                            live.provider(),
                            dropped[0]);
                      }
                    }
                  });
          Flux<Part> out =
              live.apply(in)
                  .concatMapIterable(
                      p -> {
                        List<Part> reports = d.onOutput(p);
                        if (reports.isEmpty()) {
                          return List.of(p);
                        }
                        List<Part> all = new ArrayList<>(reports.size() + 1);
                        all.add(p);
                        all.addAll(reports);
                        return all;
                      })
                  .doFinally(signal -> fromInput.tryEmitComplete());
          return Flux.merge(out, fromInput.asFlux());
        });
  }

  @Override
  public String provider() {
    return live.provider();
  }

  @Override
  public int inputSampleRate() {
    return live.inputSampleRate();
  }

  @Override
  public int outputSampleRate() {
    return live.outputSampleRate();
  }

  @Override
  public String toString() {
    return "StateReportingLiveProcessor[" + live.provider() + "]";
  }

  /**
   * The status part that reports a state, as this wrapper and {@code LiveModelProcessor} emit it.
   *
   * @param state the state entered
   * @return a {@code status} part with {@value #STATE_KEY} metadata
   */
  public static Part statePart(ConversationState state) {
    String name = state.name().toLowerCase(Locale.ROOT);
    return Part.status("conversation " + name).withMetadata(STATE_KEY, name);
  }

  /**
   * The debug part that reports a refused action, as this wrapper and {@code LiveModelProcessor} emit it.
   *
   * @param refused the refusal
   * @return a {@code debug} part with {@value #INVALID_TRANSITION_KEY} metadata ({@code state:action})
   */
  public static Part invalidTransitionPart(InvalidTransitionException refused) {
    return Part.debug("conversation: " + refused.getMessage())
        .withMetadata(
            INVALID_TRANSITION_KEY,
            refused.state().name().toLowerCase(Locale.ROOT) + ":" + refused.action().wireName());
  }

  /** One conversation's derivation of actions from parts; serialized, as input and output may race. */
  static final class Derivation {
    private final ConversationStateMachine machine;
    private boolean userSpeaking;
    private boolean answerStarted;

    Derivation(ConversationStateMachine machine) {
      this.machine = machine;
    }

    synchronized List<Part> onInput(Part p) {
      List<Part> reports = new ArrayList<>(1);
      if (p.isStartOfSpeech()) {
        userSpeaking = true;
        fire(ConversationAction.USER_STARTED_SPEAKING, "input", reports);
      } else if (p.isEndOfSpeech()) {
        userSpeaking = false;
        fire(ConversationAction.USER_TURN_ENDED, "input", reports);
      } else if (p.isEndOfTurn()
          || p.isText()
              && !p.text().isEmpty()
              && p.substream().isEmpty()
              && (p.role().isEmpty() || p.role().equalsIgnoreCase("user"))
              && !Boolean.FALSE.equals(p.metadata(PartMetadata.TURN_COMPLETE))) {
        fire(ConversationAction.USER_TURN_ENDED, "input", reports);
      }
      return reports;
    }

    synchronized List<Part> onOutput(Part p) {
      List<Part> reports = new ArrayList<>(1);
      if (p.isStartOfSpeech()) {
        userSpeaking = true;
        fire(ConversationAction.USER_STARTED_SPEAKING, "output", reports);
        if (machine.state() == ConversationState.INTERRUPTED) {
          // A barge-in: the answer is cut and the user has the floor.
          fire(ConversationAction.USER_STARTED_SPEAKING, "output", reports);
        }
      } else if (p.isEndOfSpeech()) {
        userSpeaking = false;
        fire(ConversationAction.USER_TURN_ENDED, "output", reports);
      } else if (p.isInterrupted()) {
        fire(ConversationAction.ANSWER_INTERRUPTED, "output", reports);
        if (userSpeaking && machine.state() == ConversationState.INTERRUPTED) {
          fire(ConversationAction.USER_STARTED_SPEAKING, "output", reports);
        }
      } else if (p.isEndOfTurn() && "model".equalsIgnoreCase(p.role())) {
        answerStarted = false;
        fire(ConversationAction.ANSWER_ENDED, "output", reports);
      } else if (!answerStarted && isAnswer(p)) {
        answerStarted = true;
        fire(ConversationAction.ANSWER_STARTED, "output", reports);
      }
      return reports;
    }

    private static boolean isAnswer(Part p) {
      if (p.isTranscription()) {
        return Substreams.OUTPUT_TRANSCRIPTION.equalsIgnoreCase(p.substream());
      }
      if (!"model".equalsIgnoreCase(p.role()) || !p.substream().isEmpty()) {
        return false;
      }
      return p.isAudio() || p.isText() && !p.text().isEmpty() && !p.isThought();
    }

    private void fire(ConversationAction action, String source, List<Part> reports) {
      try {
        ConversationTransition t = machine.fire(action, Map.of("source", source));
        if (t.changed()) {
          reports.add(statePart(t.to()));
        }
      } catch (InvalidTransitionException e) {
        LOG.warn("Live conversation: {}", e.getMessage());
        reports.add(invalidTransitionPart(e));
      }
    }
  }
}
