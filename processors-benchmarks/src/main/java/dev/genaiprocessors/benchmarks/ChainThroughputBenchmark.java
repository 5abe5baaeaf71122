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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.publisher.Flux;

/**
 * Throughput, in parts per second, of 1,000,000 small text parts through a chain of pass-through
 * stages (ten unless {@code -p stages=...} says otherwise): fused part processors, chained
 * processors, and the same chain as plain Reactor operators. One operation is one part; each
 * invocation runs the whole stream to completion on the benchmark thread (nothing in these
 * pipelines switches threads).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ChainThroughputBenchmark.PARTS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ChainThroughputBenchmark {

  static final int PARTS = 1_000_000;

  /** Stages in each chain; other values show the cost of one more stage. */
  @Param("10")
  public int stages;

  private Flux<Part> partProcessorChain;
  private Flux<Part> processorChain;
  private Flux<Part> reactorMap;
  private Flux<Part> reactorConcatMap;
  private Flux<Part> reactorFlatMapSequential;
  private Flux<Part> partProcessorsInMap;
  private Flux<Part> fusedChainInConcatMap;

  @Setup
  public void setUp() {
    Flux<Part> source = Flux.fromArray(Pipelines.textParts(PARTS));
    partProcessorChain = Pipelines.partProcessorChain(stages).apply(source);
    processorChain = Pipelines.processorChain(stages).apply(source);
    reactorMap = Pipelines.reactorMap(stages).apply(source);
    reactorConcatMap = Pipelines.reactorConcatMap(stages).apply(source);
    reactorFlatMapSequential = Pipelines.reactorFlatMapSequential().apply(source);
    partProcessorsInMap = Pipelines.partProcessorsInMap(stages).apply(source);
    fusedChainInConcatMap = Pipelines.fusedChainInConcatMap(stages).apply(source);
  }

  /** (a) Pass-through part processors fused with {@code then}, run with {@code toProcessor()}. */
  @Benchmark
  public long partProcessorChain(Blackhole bh) {
    return DrainSubscriber.drain(partProcessorChain, bh, PARTS);
  }

  /** (b) Pass-through processors chained with {@code then}. */
  @Benchmark
  public long processorChain(Blackhole bh) {
    return DrainSubscriber.drain(processorChain, bh, PARTS);
  }

  /** Floor: one {@code map(p -> p)} per stage. */
  @Benchmark
  public long reactorMap(Blackhole bh) {
    return DrainSubscriber.drain(reactorMap, bh, PARTS);
  }

  /** Floor: one {@code concatMap(p -> Flux.just(p))} per stage. */
  @Benchmark
  public long reactorConcatMap(Blackhole bh) {
    return DrainSubscriber.drain(reactorConcatMap, bh, PARTS);
  }

  /** Reference: one {@code flatMapSequential(p -> Flux.just(p), 256)}, the operator under a part-processor stage. */
  @Benchmark
  public long reactorFlatMapSequential(Blackhole bh) {
    return DrainSubscriber.drain(reactorFlatMapSequential, bh, PARTS);
  }

  /** Reference: the pass-through part processors called in turn inside one {@code map}, with no stage around them. */
  @Benchmark
  public long partProcessorsInMap(Blackhole bh) {
    return DrainSubscriber.drain(partProcessorsInMap, bh, PARTS);
  }

  /** Reference: the fused chain run by {@code concatMap(chain::process)} instead of {@code toProcessor()}. */
  @Benchmark
  public long fusedChainInConcatMap(Blackhole bh) {
    return DrainSubscriber.drain(fusedChainInConcatMap, bh, PARTS);
  }
}
