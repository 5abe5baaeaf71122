package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.live.OutOfBandRequest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.SynchronousSink;
import reactor.util.concurrent.Queues;

/**
 * The out-of-band responses of one Gemini Live subscription: Gemini Live has none, so each
 * {@link OutOfBandRequest} becomes a call of the turn-based {@code outOfBandModel} beside the session, whose
 * parts join the output marked with the request. The session never sees the request nor the answer.
 *
 * <p><b>Prompt.</b> The request's instructions as a text part of role {@code system} (a {@code GeminiModel}
 * takes it as its system instruction), then its input parts, or, when it has none, the {@link
 * ConversationLog} as it was when the request arrived (user and model text parts). A {@code GeminiModel} makes no
 * call for a prompt without contents (no input, nothing said yet): the answer is then its end parts alone.
 *
 * <p><b>Answer.</b> The model's parts, then a generation-complete and an end-of-turn part, all marked with
 * {@link OutOfBandRequest#mark}. A failed call ends the same way, its generation-complete part carrying
 * {@link OutOfBandRequest#ERROR}; the conversation goes on.
 *
 * <p><b>Bounds.</b> At most {@value #CONCURRENT_CALLS} calls at once; up to {@value #MAX_WAITING} more
 * requests wait for a slot; one more fails the output with an {@link IllegalStateException} (the policy: a
 * pipeline that asks faster than a turn-based model answers is broken). Requests are read on the input's
 * thread, one at a time; answers are emitted on the model's threads and merged into the output.
 */
final class OutOfBandCalls {
  private static final Logger log = LoggerFactory.getLogger(OutOfBandCalls.class);

  /** Most side calls running at once. */
  static final int CONCURRENT_CALLS = 4;

  /** Most requests waiting for a side call (overflow fails the output). */
  static final int MAX_WAITING = 256;

  private final @Nullable Processor model;
  private final ConversationLog conversation = new ConversationLog();

  /** A request and the prompt it was given when it arrived. */
  private record Call(OutOfBandRequest request, List<Part> prompt) {}

  private final Sinks.Many<Call> calls =
      Sinks.many().unicast().onBackpressureBuffer(Queues.<Call>get(MAX_WAITING).get());

  OutOfBandCalls(@Nullable Processor model) {
    this.model = model;
  }

  /**
   * An input part: a request starts a side call (and goes no further); the user's text is logged; every
   * other part goes on to the session.
   */
  void input(Part part, SynchronousSink<Part> next) {
    OutOfBandRequest request;
    try {
      request = OutOfBandRequest.of(part).orElse(null);
    } catch (IllegalArgumentException malformed) {
      next.error(malformed);
      return;
    }
    if (request == null) {
      conversation.input(part);
      next.next(part);
      return;
    }
    if (model == null) {
      next.error(
          new UnsupportedPartException(
              "Gemini Live has no out-of-band response: give GeminiLiveProcessor.builder()"
                  + ".outOfBandModel(turnBasedModel), a GeminiModel for instance, to answer "
                  + request
                  + " beside the session"));
      return;
    }
    if (!request.itemReferences().isEmpty()) {
      next.error(
          new UnsupportedPartException(
              "Gemini Live has no conversation items to reference; "
                  + request
                  + " names "
                  + request.itemReferences()
                  + ": give the out-of-band request its input as parts (input(Part)) instead"));
      return;
    }
    if (calls.tryEmitNext(new Call(request, prompt(request))).isFailure()) {
      next.error(
          new IllegalStateException(
              "Gemini Live: more than "
                  + MAX_WAITING
                  + " out-of-band requests waiting for the outOfBandModel; send fewer"));
    }
  }

  /** The input ended: no more requests; the answers under way still come. */
  void inputDone() {
    calls.tryEmitComplete();
  }

  /** A part of the session's output, logged for later requests. */
  Part output(Part part) {
    conversation.output(part);
    return part;
  }

  /** The answers of every request, as they come; completes after the input and every call have. */
  Flux<Part> answers() {
    Processor m = model;
    if (m == null) {
      return Flux.empty(); // every request fails the input instead
    }
    return calls.asFlux().flatMap(call -> answer(m, call), CONCURRENT_CALLS);
  }

  private Flux<Part> answer(Processor m, Call call) {
    OutOfBandRequest r = call.request();
    return Flux.defer(() -> m.apply(Flux.fromIterable(call.prompt())))
        .map(r::mark)
        .concatWith(Flux.defer(() -> end(r, null)))
        .onErrorResume(
            e -> {
              log.warn(
                  "Gemini Live: the out-of-band call for request {} failed: {}",
                  r.id(),
                  e.toString());
              return end(r, e);
            });
  }

  private static Flux<Part> end(OutOfBandRequest r, @Nullable Throwable error) {
    Part complete = Part.generationComplete();
    if (error != null) {
      complete =
          complete.withMetadata(
              OutOfBandRequest.ERROR,
              error.getClass().getSimpleName()
                  + (error.getMessage() == null ? "" : ": " + error.getMessage()));
    }
    return Flux.just(r.mark(complete), r.mark(Part.endOfTurn().withRole("model")));
  }

  private List<Part> prompt(OutOfBandRequest r) {
    List<Part> prompt = new ArrayList<>();
    r.instructions().ifPresent(i -> prompt.add(Part.text(i).withRole("system")));
    if (r.input().isPresent()) {
      for (Part p : r.input().get()) {
        prompt.add(p.role().isEmpty() ? p.withRole("user") : p);
      }
    } else {
      for (ConversationLog.Entry e : conversation.snapshot()) {
        prompt.add(Part.text(e.text()).withRole(e.role()));
      }
    }
    return prompt;
  }
}
