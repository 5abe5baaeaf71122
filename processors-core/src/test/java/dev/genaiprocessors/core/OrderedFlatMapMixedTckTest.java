package dev.genaiprocessors.core;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The Reactive Streams publisher rules for {@link OrderedFlatMap} as users get it: the output of a
 * {@link PartProcessor#toProcessor(int)} pipeline (concurrency 8, so a read-ahead in front and the
 * pipeline's reserved exit in the operator) on a synchronous upstream, with fast and slow results
 * mixed and status parts in the input that overtake the content waiting.
 */
public class OrderedFlatMapMixedTckTest extends OrderedFlatMapTck {

  private static final Processor MIXED =
      ((PartProcessor) OrderedFlatMapMixedTckTest::mixed).toProcessor(8);

  /** Called by TestNG. */
  public OrderedFlatMapMixedTckTest() {}

  private static Flux<Part> mixed(Part input) {
    long n = first(input);
    return switch (count(input)) {
      case 0 ->
          n % 2 == 0 ? Flux.empty() : Mono.<Part>empty().publishOn(Schedulers.parallel()).flux();
      case 1 ->
          switch ((int) (n % 3)) {
            case 0 -> Flux.just(output(n));
            case 1 -> Mono.just(output(n)).publishOn(Schedulers.parallel()).flux();
            default -> Mono.fromSupplier(() -> output(n)).flux();
          };
      default ->
          (n / 2) % 2 == 0
              ? Flux.just(output(n), output(n + 1))
              : Flux.just(output(n), output(n + 1)).publishOn(Schedulers.parallel(), 1);
    };
  }

  @Override
  public Publisher<Part> createPublisher(long elements) {
    return MIXED.apply(inputs(elements, true, true));
  }

  @Override
  public Publisher<Part> createFailedPublisher() {
    return MIXED.apply(Flux.error(new IllegalStateException("upstream failed")));
  }
}
