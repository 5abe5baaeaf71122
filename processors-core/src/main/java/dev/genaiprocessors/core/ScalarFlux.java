package dev.genaiprocessors.core;

import org.jspecify.annotations.Nullable;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;

/**
 * Reads the value of a {@code Flux.just(x)} or {@code Flux.empty()} at assembly, so composites can
 * pass it on without subscribing: the reason a pass-through step costs no per-part subscription.
 */
final class ScalarFlux {
  /** Marks a flux that is not scalar. */
  static final Object NOT_SCALAR = new Object();

  /** Marks an empty scalar flux. */
  static final Object EMPTY = new Object();

  private ScalarFlux() {}

  /** The single value, {@link #EMPTY}, or {@link #NOT_SCALAR}. */
  static Object valueOf(Flux<Part> flux) {
    if (flux instanceof Fuseable.ScalarCallable<?> scalar) {
      try {
        @Nullable Object value = scalar.call();
        return value == null ? EMPTY : value;
      } catch (Exception e) {
        return NOT_SCALAR;
      }
    }
    return NOT_SCALAR;
  }
}
