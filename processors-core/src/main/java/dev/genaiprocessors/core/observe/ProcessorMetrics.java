package dev.genaiprocessors.core.observe;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartProcessor;
import dev.genaiprocessors.core.Processor;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Records, per named stage, the parts in and out, the time to the first output part and the latency
 * per part, with Micrometer.
 *
 * <pre>{@code
 * Processor model = ProcessorMetrics.observe("model", geminiModel, registry);
 * }</pre>
 *
 * <p><b>Cost</b>: with no registry ({@code null}) the processor is returned as it is, so nothing is
 * paid. Micrometer is an optional dependency of this module; add {@code io.micrometer:micrometer-core}
 * to use this class. Times are read from the registry's {@link Clock}, so a {@code MockClock} drives
 * them in tests.
 *
 * <p><b>Meters</b>, each tagged {@code stage=<name>}:
 * <ul>
 *   <li>{@value #PARTS}: counter, tagged {@code direction=in|out}: parts that entered and left the stage;</li>
 *   <li>{@value #FIRST_PART}: timer: from subscription to the first output part, once per subscription
 *       that produced one (for a {@link PartProcessor}: from the call for a part to its first output);</li>
 *   <li>{@value #PART_LATENCY}: timer. For a {@link PartProcessor}: from the call for a part to the end
 *       of that part's output. For a {@link Processor}, whose outputs need not answer one input each: the
 *       time from the latest input part to each output part (how far the output lags the input).</li>
 * </ul>
 */
public final class ProcessorMetrics {

  /** Counter of parts in and out. */
  public static final String PARTS = "genai.processor.parts";

  /** Timer from subscription to the first output part. */
  public static final String FIRST_PART = "genai.processor.first.part";

  /** Timer of per-part latency. */
  public static final String PART_LATENCY = "genai.processor.part.latency";

  private ProcessorMetrics() {}

  /**
   * {@code processor} with its stage recorded in {@code registry}, or {@code processor} itself when the
   * registry is null.
   *
   * @param stage the stage's name, the {@code stage} tag
   * @param processor the processor to observe
   * @param registry where to record, or null to record nothing
   * @return the observed processor
   */
  public static Processor observe(
      String stage, Processor processor, @Nullable MeterRegistry registry) {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(processor, "processor");
    if (registry == null) {
      return processor;
    }
    Meters meters = new Meters(stage, registry);
    return input ->
        Flux.defer(
            () -> {
              AtomicLong lastInput = new AtomicLong(meters.clock.monotonicTime());
              AtomicBoolean first = new AtomicBoolean(true);
              long subscribed = meters.clock.monotonicTime();
              Flux<Part> counted =
                  input.doOnNext(
                      p -> {
                        meters.in.increment();
                        lastInput.set(meters.clock.monotonicTime());
                      });
              return processor
                  .apply(counted)
                  .doOnNext(
                      p -> {
                        long now = meters.clock.monotonicTime();
                        meters.out.increment();
                        if (first.compareAndSet(true, false)) {
                          meters.firstPart.record(now - subscribed, TimeUnit.NANOSECONDS);
                        }
                        meters.latency.record(now - lastInput.get(), TimeUnit.NANOSECONDS);
                      });
            });
  }

  /**
   * {@code processor} with its stage recorded in {@code registry}, or {@code processor} itself when the
   * registry is null. Parts the processor does not match are neither counted nor timed.
   *
   * @param stage the stage's name, the {@code stage} tag
   * @param processor the part processor to observe
   * @param registry where to record, or null to record nothing
   * @return the observed part processor
   */
  public static PartProcessor observe(
      String stage, PartProcessor processor, @Nullable MeterRegistry registry) {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(processor, "processor");
    if (registry == null) {
      return processor;
    }
    Meters meters = new Meters(stage, registry);
    return new PartProcessor() {
      @Override
      public Flux<Part> process(Part part) {
        return Flux.defer(
            () -> {
              long start = meters.clock.monotonicTime();
              AtomicBoolean first = new AtomicBoolean(true);
              meters.in.increment();
              return processor
                  .process(part)
                  .doOnNext(
                      p -> {
                        meters.out.increment();
                        if (first.compareAndSet(true, false)) {
                          meters.firstPart.record(
                              meters.clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
                        }
                      })
                  .doOnComplete(
                      () ->
                          meters.latency.record(
                              meters.clock.monotonicTime() - start, TimeUnit.NANOSECONDS));
            });
      }

      @Override
      public boolean match(Part part) {
        return processor.match(part);
      }

      @Override
      public String toString() {
        return "Observed[" + stage + ", " + processor + "]";
      }
    };
  }

  /** The meters of one stage. */
  private static final class Meters {
    final Clock clock;
    final Counter in;
    final Counter out;
    final Timer firstPart;
    final Timer latency;

    Meters(String stage, MeterRegistry registry) {
      clock = registry.config().clock();
      in =
          Counter.builder(PARTS)
              .tag("stage", stage)
              .tag("direction", "in")
              .description("Parts that entered the stage")
              .register(registry);
      out =
          Counter.builder(PARTS)
              .tag("stage", stage)
              .tag("direction", "out")
              .description("Parts that left the stage")
              .register(registry);
      firstPart =
          Timer.builder(FIRST_PART)
              .tag("stage", stage)
              .description("Time from subscription (or a part's call) to the first output part")
              .register(registry);
      latency =
          Timer.builder(PART_LATENCY)
              .tag("stage", stage)
              .description("Latency per part")
              .register(registry);
    }
  }
}
