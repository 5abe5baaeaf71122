package dev.genaiprocessors.core;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The substreams whose parts bypass the later stages of a pipeline and reach its output at once:
 * {@code debug}, {@code status} and {@code ui} by default, plus any a subscriber registers.
 *
 * <p>A substream is reserved when its name starts with one of the reserved names, case-sensitively,
 * as in the original library: {@code status} also reserves {@code status_progress}, but
 * {@code "Status"} is not reserved. The default substream {@code ""} is never reserved.
 *
 * <p><b>The rule</b>: a reserved part leaves a pipeline as soon as it exists. One in the input of a
 * stage skips that stage and every later one; one that a step of a fused part processor stage, a
 * branch of {@link PartProcessor#parallel}, or {@link PartProcessor#errorsAsStatus()} produces leaves
 * at once, without waiting for the content parts before it. Content parts keep their documented
 * order. Each stage's input is read ahead of the stage to find reserved parts, at most 256 content
 * parts ahead; while that many wait for a slow stage, reading stops (backpressure), and a reserved
 * part behind them waits too. Reserved parts that the subscriber has not requested wait in a buffer
 * of 4096 per running pipeline; past that the output fails with {@link PartBufferOverflowException}.
 * Within one pipeline, reserved parts keep the order in which they were produced.
 *
 * <p>Registration goes through the Reactor {@link Context} of the subscription, so two pipelines
 * running at once can reserve different substreams:
 *
 * <pre>{@code
 * pipeline.apply(input)
 *     .contextWrite(ReservedSubstreams.register("audit"))
 *     .subscribe(...);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ReservedSubstreams implements Predicate<Part> {

  /** {@code debug}, {@code status} and {@code ui}. */
  public static final ReservedSubstreams DEFAULT =
      new ReservedSubstreams(List.of(Substreams.DEBUG, Substreams.STATUS, Substreams.UI));

  private final String[] prefixes;

  private ReservedSubstreams(List<String> prefixes) {
    this.prefixes = prefixes.toArray(new String[0]);
  }

  /**
   * A context modifier, for {@code contextWrite}, that reserves these substreams in addition to those
   * already reserved for the subscription.
   *
   * @param substreams the names to reserve, not empty
   * @return a function for {@code contextWrite}
   * @throws IllegalArgumentException for an empty name (the default substream cannot be reserved)
   */
  public static Function<Context, Context> register(String... substreams) {
    for (String s : substreams) {
      Objects.requireNonNull(s, "substream");
      if (s.isEmpty()) {
        throw new IllegalArgumentException("the default substream \"\" cannot be reserved");
      }
    }
    List<String> added = List.of(substreams);
    return context -> context.put(ReservedSubstreams.class, from(context).plus(added));
  }

  /**
   * The substreams reserved for a subscription with this context: {@link #DEFAULT} unless registered.
   *
   * @param context a subscriber context
   * @return the substreams reserved for it
   */
  public static ReservedSubstreams from(ContextView context) {
    ReservedSubstreams reserved = context.getOrDefault(ReservedSubstreams.class, DEFAULT);
    return reserved != null ? reserved : DEFAULT;
  }

  /** True when the part's substream starts with a reserved name (case-sensitive). */
  @Override
  public boolean test(Part part) {
    String substream = part.substream();
    if (substream.isEmpty()) {
      return false;
    }
    for (String prefix : prefixes) {
      if (substream.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The reserved names.
   *
   * @return an unmodifiable set of the reserved names
   */
  public Set<String> names() {
    return Set.copyOf(Arrays.asList(prefixes));
  }

  private ReservedSubstreams plus(List<String> more) {
    LinkedHashSet<String> all = new LinkedHashSet<>(Arrays.asList(prefixes));
    all.addAll(more);
    return new ReservedSubstreams(List.copyOf(all));
  }

  @Override
  public String toString() {
    return "ReservedSubstreams" + Arrays.toString(prefixes);
  }
}
