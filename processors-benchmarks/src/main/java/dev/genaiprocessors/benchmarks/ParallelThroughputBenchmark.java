package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.core.Part;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.publisher.Flux;

/**
 * Throughput, in input parts per second, of 1,000,000 small text parts through
 * {@code PartProcessor.parallel} of four pass-through branches run as a stage (four output parts per
 * input part), and through the plain Reactor floor {@code concatMap(p -> Flux.just(p, p, p, p))}.
 * One operation is one input part.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ParallelThroughputBenchmark.PARTS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ParallelThroughputBenchmark {

  static final int PARTS = 1_000_000;
  private static final int BRANCHES = 4;

  private Flux<Part> partProcessorParallel;
  private Flux<Part> reactorConcatMapFourCopies;

  @Setup
  public void setUp() {
    Flux<Part> source = Flux.fromArray(Pipelines.textParts(PARTS));
    partProcessorParallel = Pipelines.partProcessorParallel().apply(source);
    reactorConcatMapFourCopies = Pipelines.reactorConcatMapFourCopies().apply(source);
  }

  /** (c) {@code PartProcessor.parallel(a, b, c, d).toProcessor()}, every branch {@code part -> Flux.just(part)}. */
  @Benchmark
  public long partProcessorParallel(Blackhole bh) {
    return DrainSubscriber.drain(partProcessorParallel, bh, (long) PARTS * BRANCHES);
  }

  /** Floor: {@code concatMap(p -> Flux.just(p, p, p, p))}. */
  @Benchmark
  public long reactorConcatMapFourCopies(Blackhole bh) {
    return DrainSubscriber.drain(reactorConcatMapFourCopies, bh, (long) PARTS * BRANCHES);
  }
}
