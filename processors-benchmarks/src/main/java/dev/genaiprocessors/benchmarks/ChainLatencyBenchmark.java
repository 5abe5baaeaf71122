package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Sinks;

/**
 * Latency per part when parts arrive one at a time: the time from emitting a part into a
 * {@code Sinks.many().unicast()} to its arrival at the subscriber, through a pipeline that stays
 * subscribed across invocations. {@code sinkOnly} is the sink with no stage, so the latency a
 * pipeline adds is its figure minus that one. {@link Mode#SampleTime} reports the percentiles.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ChainLatencyBenchmark {

  private static final int STAGES = 10;

  private final Part part = Part.text("a small text part");

  private Line sinkOnly;
  private Line partProcessorChain;
  private Line reactorMap;
  private Line reactorConcatMap;

  @Setup
  public void setUp() {
    sinkOnly = new Line(in -> in);
    partProcessorChain = new Line(Pipelines.partProcessorChain(STAGES));
    reactorMap = new Line(Pipelines.reactorMap(STAGES));
    reactorConcatMap = new Line(Pipelines.reactorConcatMap(STAGES));
  }

  @TearDown
  public void tearDown() {
    sinkOnly.close();
    partProcessorChain.close();
    reactorMap.close();
    reactorConcatMap.close();
  }

  /** Baseline: the sink straight to the subscriber. */
  @Benchmark
  public Part sinkOnly() {
    return sinkOnly.roundTrip(part);
  }

  /** Ten pass-through part processors fused with {@code then}, run with {@code toProcessor()}. */
  @Benchmark
  public Part partProcessorChain() {
    return partProcessorChain.roundTrip(part);
  }

  /** Floor: ten {@code map(p -> p)}. */
  @Benchmark
  public Part reactorMap() {
    return reactorMap.roundTrip(part);
  }

  /** Floor: ten {@code concatMap(p -> Flux.just(p))}. */
  @Benchmark
  public Part reactorConcatMap() {
    return reactorConcatMap.roundTrip(part);
  }

  /** A sink, a pipeline subscribed to it, and the last part that came out. */
  private static final class Line implements CoreSubscriber<Part> {
    private final Sinks.Many<Part> sink = Sinks.many().unicast().onBackpressureBuffer();
    private Part arrived;
    private Throwable error;

    Line(Processor pipeline) {
      pipeline.apply(sink.asFlux()).subscribe(this);
    }

    /** Emits the part and returns it as it arrived; everything runs on the calling thread. */
    Part roundTrip(Part p) {
      Sinks.EmitResult result = sink.tryEmitNext(p);
      Part out = arrived;
      if (result.isFailure() || out != p) {
        throw new IllegalStateException("part not delivered: " + result, error);
      }
      arrived = null;
      return out;
    }

    void close() {
      sink.tryEmitComplete();
    }

    @Override
    public void onSubscribe(Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Part p) {
      arrived = p;
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onComplete() {}
  }
}
