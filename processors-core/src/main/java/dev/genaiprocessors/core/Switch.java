package dev.genaiprocessors.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Routes each part of a stream to the first case whose condition holds; each case is a
 * {@link Processor} that sees only its parts. Parts that match no case are dropped unless a default
 * is given with {@link #otherwise(Processor)}.
 *
 * <pre>{@code
 * Processor router = Switch.create()
 *     .when(Part::isAudio, transcriber)
 *     .when(Part::isImage, captioner)
 *     .otherwise(PartProcessor.passthrough().toProcessor());
 * }</pre>
 *
 * <p><b>Ordering</b>: each case's output keeps its own order; outputs of different cases are merged as
 * they come (no order between cases). <b>Concurrency</b>: all cases run at once over one shared
 * input; conditions are called once per case per part and must be fast and free of side effects.
 * <b>Buffering</b>: each case may fall up to {@value #CASE_BUFFER} parts behind the others; past that,
 * the shared input waits for it. <b>Errors</b> of any case cancel all. Reserved-substream input parts
 * go straight to the output and to no case.
 *
 * <p>Immutable: {@code when} and {@code otherwise} return new switches.
 */
public final class Switch implements Processor {

  /** How many parts a case may fall behind the other cases before the shared input waits for it: {@value}. */
  public static final int CASE_BUFFER = 256;

  private final List<Predicate<Part>> conditions;
  private final List<Processor> cases;
  private final @Nullable Processor otherwise;

  private Switch(
      List<Predicate<Part>> conditions, List<Processor> cases, @Nullable Processor otherwise) {
    this.conditions = conditions;
    this.cases = cases;
    this.otherwise = otherwise;
  }

  /**
   * A switch with no cases, which drops everything.
   *
   * @return an empty switch
   */
  public static Switch create() {
    return new Switch(List.of(), List.of(), null);
  }

  /**
   * This switch with one more case, tried after the existing ones.
   *
   * @param condition true for the parts this case takes
   * @param processor the processor for those parts
   * @return a new switch with the case added
   */
  public Switch when(Predicate<Part> condition, Processor processor) {
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(processor, "processor");
    List<Predicate<Part>> c = new ArrayList<>(conditions);
    c.add(condition);
    List<Processor> p = new ArrayList<>(cases);
    p.add(processor);
    return new Switch(List.copyOf(c), List.copyOf(p), otherwise);
  }

  /**
   * This switch with a processor for the parts no case matches.
   *
   * @param processor the processor for unmatched parts
   * @return a new switch with the default set
   */
  public Switch otherwise(Processor processor) {
    return new Switch(conditions, cases, Objects.requireNonNull(processor, "processor"));
  }

  private int route(Part part) {
    for (int i = 0; i < conditions.size(); i++) {
      if (conditions.get(i).test(part)) {
        return i;
      }
    }
    return conditions.size();
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    // Branch i < cases.size() is case i; the last branch is `otherwise`, or a drain that drops the
    // unmatched parts so that the shared input keeps flowing when no case wants them.
    int branches = cases.size() + 1;
    return ReservedBypass.around(
        input,
        (nonReserved, exit) ->
            SharedInput.fanOut(
                nonReserved,
                branches,
                (index, shared) -> {
                  Flux<Part> mine = shared.filter(p -> route(p) == index);
                  if (index < cases.size()) {
                    return cases.get(index).apply(mine.limitRate(CASE_BUFFER));
                  }
                  return otherwise != null
                      ? otherwise.apply(mine.limitRate(CASE_BUFFER))
                      : mine.filter(p -> false);
                },
                Flux::merge));
  }

  @Override
  public String toString() {
    return "Switch[" + cases.size() + " cases" + (otherwise == null ? "" : ", otherwise") + "]";
  }
}
