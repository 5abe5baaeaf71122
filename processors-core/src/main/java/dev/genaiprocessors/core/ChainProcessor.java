package dev.genaiprocessors.core;

import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * Stages run one after the other: each stage's output is the next one's input. Made by
 * {@link Processor#then}.
 *
 * <p>Consecutive part processors are fused into one concurrent stage. Parts of reserved substreams
 * leave the chain for its output as soon as they exist (see {@link ReservedBypass}): each stage's
 * input is read ahead of it, so later stages never see them and a slow stage does not hold them back.
 */
final class ChainProcessor implements Processor {

  /** Each element is a {@link Processor} or a {@link PartProcessor}, flattened, before fusion. */
  private final List<Object> elements;

  private final List<Processor> stages;
  private final List<ReservedBypass.Stage> bypassStages;

  private ChainProcessor(List<Object> elements) {
    this.elements = List.copyOf(elements);
    this.stages = fuse(this.elements);
    List<ReservedBypass.Stage> b = new ArrayList<>(stages.size());
    for (Processor stage : stages) {
      b.add(ReservedBypass.stage(stage));
    }
    this.bypassStages = List.copyOf(b);
  }

  static Processor of(List<?> items) {
    List<Object> flat = new ArrayList<>();
    for (Object item : items) {
      if (item instanceof ChainProcessor chain) {
        flat.addAll(chain.elements);
      } else if (item instanceof PartProcessorStage stage
          && stage.maxConcurrency() == PartProcessor.DEFAULT_CONCURRENCY) {
        flat.add(stage.processor());
      } else if (item instanceof Processor || item instanceof PartProcessor) {
        flat.add(item);
      } else if (item == null) {
        throw new NullPointerException("a chain stage is null");
      } else {
        throw new IllegalArgumentException(
            "a chain stage must be a Processor or a PartProcessor, was "
                + item.getClass().getName());
      }
    }
    return new ChainProcessor(flat);
  }

  private static List<Processor> fuse(List<Object> elements) {
    List<Processor> stages = new ArrayList<>();
    List<PartProcessor> run = new ArrayList<>();
    for (Object e : elements) {
      if (e instanceof PartProcessor p) {
        run.add(p);
      } else {
        if (!run.isEmpty()) {
          stages.add(
              new PartProcessorStage(
                  ChainPartProcessor.of(run), PartProcessor.DEFAULT_CONCURRENCY));
          run.clear();
        }
        stages.add((Processor) e);
      }
    }
    if (!run.isEmpty()) {
      stages.add(
          new PartProcessorStage(ChainPartProcessor.of(run), PartProcessor.DEFAULT_CONCURRENCY));
    }
    return List.copyOf(stages);
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return ReservedBypass.run(input, bypassStages);
  }

  @Override
  public String toString() {
    return "ChainProcessor" + stages;
  }
}
