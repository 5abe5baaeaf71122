package dev.genaiprocessors.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Gives each part to the first case whose condition holds; each case is a {@link PartProcessor}.
 * Parts that match no case are dropped unless a default is given with
 * {@link #otherwise(PartProcessor)}. As a part processor it keeps input order in a stream.
 *
 * <pre>{@code
 * PartProcessor route = PartSwitch.create()
 *     .when(Part::isText, translate)
 *     .otherwise(PartProcessor.passthrough());
 * }</pre>
 *
 * <p>Conditions are called in order until one holds and must be fast and free of side effects.
 * Immutable: {@code when} and {@code otherwise} return new switches.
 */
public final class PartSwitch implements CompositePartProcessor {

  private final List<Predicate<Part>> conditions;
  private final List<PartProcessor> cases;
  private final @Nullable PartProcessor otherwise;

  private PartSwitch(
      List<Predicate<Part>> conditions,
      List<PartProcessor> cases,
      @Nullable PartProcessor otherwise) {
    this.conditions = conditions;
    this.cases = cases;
    this.otherwise = otherwise;
  }

  /**
   * A switch with no cases, which drops everything.
   *
   * @return an empty switch
   */
  public static PartSwitch create() {
    return new PartSwitch(List.of(), List.of(), null);
  }

  /**
   * This switch with one more case, tried after the existing ones.
   *
   * @param condition true for the parts this case takes
   * @param processor the part processor for those parts
   * @return a new switch with the case added
   */
  public PartSwitch when(Predicate<Part> condition, PartProcessor processor) {
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(processor, "processor");
    List<Predicate<Part>> c = new ArrayList<>(conditions);
    c.add(condition);
    List<PartProcessor> p = new ArrayList<>(cases);
    p.add(processor);
    return new PartSwitch(List.copyOf(c), List.copyOf(p), otherwise);
  }

  /**
   * This switch with a part processor for the parts no case matches.
   *
   * @param processor the part processor for unmatched parts
   * @return a new switch with the default set
   */
  public PartSwitch otherwise(PartProcessor processor) {
    return new PartSwitch(conditions, cases, Objects.requireNonNull(processor, "processor"));
  }

  @Override
  public Flux<Part> process(Part part, ReservedExit exit) {
    for (int i = 0; i < conditions.size(); i++) {
      if (conditions.get(i).test(part)) {
        PartProcessor p = cases.get(i);
        return p.match(part)
            ? exit.divertFrom(CompositePartProcessor.call(p, part, exit), p)
            : Flux.just(part);
      }
    }
    if (otherwise == null) {
      return Flux.empty();
    }
    return otherwise.match(part)
        ? exit.divertFrom(CompositePartProcessor.call(otherwise, part, exit), otherwise)
        : Flux.just(part);
  }

  @Override
  public String toString() {
    return "PartSwitch[" + cases.size() + " cases" + (otherwise == null ? "" : ", otherwise") + "]";
  }
}
