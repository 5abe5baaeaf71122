package dev.genaiprocessors.testkit;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A turn-based model for tests of pipelines that take a model {@link Processor}: each call (each
 * subscription to {@link #apply}) reads its whole input, records it, and answers with the next scripted
 * reply.
 *
 * <pre>{@code
 * ScriptedModel model = ScriptedModel.builder()
 *     .parts(Part.functionCall("c1", "get_weather", args).withRole("model"))
 *     .text("It is sunny in Paris.")
 *     .build();
 * FunctionCalling.builder(model).tools(weather).build().apply(Flux.just(Part.text("Weather?"))) ...
 * assertThat(model.calls().get(1)).contains(...);   // the second prompt carried the function response
 * model.assertScriptUsedUp();
 * }</pre>
 *
 * <p><b>Replies.</b> {@link Builder#text} and {@link Builder#parts} answer with parts ({@code text}
 * gives one part of role {@code model}), {@link Builder#error} with an error, {@link Builder#answer}
 * with what a function computes from the prompt. {@link Builder#delay} holds the next reply, counted from
 * the end of the call's input, on the builder's {@linkplain Builder#scheduler scheduler} (a virtual-time
 * one in tests). A call beyond the script fails with an {@link AssertionError} saying how many replies
 * there were.
 *
 * <p><b>Ordering and concurrency.</b> Replies go to calls in the order their inputs complete;
 * thread-safe. Cancelling a call's output cancels its input and its pending delay; a cancelled call
 * still used up its reply once its input completed.
 */
public final class ScriptedModel implements Processor, Scripted {

  private final List<Reply> replies;
  private final Scheduler scheduler;
  private final List<List<Part>> calls = new ArrayList<>();

  private ScriptedModel(Builder b) {
    this.replies = List.copyOf(b.replies);
    this.scheduler = b.scheduler;
  }

  /**
   * A builder of an empty script, delaying on {@link Schedulers#parallel()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Answers this call with the next scripted reply once its input completes.
   *
   * @param input the prompt of the call
   * @return the reply's parts, or its error
   */
  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return input
        .collectList()
        .flatMapMany(
            prompt -> {
              Reply reply;
              int call;
              synchronized (calls) {
                calls.add(List.copyOf(prompt));
                call = calls.size();
              }
              if (call > replies.size()) {
                return Flux.error(
                    new AssertionError(
                        "ScriptedModel was called "
                            + call
                            + " times; the script has "
                            + replies.size()
                            + (replies.size() == 1 ? " reply" : " replies")));
              }
              reply = replies.get(call - 1);
              Flux<Part> out = Flux.defer(() -> Flux.from(reply.answer.apply(prompt)));
              return reply.delay.isZero() ? out : Mono.delay(reply.delay, scheduler).thenMany(out);
            });
  }

  /**
   * The input of every call whose input completed so far, in order.
   *
   * @return a snapshot; each prompt is immutable
   */
  public List<List<Part>> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /**
   * The replies no call has taken yet, described, in order.
   *
   * @return one entry per unplayed reply
   */
  @Override
  public List<String> unusedScript() {
    int used;
    synchronized (calls) {
      used = calls.size();
    }
    return replies.subList(Math.min(used, replies.size()), replies.size()).stream()
        .map(r -> r.description)
        .toList();
  }

  private record Reply(
      Function<List<Part>, ? extends Publisher<Part>> answer, Duration delay, String description) {}

  /** Builds a {@link ScriptedModel}. Not thread-safe; build once. */
  public static final class Builder {
    private final List<Reply> replies = new ArrayList<>();
    private Scheduler scheduler = Schedulers.parallel();
    private Duration nextDelay = Duration.ZERO;

    private Builder() {}

    /**
     * A reply of one text part of role {@code model}.
     *
     * @param text the text
     * @return this
     */
    public Builder text(String text) {
      Part part = Part.text(Objects.requireNonNull(text, "text")).withRole("model");
      return add(prompt -> Flux.just(part), "text \"" + text + "\"");
    }

    /**
     * A reply of these parts, as given (set their role, usually {@code model}).
     *
     * @param parts the parts, in order
     * @return this
     */
    public Builder parts(Part... parts) {
      List<Part> list = List.of(parts);
      return add(prompt -> Flux.fromIterable(list), "parts " + list);
    }

    /**
     * A reply that fails the call with this error.
     *
     * @param error the error, such as a model exception of a client
     * @return this
     */
    public Builder error(Throwable error) {
      Objects.requireNonNull(error, "error");
      return add(prompt -> Flux.error(error), "error " + error);
    }

    /**
     * A reply computed from the call's prompt.
     *
     * @param answer the reply's parts for the prompt; called once, when the reply is due
     * @return this
     */
    public Builder answer(Function<List<Part>, ? extends Publisher<Part>> answer) {
      Objects.requireNonNull(answer, "answer");
      return add(answer, "computed answer");
    }

    /**
     * Holds the next reply added this long after its call's input completes.
     *
     * @param delay not negative
     * @return this
     * @throws IllegalArgumentException when negative
     */
    public Builder delay(Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative, was " + delay);
      }
      this.nextDelay = delay;
      return this;
    }

    /**
     * The scheduler delays run on; default {@link Schedulers#parallel()}.
     *
     * @param scheduler a virtual-time scheduler in tests
     * @return this
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The model.
     *
     * @return a new model, with no calls yet
     */
    public ScriptedModel build() {
      return new ScriptedModel(this);
    }

    private Builder add(
        Function<List<Part>, ? extends Publisher<Part>> answer, String description) {
      String described = nextDelay.isZero() ? description : description + " after " + nextDelay;
      replies.add(new Reply(answer, nextDelay, described));
      nextDelay = Duration.ZERO;
      return this;
    }
  }
}
