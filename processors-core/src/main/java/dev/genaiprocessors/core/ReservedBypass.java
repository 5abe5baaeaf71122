package dev.genaiprocessors.core;

import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * Runs stages one after the other so that reserved-substream parts leave the pipeline as soon as they
 * exist: those in a stage's input skip that stage and every later one, and those a fused stage's
 * steps produce leave without waiting for the content parts before them.
 *
 * <p>Each subscription gets one {@link ReservedExit}, whose parts the output operator ({@link OrderedFlatMap}) emits ahead of the content parts waiting. In front of each stage
 * that does not read ahead by itself, a {@link ReadAhead} reads the stage's input ahead of it (at most
 * {@value ReadAhead#READ_AHEAD} content parts; reading stops while that many wait, see there), so a
 * stage that takes one part at a time does not hold back the reserved parts behind it. A part
 * processor stage reads ahead by itself (its concurrency), diverts the reserved parts of its input as
 * it reads them, and gets its input as it is.
 *
 * <p>Content parts keep their order. The output completes when the last stage's output completes
 * (and the reserved parts waiting are delivered); cancelling it, or the last stage ending, cancels
 * every read ahead.
 */
final class ReservedBypass {

  /** One stage of a pipeline, run on its content input with the pipeline's exit for reserved parts. */
  interface Stage {
    /**
     * @param input the stage's input, without reserved parts unless {@link #readsAhead()}; subscribe
     *     once
     * @param exit where reserved parts the stage produces internally can leave at once
     */
    Flux<Part> run(Flux<Part> input, ReservedExit exit);

    /**
     * True when the stage requests at least {@value ReadAhead#READ_AHEAD} parts of its input ahead of
     * its own output by itself and diverts the reserved parts of its input to the exit as it reads
     * them, so that it gets its input as it is, with no {@link ReadAhead} in front of it.
     */
    default boolean readsAhead() {
      return false;
    }
  }

  /** Parts the output reads ahead of a last stage that is not a part processor stage, as {@code merge} did. */
  private static final int PASS_AHEAD = Queues.XS_BUFFER_SIZE;

  private ReservedBypass() {}

  /** A stage for any processor: a part processor stage as itself, anything else as an opaque stage. */
  static Stage stage(Processor processor) {
    if (processor instanceof PartProcessorStage partStage) {
      return partStage;
    }
    return (input, exit) -> processor.apply(input);
  }

  /** One stage with the bypass around it. */
  static Flux<Part> around(Flux<Part> input, Stage stage) {
    return run(input, List.of(stage));
  }

  /** The stages chained, with the bypass around each. */
  static Flux<Part> run(Flux<Part> input, List<Stage> stages) {
    return Flux.deferContextual(
        context -> {
          ReservedExit exit = ReservedExit.create(ReservedSubstreams.from(context));
          Context readContext = Context.of(context);
          List<ReadAhead> reads = new ArrayList<>(stages.size());
          List<Flux<Part>> readInputs = new ArrayList<>(stages.size());
          Flux<Part> current = input;
          Flux<Part> out = input;
          for (int s = 0; s < stages.size(); s++) {
            Stage stage = stages.get(s);
            Flux<Part> stageInput;
            if (stage.readsAhead()) {
              stageInput = current;
            } else {
              ReadAhead read = new ReadAhead(exit, readContext);
              reads.add(read);
              readInputs.add(current);
              stageInput = read.stageInput();
            }
            if (s < stages.size() - 1) {
              current = stage.run(stageInput, exit);
              continue;
            }
            // Every read starts once the output and every stage have subscribed and asked for
            // parts,
            // whether or not each stage has subscribed to its input yet; parts that exist at the
            // same
            // instant then come out in the order they were made, and only what waits for a stage is
            // overtaken by reserved parts.
            Runnable start =
                reads.isEmpty()
                    ? null
                    : () -> {
                      for (int i = reads.size() - 1; i >= 0; i--) {
                        reads.get(i).connect(readInputs.get(i));
                      }
                    };
            // The output emits the exit's parts too: a part processor stage does it itself, any
            // other stage's output goes through a pass-through that does (in place of a merge).
            out =
                stage instanceof PartProcessorStage partStage
                    ? new OrderedFlatMap(
                        stageInput, partStage.step(exit), partStage.maxConcurrency(), exit, start)
                    : new OrderedFlatMap(
                        stage.run(stageInput, exit), part -> part, PASS_AHEAD, exit, start);
          }
          return out.doFinally(signal -> reads.forEach(ReadAhead::dispose));
        });
  }
}
