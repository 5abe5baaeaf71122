package dev.genaiprocessors.core;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The Reactive Streams publisher rules for {@link OrderedFlatMap} on its slow path only: upstream
 * delivers on a parallel thread, and every step result is subscribed to and answers on another thread
 * (empty, one part or two; fused asynchronously, fused not at all), with a concurrency of 4.
 */
public class OrderedFlatMapSlowPathTckTest extends OrderedFlatMapTck {

  /** Called by TestNG. */
  public OrderedFlatMapSlowPathTckTest() {}

  private static Object slow(Part input) {
    long n = first(input);
    return switch (count(input)) {
      case 0 -> Flux.<Part>empty().subscribeOn(Schedulers.parallel());
      case 1 ->
          n % 2 == 0
              ? Mono.just(output(n)).publishOn(Schedulers.parallel()).flux()
              : Mono.fromSupplier(() -> output(n)).subscribeOn(Schedulers.boundedElastic()).flux();
      default ->
          // Fused asynchronously (publishOn's queue, read in place), or not fused at all.
          (n / 2) % 2 == 0
              ? Flux.just(output(n), output(n + 1)).publishOn(Schedulers.parallel(), 1)
              : Flux.just(output(n), output(n + 1)).hide().subscribeOn(Schedulers.parallel());
    };
  }

  @Override
  public Publisher<Part> createPublisher(long elements) {
    return new OrderedFlatMap(
        inputs(elements, true, false).publishOn(Schedulers.parallel(), 4),
        OrderedFlatMapSlowPathTckTest::slow,
        4);
  }

  @Override
  public Publisher<Part> createFailedPublisher() {
    return new OrderedFlatMap(
        Flux.<Part>error(new IllegalStateException("upstream failed"))
            .publishOn(Schedulers.parallel()),
        OrderedFlatMapSlowPathTckTest::slow,
        4);
  }
}
