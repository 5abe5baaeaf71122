package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.core.Part;
import org.openjdk.jmh.infra.Blackhole;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;

/**
 * Subscribes to a synchronous pipeline with unbounded demand, hands every part to a {@link Blackhole}
 * and checks that the pipeline completed with the expected number of parts.
 */
final class DrainSubscriber implements CoreSubscriber<Part> {

  private final Blackhole blackhole;
  private long count;
  private boolean completed;
  private Throwable error;

  private DrainSubscriber(Blackhole blackhole) {
    this.blackhole = blackhole;
  }

  /**
   * Runs {@code flux} to completion on the calling thread.
   *
   * @return the number of parts received
   * @throws IllegalStateException when the flux failed, did not complete synchronously or gave another count
   */
  static long drain(Flux<Part> flux, Blackhole blackhole, long expected) {
    DrainSubscriber subscriber = new DrainSubscriber(blackhole);
    flux.subscribe(subscriber);
    if (subscriber.error != null) {
      throw new IllegalStateException("pipeline failed", subscriber.error);
    }
    if (!subscriber.completed || subscriber.count != expected) {
      throw new IllegalStateException(
          "expected "
              + expected
              + " parts and completion, got "
              + subscriber.count
              + ", completed="
              + subscriber.completed);
    }
    return subscriber.count;
  }

  @Override
  public void onSubscribe(Subscription s) {
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(Part part) {
    blackhole.consume(part);
    count++;
  }

  @Override
  public void onError(Throwable t) {
    error = t;
  }

  @Override
  public void onComplete() {
    completed = true;
  }
}
