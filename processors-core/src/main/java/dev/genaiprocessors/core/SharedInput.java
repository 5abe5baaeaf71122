package dev.genaiprocessors.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SignalType;

/**
 * Shares one input among several branches, so that each sees every part.
 *
 * <p>The input is subscribed only once every branch has subscribed to it ({@code publish().refCount(n)}
 * connects after the n-th subscriber is in place), so a branch that subscribes late loses nothing.
 * A branch that finishes without ever subscribing is stood in for by a subscriber that discards
 * what it gets, so that it cannot hold the others back. Parts flow at the pace of the slowest branch
 * ({@code publish}'s bounded prefetch).
 */
final class SharedInput {
  private SharedInput() {}

  /**
   * @param branch makes branch {@code i}'s output from its view of the shared input
   * @param join joins the branch outputs into the result
   */
  static Flux<Part> fanOut(
      Flux<Part> input,
      int branches,
      BiFunction<Integer, Flux<Part>, Flux<Part>> branch,
      Function<List<Flux<Part>>, Flux<Part>> join) {
    return Flux.defer(
        () -> {
          Flux<Part> shared = input.publish().refCount(branches);
          Disposable.Composite standIns = Disposables.composite();
          List<Flux<Part>> outputs = new ArrayList<>(branches);
          for (int i = 0; i < branches; i++) {
            AtomicBoolean subscribed = new AtomicBoolean();
            Flux<Part> view = shared.doOnSubscribe(s -> subscribed.set(true));
            outputs.add(
                branch
                    .apply(i, view)
                    .doFinally(
                        signal -> {
                          if (signal != SignalType.CANCEL
                              && subscribed.compareAndSet(false, true)) {
                            standIns.add(shared.subscribe(part -> {}, error -> {}));
                          }
                        }));
          }
          return join.apply(outputs).doFinally(signal -> standIns.dispose());
        });
  }
}
