package dev.genaiprocessors.live;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.PlaybackListener;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.ReservedSubstreams;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.live.state.ConversationAction;
import dev.genaiprocessors.live.state.ConversationStateMachine;
import dev.genaiprocessors.live.state.ConversationTransition;
import dev.genaiprocessors.live.state.InvalidTransitionException;
import dev.genaiprocessors.live.state.StateReportingLiveProcessor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

/**
 * One conversation (subscription) of a {@link LiveModelProcessor}. Every event (an input part, a part
 * or the end of a model call, a playback report, demand) is a task on one scheduler worker, so the
 * state below is only ever touched by one task at a time. It has its own turn processor, made with a
 * playback listener that reports to this conversation only.
 */
final class LiveSession {

  private static final Logger LOG = LoggerFactory.getLogger(LiveSession.class);

  static final String STATE_KEY = StateReportingLiveProcessor.STATE_KEY;
  static final String INTERRUPTED_NOTE = "(interrupted by the user)";
  private static final int INPUT_PREFETCH = 32;

  /** An audio chunk the pacer released, and when it began to play. */
  private record Released(Part chunk, long playbackStartMillis) {}

  private final LiveModelProcessor config;
  private final LiveConversation conversation;
  private final Processor turnProcessor;
  private final Flux<Part> input;
  private final FluxSink<Part> sink;
  private final Scheduler.Worker worker;
  private final RollingPrompt prompt;
  private final ReservedSubstreams reserved;

  private @Nullable Subscription upstream;

  /** The call reading the pending prompt, which will answer the next turn. */
  private @Nullable Call pending;

  /** The call answering the current turn. */
  private @Nullable Call current;

  private final ConversationStateMachine machine;
  private final Disposable stateReports;
  private boolean userSpeaking;
  private int userPartsSinceTurn;
  private boolean inputDone;
  private boolean finalCallMade;
  private boolean terminated;

  LiveSession(
      LiveModelProcessor config,
      LiveConversation conversation,
      Flux<Part> input,
      FluxSink<Part> sink) {
    this.config = config;
    this.conversation = conversation;
    this.turnProcessor =
        Objects.requireNonNull(
            config.turnProcessors.apply(
                new PlaybackListener() {
                  @Override
                  public void released(
                      Part chunk, long playbackStartMillis, double durationMillis) {
                    onReleased(chunk, playbackStartMillis);
                  }
                }),
            "the turn processor made for a conversation is null");
    this.input = input;
    this.sink = sink;
    this.worker = config.scheduler.createWorker();
    this.prompt = new RollingPrompt(config.historyPolicy, config.scheduler, config.maxPromptParts);
    this.reserved = ReservedSubstreams.from(sink.contextView());
    this.machine = conversation.stateMachine();
    this.stateReports = machine.listen(this::reportState);
  }

  void start() {
    sink.onRequest(n -> run(this::resumeCalls));
    sink.onDispose(
        () -> {
          worker.dispose();
          stateReports.dispose();
          conversation.ended();
          disposeQuietly(current);
          disposeQuietly(pending);
          Subscription s = upstream;
          if (s != null) {
            s.cancel();
          }
        });
    run(() -> pending = startCall());
    input.subscribe(
        new BaseSubscriber<Part>() {
          @Override
          protected void hookOnSubscribe(Subscription subscription) {
            upstream = subscription;
            subscription.request(INPUT_PREFETCH);
          }

          @Override
          protected void hookOnNext(Part part) {
            run(
                () -> {
                  onInput(part);
                  Subscription s = upstream;
                  if (s != null && !terminated) {
                    s.request(1);
                  }
                });
          }

          @Override
          protected void hookOnComplete() {
            run(
                () -> {
                  inputDone = true;
                  finishIfDone();
                });
          }

          @Override
          protected void hookOnError(Throwable error) {
            run(() -> fail(error));
          }
        });
  }

  private void run(Runnable task) {
    if (!worker.isDisposed()) {
      worker.schedule(task);
    }
  }

  private long now() {
    return config.scheduler.now(TimeUnit.MILLISECONDS);
  }

  // ---------------------------------------------------------------- input

  private void onInput(Part part) {
    if (terminated) {
      return;
    }
    if (reserved.test(part)) {
      sink.next(part);
      return;
    }
    if (part.isTranscription()) {
      sink.next(part);
      // A final transcription with no words (the recognizer heard nothing) is not a turn.
      if (part.isFinalTranscription()
          && part.substream().equalsIgnoreCase(Substreams.INPUT_TRANSCRIPTION)
          && !part.text().isBlank()) {
        userInput(Part.text(part.text()).withRole("user"));
        if (config.triggers.contains(TurnTrigger.FINAL_TRANSCRIPTION)) {
          turn();
        }
      }
      return;
    }
    if (part.isStartOfSpeech()) {
      userSpeaking = true;
      if (current != null) {
        interruptCurrent(); // ends LISTENING, as the user is speaking
      } else {
        fire(ConversationAction.USER_STARTED_SPEAKING);
      }
      return;
    }
    if (part.isEndOfSpeech()) {
      userSpeaking = false;
      if (config.triggers.contains(TurnTrigger.END_OF_SPEECH)) {
        turn();
      } else if (machine.state() == ConversationState.LISTENING) {
        fire(ConversationAction.USER_STOPPED_SPEAKING);
      }
      return;
    }
    if (part.isEndOfTurn()) {
      // Its content, if any, is the user's last words of the turn (typed text, a detected event).
      Part content = part.withoutMetadata(PartMetadata.TURN_COMPLETE);
      if (!(content.isText() && content.text().isEmpty())) {
        userInput(content);
      }
      if (config.triggers.contains(TurnTrigger.END_OF_TURN)) {
        turn();
      }
      return;
    }
    userInput(part);
  }

  private void userInput(Part part) {
    userPartsSinceTurn++;
    if (current != null) {
      prompt.stash(part);
    } else {
      prompt.add(part);
    }
  }

  // ---------------------------------------------------------------- turns

  private void turn() {
    if (current != null) {
      interruptCurrent();
    }
    Call call = pending != null ? pending : startCall();
    current = call;
    userPartsSinceTurn = 0;
    prompt.finalizePending().subscribe(v -> {}, e -> {});
    pending = inputDone ? null : startCall();
    fire(ConversationAction.USER_TURN_ENDED);
    if (call.done) {
      finishAnswer(call, false);
    } else {
      resumeCalls();
    }
  }

  private Call startCall() {
    Call call = new Call();
    try {
      turnProcessor.apply(prompt.pending()).subscribe(call);
    } catch (RuntimeException e) {
      fail(e);
    }
    return call;
  }

  private void interruptCurrent() {
    Call call = current;
    if (call == null) {
      return;
    }
    call.done = true;
    call.dispose();
    // Every barge-in, whether or not the answer had emitted anything yet.
    fire(ConversationAction.ANSWER_INTERRUPTED);
    sink.next(Part.interrupted());
    finishAnswer(call, true);
  }

  /** Adds the answer to the history, ends the model's turn, and applies what was stashed meanwhile. */
  private void finishAnswer(Call call, boolean interrupted) {
    for (Part p : interrupted ? heard(call) : call.emitted) {
      prompt.add(p.role().isEmpty() ? p.withRole("model") : p);
    }
    sink.next(Part.endOfTurn().withRole("model"));
    if (current == call) {
      current = null;
    }
    prompt.applyStash();
    if (interrupted && userSpeaking) {
      fire(ConversationAction.USER_STARTED_SPEAKING); // INTERRUPTED to LISTENING
    } else {
      fire(ConversationAction.ANSWER_ENDED);
      if (userSpeaking) {
        fire(ConversationAction.USER_STARTED_SPEAKING); // the user still has the floor
      }
    }
    finishIfDone();
  }

  /**
   * What the user heard of an interrupted answer: audio chunks that had begun to play, the text they
   * voiced ({@code spoken_text}) instead of the answer's text when the chunks carry it, and a note.
   */
  private List<Part> heard(Call call) {
    long t = now();
    List<Part> kept = new ArrayList<>();
    List<String> spoken = new ArrayList<>();
    if (!call.released.isEmpty()) {
      // The chunks that had begun to play, in a set: an answer's audio may be thousands of chunks.
      Set<Part> played = new HashSet<>();
      for (Released r : call.released) {
        if (r.playbackStartMillis() < t) {
          played.add(r.chunk());
          if (r.chunk().metadata(PartMetadata.SPOKEN_TEXT) instanceof String text
              && (spoken.isEmpty() || !spoken.get(spoken.size() - 1).equals(text))) {
            spoken.add(text);
          }
        }
      }
      for (Part p : call.emitted) {
        if (p.isAudio()) {
          if (played.contains(p)) {
            kept.add(p);
          }
        } else if (!p.isText() || spoken.isEmpty()) {
          kept.add(p);
        }
      }
      if (!spoken.isEmpty()) {
        kept.add(Part.text(String.join(" ", spoken)).withRole("model"));
      }
    } else {
      kept.addAll(call.emitted);
    }
    kept.add(
        Part.text(INTERRUPTED_NOTE).withRole("model").withMetadata(PartMetadata.INTERRUPTED, true));
    return kept;
  }

  private void finishIfDone() {
    if (!inputDone || terminated || current != null) {
      return;
    }
    if (userPartsSinceTurn > 0 && !finalCallMade) {
      finalCallMade = true;
      turn();
      return;
    }
    disposeQuietly(pending);
    pending = null;
    terminated = true;
    stateReports.dispose();
    conversation.ended();
    sink.complete();
    worker.dispose();
  }

  private void onReleased(Part chunk, long playbackStartMillis) {
    run(
        () -> {
          Call call = current;
          if (call != null) {
            call.released.add(new Released(chunk, playbackStartMillis));
          }
        });
  }

  // ---------------------------------------------------------------- model output

  private void onCallPart(Call call, Part part) {
    if (terminated || call.done) {
      return;
    }
    if (call == current
        && machine.state() == ConversationState.PROCESSING
        && !reserved.test(part)) {
      fire(ConversationAction.ANSWER_STARTED);
    }
    sink.next(part);
    if (!reserved.test(part)) {
      call.emitted.add(part);
    }
    requestNext(call);
  }

  private void onCallDone(Call call, @Nullable Throwable error) {
    if (terminated || call.done) {
      return;
    }
    call.done = true;
    if (error != null) {
      fail(error);
    } else if (call == current) {
      finishAnswer(call, false);
    }
  }

  private void requestNext(Call call) {
    if (sink.requestedFromDownstream() > 0) {
      call.request(1);
    } else {
      call.waitingForDemand = true;
    }
  }

  private void resumeCalls() {
    for (Call call : new Call[] {current, pending}) {
      if (call != null && call.waitingForDemand && sink.requestedFromDownstream() > 0) {
        call.waitingForDemand = false;
        call.request(1);
      }
    }
  }

  /** Fires an action; a refusal (only after a tool moved the machine) is reported, never ignored. */
  private void fire(ConversationAction action) {
    try {
      machine.fire(action);
    } catch (InvalidTransitionException e) {
      LOG.warn("Live conversation: {}", e.getMessage());
      sink.next(StateReportingLiveProcessor.invalidTransitionPart(e));
    }
  }

  /** A machine handler, under the machine's lock: every change of state, whoever fired it. */
  private void reportState(ConversationTransition t) {
    if (!t.changed() || terminated) {
      return;
    }
    conversation.publish(t.to());
    if (config.stateParts) {
      sink.next(StateReportingLiveProcessor.statePart(t.to()));
    }
  }

  private void fail(Throwable error) {
    if (terminated) {
      return;
    }
    terminated = true;
    disposeQuietly(current);
    disposeQuietly(pending);
    Subscription s = upstream;
    if (s != null) {
      s.cancel();
    }
    stateReports.dispose();
    conversation.ended();
    sink.error(error);
    worker.dispose();
  }

  private static void disposeQuietly(@Nullable Call call) {
    if (call != null) {
      call.done = true;
      call.dispose();
    }
  }

  /** One call of the turn processor; its signals become tasks on the worker. */
  private final class Call extends BaseSubscriber<Part> {
    final List<Part> emitted = new ArrayList<>();
    final List<Released> released = new ArrayList<>();
    boolean waitingForDemand;
    boolean done;

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      subscription.request(1);
    }

    @Override
    protected void hookOnNext(Part part) {
      run(() -> onCallPart(this, part));
    }

    @Override
    protected void hookOnComplete() {
      run(() -> onCallDone(this, null));
    }

    @Override
    protected void hookOnError(Throwable error) {
      run(() -> onCallDone(this, error));
    }
  }
}
