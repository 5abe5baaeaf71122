package dev.genaiprocessors.audio.event;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The meters of an {@link EventDetection}. {@link #NONE} records nothing and loads no Micrometer
 * class; {@link #of(MeterRegistry, String)} records in a registry.
 */
interface EventMeters {

  /** Records nothing. */
  EventMeters NONE =
      new EventMeters() {
        @Override
        public void detected() {}

        @Override
        public void debounced() {}

        @Override
        public void latency(long nanos) {}
      };

  /** A transition fired. */
  void detected();

  /** A transition was suppressed by the debounce. */
  void debounced();

  /** A detection took this long, from its start to its answer. */
  void latency(long nanos);

  /** Meters tagged {@code detector=<name>}, named by the constants of {@link EventDetection}. */
  static EventMeters of(MeterRegistry registry, String detector) {
    Counter detected =
        Counter.builder(EventDetection.EVENTS_DETECTED)
            .tag("detector", detector)
            .description("Transitions that fired")
            .register(registry);
    Counter debounced =
        Counter.builder(EventDetection.EVENTS_DEBOUNCED)
            .tag("detector", detector)
            .description("Transitions suppressed by the debounce")
            .register(registry);
    Timer latency =
        Timer.builder(EventDetection.DETECTION_LATENCY)
            .tag("detector", detector)
            .description("From the start of a detection to its answer")
            .register(registry);
    return new EventMeters() {
      @Override
      public void detected() {
        detected.increment();
      }

      @Override
      public void debounced() {
        debounced.increment();
      }

      @Override
      public void latency(long nanos) {
        latency.record(nanos, TimeUnit.NANOSECONDS);
      }
    };
  }
}
