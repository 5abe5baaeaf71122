package dev.genaiprocessors.core;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * The Reactive Streams publisher rules for {@link OrderedFlatMap} on its fast path only: a synchronous
 * upstream, and step results that are there already (the output part itself, a {@code Flux.just},
 * {@link ScalarFlux#EMPTY} or {@code Flux.empty()}), so nothing is ever subscribed to but upstream.
 */
public class OrderedFlatMapFastPathTckTest extends OrderedFlatMapTck {

  /** Called by TestNG. */
  public OrderedFlatMapFastPathTckTest() {}

  private static Object fast(Part input) {
    long n = first(input);
    if (count(input) == 0) {
      return n % 2 == 0 ? ScalarFlux.EMPTY : Flux.<Part>empty();
    }
    return n % 2 == 0 ? output(n) : Flux.just(output(n));
  }

  @Override
  public Publisher<Part> createPublisher(long elements) {
    return new OrderedFlatMap(
        inputs(elements, false, false), OrderedFlatMapFastPathTckTest::fast, 16);
  }

  @Override
  public Publisher<Part> createFailedPublisher() {
    return new OrderedFlatMap(
        Flux.error(new IllegalStateException("upstream failed")),
        OrderedFlatMapFastPathTckTest::fast,
        16);
  }
}
