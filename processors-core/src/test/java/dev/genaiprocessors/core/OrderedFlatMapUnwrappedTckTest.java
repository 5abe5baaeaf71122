package dev.genaiprocessors.core;

import java.util.Objects;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.testng.SkipException;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The Reactive Streams publisher rules for {@link OrderedFlatMap} itself, with nothing of Reactor's in
 * front of the TCK's subscriber. {@code Flux.subscribe} wraps a plain subscriber in Reactor's
 * {@code StrictSubscriber}, which serialises a terminal signal behind an {@code onNext} in progress
 * and so could hide one sent concurrently (rule 1.3); here the operator gets the TCK's subscriber as it
 * is, the way it gets the next operator inside a chain. The step mixes results that are there already
 * with results that answer on other threads, on a synchronous upstream, so the fast path and the drain
 * on other threads race.
 *
 * <p>Rule 3.9 ({@code request(0)} and negative requests signal {@code IllegalArgumentException}) is
 * skipped here by design: like every Reactor operator, {@code OrderedFlatMap} leaves it to
 * {@code StrictSubscriber} at the edge, where a plain subscriber enters; the three other TCK classes
 * run it through that edge.
 */
public class OrderedFlatMapUnwrappedTckTest extends OrderedFlatMapTck {

  /** Called by TestNG. */
  public OrderedFlatMapUnwrappedTckTest() {}

  private static Object racing(Part input) {
    long n = first(input);
    return switch (count(input)) {
      case 0 ->
          n % 2 == 0
              ? ScalarFlux.EMPTY
              : Mono.<Part>empty().publishOn(Schedulers.parallel()).flux();
      case 1 ->
          n % 2 == 0 ? output(n) : Mono.just(output(n)).publishOn(Schedulers.parallel()).flux();
      default -> Flux.just(output(n), output(n + 1)).publishOn(Schedulers.parallel(), 1);
    };
  }

  /** The operator, subscribed with the TCK's subscriber as it is. */
  private static Publisher<Part> unwrapped(Flux<Part> inputs) {
    OrderedFlatMap operator = new OrderedFlatMap(inputs, OrderedFlatMapUnwrappedTckTest::racing, 8);
    return subscriber -> operator.subscribe(new Direct(Objects.requireNonNull(subscriber)));
  }

  @Override
  public Publisher<Part> createPublisher(long elements) {
    return unwrapped(inputs(elements, true, false));
  }

  @Override
  public Publisher<Part> createFailedPublisher() {
    return unwrapped(Flux.error(new IllegalStateException("upstream failed")));
  }

  private static final String LEFT_TO_STRICT_SUBSCRIBER =
      "Rule 3.9 is left to Reactor's StrictSubscriber, which Flux.subscribe puts in front of a plain"
          + " subscriber; the other OrderedFlatMap TCK classes check it through that edge.";

  @Override
  public void required_spec309_requestZeroMustSignalIllegalArgumentException() {
    throw new SkipException(LEFT_TO_STRICT_SUBSCRIBER);
  }

  @Override
  public void required_spec309_requestNegativeNumberMustSignalIllegalArgumentException() {
    throw new SkipException(LEFT_TO_STRICT_SUBSCRIBER);
  }

  @Override
  public void
      optional_spec309_requestNegativeNumberMaySignalIllegalArgumentExceptionWithSpecificMessage() {
    throw new SkipException(LEFT_TO_STRICT_SUBSCRIBER);
  }

  /** Passes every signal on unchanged: a plain subscriber seen as a {@link CoreSubscriber}. */
  private static final class Direct implements CoreSubscriber<Part> {
    private final Subscriber<? super Part> actual;

    Direct(Subscriber<? super Part> actual) {
      this.actual = actual;
    }

    @Override
    public void onSubscribe(Subscription s) {
      actual.onSubscribe(s);
    }

    @Override
    public void onNext(Part part) {
      actual.onNext(part);
    }

    @Override
    public void onError(Throwable t) {
      actual.onError(t);
    }

    @Override
    public void onComplete() {
      actual.onComplete();
    }
  }
}
