package dev.genaiprocessors.core;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;

/**
 * Turns one part into a stream of parts. Run over a stream, a part processor works on many parts at
 * once and emits the results in input order.
 *
 * <pre>{@code
 * PartProcessor upper = part -> part.isText()
 *     ? Flux.just(Part.text(part.text().toUpperCase()))
 *     : Flux.just(part);
 * PartProcessor onlyImages = PartProcessor.matching(Part::isImage, describeImage);
 * Processor stage = upper.then(onlyImages).toProcessor();
 * }</pre>
 *
 * <p><b>Matching.</b> A part for which {@link #match(Part)} is false passes through unchanged, and
 * {@link #process(Part)} is not called for it: it costs no task.
 *
 * <p><b>Fusion.</b> {@link #then(PartProcessor)} fuses part processors into one stage: each output of
 * the first is given to the second as soon as it exists, so a later part may pass through every step
 * while an earlier one is still in a slow step (no head-of-line blocking), and the results are still
 * emitted in input order. The final order is a depth-first walk of each part's output tree.
 *
 * <p>Implementations must return a {@code Flux} and not throw; an exception thrown by
 * {@code process} is treated as an error signal. Work that blocks belongs on a scheduler meant for
 * it, such as {@code Schedulers.boundedElastic()}.
 */
@FunctionalInterface
public interface PartProcessor {

  /** The default number of parts a stage works on at once: {@value}. */
  int DEFAULT_CONCURRENCY = 256;

  /**
   * The outputs for one part, in order.
   *
   * @param part the input part, one this processor {@linkplain #match matches}
   * @return the outputs, possibly none; the processor is subscribed to once per part
   */
  Flux<Part> process(Part part);

  /**
   * Whether {@link #process(Part)} applies to this part; others pass through unchanged. True by default.
   *
   * @param part the input part
   * @return whether to call {@link #process(Part)} on it
   */
  default boolean match(Part part) {
    return true;
  }

  /**
   * The fused chain {@code this -> next}: every output of this processor is given to {@code next} at
   * once; results come out in input order, each part's outputs depth-first. A reserved part that this
   * processor produces skips {@code next} and, run in a stage, leaves at once rather than in its
   * depth-first place.
   *
   * @param next the part processor each output of this one goes to
   * @return a part processor; chains flatten, and {@link #passthrough()} steps are removed
   */
  default PartProcessor then(PartProcessor next) {
    return ChainPartProcessor.of(List.of(this, next));
  }

  /**
   * The chain {@code this -> next}, where this part processor is one concurrent stage.
   *
   * @param next the processor the stage's output goes to
   * @return a processor
   */
  default Processor then(Processor next) {
    return ChainProcessor.of(List.of(this, next));
  }

  /**
   * This part processor as a stage over a stream, working on up to {@value #DEFAULT_CONCURRENCY} parts
   * at once.
   *
   * @return a processor that runs this one on each part, keeping input order
   * @see #toProcessor(int)
   */
  default Processor toProcessor() {
    return new PartProcessorStage(this, DEFAULT_CONCURRENCY);
  }

  /**
   * This part processor as a stage over a stream.
   *
   * <p><b>Ordering</b>: outputs in input order; each part's outputs in their own order; a part that
   * finishes early waits until every earlier part's outputs have been emitted.
   * <b>Concurrency</b>: eager; {@code process} is called for up to {@code maxConcurrency} parts at once,
   * on the thread that delivers each part. <b>Buffering</b>: each part's outputs are buffered, up to
   * 32 parts per part in flight, until they may be emitted; past that, the part's own output is
   * backpressured. Non-matching parts cost no task but still take their place in the order.
   * Reserved-substream parts leave as soon as they exist: those in the input go straight to the
   * output, ahead of parts in flight, and those the processor produces for a part leave as produced,
   * not in that part's place in the order (see {@link ReservedSubstreams}).
   * <b>Errors</b>: the first error cancels all parts in flight and is the output's error.
   * <b>Cancellation</b>: cancels every part in flight and the input.
   *
   * @param maxConcurrency the most parts worked on at once, at least 1
   * @return a processor
   */
  default Processor toProcessor(int maxConcurrency) {
    return new PartProcessorStage(this, maxConcurrency);
  }

  /**
   * This part processor with any error turned into a status part ({@link Part#exception(Throwable)})
   * in place of the failing part's remaining outputs; the stream goes on with the next part. Run in a
   * stage, the status part leaves at once, as a reserved part, not after the outputs of earlier parts
   * that are still in flight.
   *
   * @return a part processor that does not fail
   */
  default PartProcessor errorsAsStatus() {
    PartProcessor self = this;
    return new PartProcessor() {
      @Override
      public Flux<Part> process(Part part) {
        Flux<Part> out;
        try {
          out = Objects.requireNonNull(self.process(part), "process returned null");
        } catch (RuntimeException e) {
          return Flux.just(Part.exception(e));
        }
        return out.onErrorResume(e -> Flux.just(Part.exception(e)));
      }

      @Override
      public boolean match(Part part) {
        return self.match(part);
      }
    };
  }

  // ---------------------------------------------------------------- factories

  /**
   * Runs part processors side by side on each part; per part, their outputs are concatenated in the
   * order the processors are given, and input order is kept across parts. Processors that do not
   * match a part give nothing for it; a part no processor matches is dropped. Run in a stage, a
   * reserved part that a processor produces leaves at once, without waiting for the processors before
   * it; content outputs keep the order above.
   *
   * @param processors the part processors to run, in output order
   * @return a part processor that runs them all on each part
   * @see #parallel(Passthrough, PartProcessor...)
   */
  static PartProcessor parallel(PartProcessor... processors) {
    return new ParallelPartProcessor(Passthrough.NEVER, List.of(processors));
  }

  /**
   * {@link #parallel(PartProcessor...)} that also passes the input part on: with
   * {@link Passthrough#FALLBACK} when no processor gave any output for it, with
   * {@link Passthrough#ALWAYS} after the processors' outputs. A part that no processor matches passes
   * through unchanged with either.
   *
   * <p><b>Concurrency</b>: all processors that match a part are subscribed at once; outputs of later
   * processors are buffered until the earlier ones complete for that part.
   *
   * @param passthrough when to pass the input part on as well
   * @param processors the part processors to run, in output order
   * @return a part processor that runs them all on each part
   */
  static PartProcessor parallel(Passthrough passthrough, PartProcessor... processors) {
    return new ParallelPartProcessor(passthrough, List.of(processors));
  }

  /**
   * A part processor that keeps the parts for which {@code keep} is true and drops the rest.
   *
   * @param keep true for parts to keep
   * @return a filtering part processor
   */
  static PartProcessor filter(Predicate<Part> keep) {
    Objects.requireNonNull(keep, "keep");
    return new PartProcessor() {
      @Override
      public Flux<Part> process(Part part) {
        return Flux.empty();
      }

      @Override
      public boolean match(Part part) {
        return !keep.test(part);
      }
    };
  }

  /**
   * A part processor that applies a function to each part, one part in, one part out.
   *
   * @param function the mapping, called once per part; must not return null or block
   * @return a mapping part processor
   */
  static PartProcessor map(Function<Part, Part> function) {
    Objects.requireNonNull(function, "function");
    return part -> Flux.just(function.apply(part));
  }

  /**
   * {@code processor} restricted to the parts for which {@code match} is true; others pass unchanged.
   *
   * @param match true for the parts {@code processor} handles
   * @param processor the part processor for matching parts
   * @return the restricted part processor
   */
  static PartProcessor matching(Predicate<Part> match, PartProcessor processor) {
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(processor, "processor");
    return new PartProcessor() {
      @Override
      public Flux<Part> process(Part part) {
        return processor.process(part);
      }

      @Override
      public boolean match(Part part) {
        return match.test(part) && processor.match(part);
      }
    };
  }

  /**
   * The identity: every part passes unchanged. Removed from chains at no cost.
   *
   * @return the identity part processor
   */
  static PartProcessor passthrough() {
    return ChainPartProcessor.PASSTHROUGH;
  }
}
