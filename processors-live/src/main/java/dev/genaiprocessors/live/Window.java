package dev.genaiprocessors.live;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * Runs a processor over successive windows of a stream: each window is a {@link RollingPrompt}'s
 * pending prompt (the history, compressed by a policy, then the parts of the current turn), cut at each
 * end-of-turn part.
 *
 * <pre>{@code
 * // Summarise the last five turns after every turn, three summaries at most at once.
 * Processor summaries = Window.builder(summarizer).history(HistoryPolicy.keepLastTurns(5)).maxConcurrency(3).build();
 * }</pre>
 *
 * <p><b>Windows.</b> The first window starts before any input, so the processor reads it as it comes.
 * Every input part is added to the prompt; an end-of-turn part ends the window, and (every
 * {@link Builder#stride(int) stride}-th time) the next window starts on the new pending prompt. When
 * the input ends, the last window ends too and is processed, even if partial. Window outputs are not fed
 * back into the prompt.
 *
 * <p><b>Ordering</b>: outputs come window by window, in window order, each window's output followed by
 * an end-of-turn part. <b>Concurrency</b>: up to {@link Builder#maxConcurrency(int) maxConcurrency} windows
 * are processed at once; later windows wait for a slot (their prompt fills meanwhile, bounded by the
 * prompt). <b>Errors</b> of the processor fail the output; <b>cancellation</b> cancels every window.
 */
public final class Window implements Processor {

  private final Processor windowProcessor;
  private final HistoryPolicy policy;
  private final int maxConcurrency;
  private final int stride;
  private final int maxPromptParts;
  private final Scheduler clock;

  private Window(Builder b) {
    this.windowProcessor = b.windowProcessor;
    this.policy = b.policy;
    this.maxConcurrency = b.maxConcurrency;
    this.stride = b.stride;
    this.maxPromptParts = b.maxPromptParts;
    this.clock = b.clock;
  }

  /**
   * A builder with the defaults: history kept whole, 16 windows at once, stride 1, 10,000 prompt parts.
   *
   * @param windowProcessor the processor run on each window's prompt
   * @return a builder with the defaults
   */
  public static Builder builder(Processor windowProcessor) {
    return new Builder(windowProcessor);
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return Flux.defer(
        () -> {
          RollingPrompt prompt = new RollingPrompt(policy, clock, maxPromptParts);
          Sinks.Many<Flux<Part>> windows =
              Sinks.many()
                  .unicast()
                  .onBackpressureBuffer(Queues.<Flux<Part>>get(maxPromptParts).get());
          windows.tryEmitNext(prompt.pending());
          int[] ended = {0};
          Mono<Void> driver =
              input
                  .concatMap(
                      part -> {
                        if (!part.isEndOfTurn()) {
                          prompt.add(part);
                          return Mono.empty();
                        }
                        Mono<Void> finalized = prompt.finalizePending();
                        ended[0]++;
                        if (ended[0] % stride == 0) {
                          windows.tryEmitNext(prompt.pending());
                        }
                        return finalized;
                      })
                  .then(Mono.defer(prompt::finalizePending))
                  .doFinally(signal -> windows.tryEmitComplete());
          Flux<Part> outputs =
              windows
                  .asFlux()
                  .flatMapSequential(
                      window -> windowProcessor.apply(window).concatWithValues(Part.endOfTurn()),
                      maxConcurrency);
          return Flux.merge(driver.then(Mono.<Part>empty()), outputs);
        });
  }

  /** Configures a {@link Window}. */
  public static final class Builder {
    private final Processor windowProcessor;
    private HistoryPolicy policy = HistoryPolicy.keepAll();
    private int maxConcurrency = 16;
    private int stride = 1;
    private int maxPromptParts = 10_000;
    private Scheduler clock = Schedulers.parallel();

    private Builder(Processor windowProcessor) {
      this.windowProcessor = Objects.requireNonNull(windowProcessor, "windowProcessor");
    }

    /**
     * How the history is shortened between windows; default: kept whole (up to the prompt bound).
     *
     * @param policy the policy applied to the history between windows
     * @return this builder
     */
    public Builder history(HistoryPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The most windows processed at once; default 16.
     *
     * @param maxConcurrency the most windows processed at the same time; at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maxConcurrency} is less than 1
     */
    public Builder maxConcurrency(int maxConcurrency) {
      if (maxConcurrency < 1) {
        throw new IllegalArgumentException(
            "maxConcurrency must be at least 1, was " + maxConcurrency);
      }
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    /**
     * Start a window at every {@code stride}-th end of turn; default 1 (every turn).
     *
     * @param stride how many ends of turn pass between two windows; at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code stride} is less than 1
     */
    public Builder stride(int stride) {
      if (stride < 1) {
        throw new IllegalArgumentException("stride must be at least 1, was " + stride);
      }
      this.stride = stride;
      return this;
    }

    /**
     * The most parts in the prompt; default 10,000.
     *
     * @param maxPromptParts the bound on the prompt, in parts; at least 1
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
     * The scheduler whose clock stamps capture times; default {@code Schedulers.parallel()}.
     *
     * @param clock the scheduler whose clock stamps capture times (a virtual-time scheduler in tests)
     * @return this builder
     */
    public Builder clock(Scheduler clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The processor.
     *
     * @return a new processor with this builder's settings
     */
    public Window build() {
      return new Window(this);
    }
  }
}
