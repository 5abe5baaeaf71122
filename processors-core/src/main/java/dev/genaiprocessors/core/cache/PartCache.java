package dev.genaiprocessors.core.cache;

import dev.genaiprocessors.core.Part;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A store of the parts a processor produced, by key. Used by {@link CachedPartProcessor} and
 * {@link CachedProcessor}; implement it to keep results elsewhere (a database, a shared cache).
 *
 * <p>Every method is asynchronous and must not block the calling thread; errors are reported as
 * error signals. The caching processors treat a failed lookup as a miss and a failed put as not
 * cached, and log both.
 */
public interface PartCache {

  /**
   * The parts stored under the key, or an empty {@code Mono} on a miss.
   *
   * @param key the cache key
   * @return the stored parts, or empty on a miss
   */
  Mono<List<Part>> lookup(String key);

  /**
   * Stores the parts under the key, replacing what was there.
   *
   * @param key the cache key
   * @param parts the parts to store, in order
   * @return completes when stored
   */
  Mono<Void> put(String key, List<Part> parts);

  /**
   * Removes the key.
   *
   * @param key the cache key
   * @return completes when removed, also when the key was absent
   */
  Mono<Void> remove(String key);

  /**
   * An in-memory cache of at most 1,000 entries, each kept 12 hours (the original library's
   * defaults), timed by {@link Schedulers#parallel()}'s clock.
   *
   * @return a new in-memory cache
   */
  static PartCache inMemory() {
    return inMemory(1_000, Duration.ofHours(12), Schedulers.parallel());
  }

  /**
   * An in-memory cache.
   *
   * <p><b>Buffering</b>: at most {@code maxEntries} entries; past that, the least valuable are evicted
   * (Caffeine's size policy). <b>Time</b>: an entry expires {@code timeToLive} after it was written,
   * by the scheduler's clock, so tests can drive expiry with virtual time.
   *
   * @param maxEntries the most entries kept, at least 1
   * @param timeToLive how long an entry is kept after it is written, positive
   * @param clock the scheduler whose {@code now} times expiry
   * @return a new in-memory cache
   */
  static PartCache inMemory(long maxEntries, Duration timeToLive, Scheduler clock) {
    return new InMemoryPartCache(maxEntries, timeToLive, clock);
  }
}
