package dev.genaiprocessors.core;

import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Flux;

/**
 * Turns a stream of parts into a stream of parts: the unit every pipeline is built from.
 *
 * <p>A processor is a {@code Function<Flux<Part>, Flux<Part>>}, so {@code flux.transform(processor)}
 * works, and so does a lambda: {@code Processor upper = in -> in.map(...)}. Like any Reactor
 * operator, {@code apply} only assembles; nothing runs until the result is subscribed, and each
 * subscription runs the processor afresh.
 *
 * <pre>{@code
 * Processor pipeline = preprocess            // a PartProcessor
 *     .then(model)                           // a Processor
 *     .then(PartProcessor.parallel(tts, log));
 * pipeline.apply(Flux.just(Part.text("hi"))).subscribe(System.out::println);
 * }</pre>
 *
 * <p><b>Composition.</b> {@link #then(Processor)} chains; consecutive {@link PartProcessor}s in a
 * chain fuse into one concurrent stage. {@link #parallelConcat(Processor...)} runs processors side by
 * side over the same input and concatenates their outputs; {@link Switch} routes parts to
 * processors by predicate.
 *
 * <p><b>Reserved substreams.</b> In the composites of this library ({@code then}, {@code parallelConcat},
 * {@link Switch}, {@link PartProcessor#toProcessor()}) a part of a reserved substream ({@code debug},
 * {@code status}, {@code ui}, see {@link ReservedSubstreams}) leaves for the output as soon as it
 * exists, ahead of slow stages and of the content parts before it; later stages never see it.
 * Content parts keep their documented order.
 *
 * <p><b>Errors and cancellation</b> follow Reactor: an error anywhere cancels the rest of the pipeline
 * and reaches the subscriber as the original exception; cancelling the output cancels every stage.
 */
@FunctionalInterface
public interface Processor extends Function<Flux<Part>, Flux<Part>> {

  /**
   * Assembles the output stream for an input stream. Implementations do no work until the result
   * is subscribed.
   */
  @Override
  Flux<Part> apply(Flux<Part> input);

  /**
   * A processor that feeds this processor's output to {@code next}.
   *
   * <p><b>Ordering</b>: {@code next} sees this processor's content output in order. Parts of reserved
   * substreams skip {@code next} and reach the output as soon as they exist: the chain reads each
   * stage's input ahead of the stage (at most 256 content parts; reading stops while that many wait),
   * so a reserved part that follows a content part is not held back by a stage that takes one part at
   * a time. Reserved parts made inside a fused part processor stage leave as they are produced (see
   * {@link ReservedSubstreams}). A stage may subscribe to its input once (a second subscription
   * fails), late if it likes: what is read ahead waits for it.
   *
   * @param next the processor that takes this processor's output
   * @return the chain {@code this -> next}; chains flatten, so {@code a.then(b).then(c)} has three stages
   */
  default Processor then(Processor next) {
    return ChainProcessor.of(List.of(this, next));
  }

  /**
   * A processor that feeds this processor's output to a part processor, which runs concurrently over
   * the parts with ordered output (see {@link PartProcessor#toProcessor()}). Reserved parts skip
   * {@code next} and leave as soon as they exist, as with {@link #then(Processor)}.
   *
   * @param next the part processor run on each output part
   * @return the chain {@code this -> next}
   */
  default Processor then(PartProcessor next) {
    return ChainProcessor.of(List.of(this, next));
  }

  /**
   * This processor with any error turned into a final status part made by {@link Part#exception(Throwable)}:
   * the output ends with that part instead of failing. Parts emitted before the error stay emitted.
   * The status part is emitted as the error arrives (the error has cancelled everything that could
   * come after it), and, used as a stage of a chain, it leaves the chain at once like any reserved part.
   * Opt-in; by default errors propagate.
   *
   * @return a processor whose output completes normally where this one fails
   */
  default Processor errorsAsStatus() {
    Processor self = this;
    return input -> self.apply(input).onErrorResume(e -> Flux.just(Part.exception(e)));
  }

  /**
   * Runs processors side by side over the same input and concatenates their outputs whole: all of the
   * first processor's output, then all of the second's, and so on.
   *
   * <p><b>Concurrency</b>: every processor is subscribed at once and sees every input part.
   * <b>Buffering</b>: the output of each processor after the first is buffered until the ones before
   * it complete, at most {@value ParallelConcatProcessor#DEFAULT_MAX_BUFFERED} parts per processor;
   * beyond that the output fails with {@link PartBufferOverflowException} (raise the bound with
   * {@link #parallelConcat(int, Processor...)}). Reserved-substream input parts go to the output once,
   * at once, and to no processor; reserved parts a processor produces leave at once too, not after the
   * outputs of the processors before it. <b>Errors</b> from any processor cancel all of them.
   *
   * @param processors the processors to run, in output order
   * @return the concatenation of the processors' outputs
   */
  static Processor parallelConcat(Processor... processors) {
    return parallelConcat(ParallelConcatProcessor.DEFAULT_MAX_BUFFERED, processors);
  }

  /**
   * {@link #parallelConcat(Processor...)} with a bound on the parts buffered per later processor.
   *
   * @param maxBufferedParts how many output parts of a processor may wait for the ones before it
   * @param processors the processors to run, in output order
   * @return a processor that concatenates their outputs
   */
  static Processor parallelConcat(int maxBufferedParts, Processor... processors) {
    return new ParallelConcatProcessor(List.of(processors), maxBufferedParts);
  }

  /**
   * Chains processors and part processors in order, as repeated {@link #then} would.
   *
   * @param stages {@link Processor}s and {@link PartProcessor}s
   * @return the chain, or the identity when {@code stages} is empty
   * @throws IllegalArgumentException for anything else
   */
  static Processor chain(List<?> stages) {
    return ChainProcessor.of(stages);
  }
}
