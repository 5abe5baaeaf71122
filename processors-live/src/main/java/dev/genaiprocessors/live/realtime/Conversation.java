package dev.genaiprocessors.live.realtime;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.state.StateReportingLiveProcessor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * One conversation with a live processor: the input parts and the answers to function calls in, the
 * {@link RealtimeEvent}s out. Function calls are answered by {@link ToolCalls} while the events flow on.
 * An error of the provider becomes a last {@link RealtimeEvent.Error}, then the events complete.
 */
final class Conversation {
  private static final Logger LOG = LoggerFactory.getLogger(Conversation.class);

  /** Answers waiting to go to the provider; bounded: an answer beyond it is dropped and logged. */
  private static final int MAX_PENDING_ANSWERS = 64;

  private Conversation() {}

  /**
   * The events of a conversation on {@code input}.
   *
   * @param provider the provider (its name for errors, its setup signal)
   * @param live the provider's processor
   * @param config the config (tools, output rate)
   * @param handler answers calls that no tool of the config answers, or null
   * @param handlerErrors receives failures of the handler
   * @param onSetupComplete run once the provider's setup is complete
   * @param input the user's parts; its end ends the conversation once the calls under way are answered
   */
  static Flux<RealtimeEvent> events(
      RealtimeProvider provider,
      LiveProcessor live,
      RealtimeConfig config,
      @Nullable Function<RealtimeEvent.ToolCallRequest, ?> handler,
      Consumer<Throwable> handlerErrors,
      Runnable onSetupComplete,
      Flux<Part> input) {
    return Flux.defer(
        () -> {
          EventMapper mapper = new EventMapper(config.outputSampleRate());
          Sinks.Many<Part> answers =
              Sinks.many()
                  .unicast()
                  .onBackpressureBuffer(Queues.<Part>get(MAX_PENDING_ANSWERS).get());
          Object lock = new Object();
          int[] pending = {0};
          boolean[] inputDone = {false};
          Consumer<Part> answer =
              part -> {
                synchronized (lock) {
                  pending[0]--;
                  if (answers.tryEmitNext(part).isFailure()) {
                    LOG.warn(
                        "An answer to {} could not be sent: the conversation is over or {} answers wait",
                        part.functionResponse().name(),
                        MAX_PENDING_ANSWERS);
                  }
                  if (inputDone[0] && pending[0] == 0) {
                    answers.tryEmitComplete();
                  }
                }
              };
          ToolCalls calls =
              new ToolCalls(
                  config.tools(), handler, Schedulers.boundedElastic(), answer, handlerErrors);
          Flux<Part> userInput =
              input.doOnComplete(
                  () -> {
                    synchronized (lock) {
                      inputDone[0] = true;
                      if (pending[0] == 0) {
                        answers.tryEmitComplete();
                      }
                    }
                  });
          boolean[] ready = {!provider.announcesSetup()};
          if (ready[0]) {
            onSetupComplete.run();
          }
          // Every provider reports the conversation's state the same way, from the contract's
          // parts.
          return StateReportingLiveProcessor.wrap(live)
              .apply(Flux.merge(userInput, answers.asFlux()))
              .doOnNext(
                  part -> {
                    if (!ready[0] && provider.isSetupComplete(part)) {
                      ready[0] = true;
                      onSetupComplete.run();
                    }
                  })
              .concatMapIterable(mapper::map)
              .doOnNext(
                  event -> {
                    if (event instanceof RealtimeEvent.ToolCallRequest request) {
                      synchronized (lock) {
                        pending[0]++;
                      }
                      calls.call(request);
                    }
                  })
              .onErrorResume(
                  error ->
                      Flux.just(
                          new RealtimeEvent.Error(EventMapper.modelError(error, provider.name()))))
              .doFinally(signal -> calls.dispose());
        });
  }
}
