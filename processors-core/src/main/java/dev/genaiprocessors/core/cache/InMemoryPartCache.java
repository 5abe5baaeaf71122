package dev.genaiprocessors.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.genaiprocessors.core.Part;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** {@link PartCache} on a bounded Caffeine cache with expiry after write. */
final class InMemoryPartCache implements PartCache {

  private final Cache<String, List<Part>> cache;

  InMemoryPartCache(long maxEntries, Duration timeToLive, Scheduler clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
    }
    Objects.requireNonNull(timeToLive, "timeToLive");
    if (timeToLive.isZero() || timeToLive.isNegative()) {
      throw new IllegalArgumentException("timeToLive must be positive, was " + timeToLive);
    }
    Objects.requireNonNull(clock, "clock");
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfterWrite(timeToLive)
            .ticker(() -> clock.now(TimeUnit.NANOSECONDS))
            // Maintenance runs on the calling thread: no executor thread of Caffeine's own.
            .executor(Runnable::run)
            .build();
  }

  @Override
  public Mono<List<Part>> lookup(String key) {
    return Mono.fromSupplier(() -> cache.getIfPresent(key));
  }

  @Override
  public Mono<Void> put(String key, List<Part> parts) {
    List<Part> copy = List.copyOf(parts);
    return Mono.fromRunnable(() -> cache.put(key, copy));
  }

  @Override
  public Mono<Void> remove(String key) {
    return Mono.fromRunnable(() -> cache.invalidate(key));
  }

  @Override
  public String toString() {
    return "InMemoryPartCache[" + cache.estimatedSize() + " entries]";
  }
}
