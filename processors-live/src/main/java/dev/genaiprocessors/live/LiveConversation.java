package dev.genaiprocessors.live;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.live.state.ConversationStateMachine;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * One conversation of a {@link LiveModelProcessor}: a processor for a single subscription, with the
 * {@link ConversationState}s of that conversation only. Made by {@link LiveModelProcessor#conversation()}.
 *
 * <pre>{@code
 * LiveConversation call = live.conversation();
 * call.states().subscribe(state -> ui.show(state));   // this conversation's states, no other's
 * microphone.transform(call).subscribe(speaker);
 * }</pre>
 *
 * <p>It may be subscribed once: a second subscription fails with {@link IllegalStateException}; start
 * another conversation with {@link LiveModelProcessor#conversation()} (which is what
 * {@link LiveModelProcessor#apply} does for every subscription). See {@link LiveModelProcessor} for
 * how a conversation runs.
 */
public final class LiveConversation implements Processor {

  private final LiveModelProcessor config;

  /** Hot; emitted from the conversation's one worker, so never concurrently. */
  private final Sinks.Many<ConversationState> states = Sinks.many().multicast().directBestEffort();

  private final AtomicBoolean subscribed = new AtomicBoolean();

  private final ConversationStateMachine machine;

  LiveConversation(LiveModelProcessor config) {
    this.config = config;
    ConversationStateMachine.Builder b =
        ConversationStateMachine.builder().scheduler(config.scheduler);
    config.transitionHandlers.forEach(b::onTransition);
    this.machine = b.build();
  }

  /**
   * Runs the conversation on this input.
   *
   * @return the model's answers and the other outputs; fails with {@link IllegalStateException} when
   *     this conversation was subscribed before
   */
  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return Flux.create(
        sink -> {
          if (!subscribed.compareAndSet(false, true)) {
            sink.error(
                new IllegalStateException(
                    "a LiveConversation runs one subscription; "
                        + "start another with LiveModelProcessor.conversation() or subscribe the LiveModelProcessor itself"));
            return;
          }
          new LiveSession(config, this, input, sink).start();
        });
  }

  /**
   * The state changes of this conversation, as they happen: hot, so subscribe before the conversation
   * starts to see every change; a subscriber that does not keep up misses changes rather than holding
   * the conversation back. Completes when the conversation ends (its output completes, fails or is
   * cancelled).
   *
   * @return the states, hot
   */
  public Flux<ConversationState> states() {
    return states.asFlux();
  }

  /**
   * The state machine this conversation reports its states through (the default table of
   * {@link ConversationStateMachine}). Its handlers see every transition, with the action that caused it;
   * its {@link ConversationStateMachine#changeStateTool() change_state tool} lets a model drive it, and a
   * transition made that way is seen on {@link #states()} and as a state part like the others. The
   * conversation keeps deciding its own turns: the state is what it reports, not what it obeys.
   *
   * @return the machine of this conversation
   */
  public ConversationStateMachine stateMachine() {
    return machine;
  }

  void publish(ConversationState state) {
    states.tryEmitNext(state);
  }

  void ended() {
    states.tryEmitComplete();
  }
}
