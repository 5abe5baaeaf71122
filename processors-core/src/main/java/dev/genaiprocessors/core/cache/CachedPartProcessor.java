package dev.genaiprocessors.core.cache;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A part processor whose outputs are cached per input part: on a hit the stored parts are replayed
 * and the wrapped processor is not called; on a miss its outputs stream through as they come and are
 * stored once it completes.
 *
 * <pre>{@code
 * PartProcessor cached = CachedPartProcessor.of(describeImage, PartCache.inMemory(), "describe-v1");
 * }</pre>
 *
 * <p><b>Keys</b>: {@code keyPrefix + ":" + }{@link PartDigest#of(Part)}; give each processor sharing a
 * cache its own prefix, and change it when the processor's behaviour changes.
 * <b>What is not cached</b>: empty outputs, outputs holding an exception part, outputs that ended in an
 * error or were cancelled, and outputs of more than {@code maxCachedParts} parts (they stream through
 * uncached). <b>Ordering</b>: completion is signalled after the store has accepted the parts.
 * <b>Errors</b> of the cache are logged and treated as a miss (lookup) or as not cached (put); errors
 * of the wrapped processor pass through unchanged.
 */
public final class CachedPartProcessor implements PartProcessor {

  /** The default most parts one input part's output may have and still be cached: {@value}. */
  public static final int DEFAULT_MAX_CACHED_PARTS = 10_000;

  private static final Logger log = LoggerFactory.getLogger(CachedPartProcessor.class);

  private final PartProcessor delegate;
  private final PartCache cache;
  private final String keyPrefix;
  private final int maxCachedParts;

  private CachedPartProcessor(
      PartProcessor delegate, PartCache cache, String keyPrefix, int maxCachedParts) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    if (keyPrefix.isBlank()) {
      throw new IllegalArgumentException(
          "keyPrefix must name the processor, so that processors sharing a cache do not mix");
    }
    if (maxCachedParts < 1) {
      throw new IllegalArgumentException(
          "maxCachedParts must be at least 1, was " + maxCachedParts);
    }
    this.maxCachedParts = maxCachedParts;
  }

  /**
   * {@code delegate} with its outputs cached under {@code keyPrefix}.
   *
   * @param delegate the part processor whose outputs are cached
   * @param cache where outputs are stored
   * @param keyPrefix prefix of every cache key, naming the delegate so caches can be shared
   * @return the caching part processor
   */
  public static CachedPartProcessor of(PartProcessor delegate, PartCache cache, String keyPrefix) {
    return new CachedPartProcessor(delegate, cache, keyPrefix, DEFAULT_MAX_CACHED_PARTS);
  }

  /**
   * {@code delegate} with its outputs cached, outputs longer than {@code maxCachedParts} left uncached.
   *
   * @param delegate the part processor whose outputs are cached
   * @param cache where outputs are stored
   * @param keyPrefix prefix of every cache key, naming the delegate so caches can be shared
   * @param maxCachedParts the longest output, in parts, that is cached
   * @return the caching part processor
   */
  public static CachedPartProcessor of(
      PartProcessor delegate, PartCache cache, String keyPrefix, int maxCachedParts) {
    return new CachedPartProcessor(delegate, cache, keyPrefix, maxCachedParts);
  }

  @Override
  public boolean match(Part part) {
    return delegate.match(part);
  }

  @Override
  public Flux<Part> process(Part part) {
    String key = keyPrefix + ":" + PartDigest.of(part);
    return cachedOrCompute(cache, key, () -> delegate.process(part), maxCachedParts);
  }

  /** Replays the parts under the key, or computes them, streams them and stores them. */
  static Flux<Part> cachedOrCompute(
      PartCache cache,
      String key,
      java.util.function.Supplier<Flux<Part>> compute,
      int maxCachedParts) {
    Mono<List<Part>> lookup =
        cache
            .lookup(key)
            .onErrorResume(
                e -> {
                  log.warn("cache lookup failed for key {}; computing instead", key, e);
                  return Mono.empty();
                });
    return lookup
        .flatMapMany(Flux::fromIterable)
        .switchIfEmpty(
            Flux.defer(
                () -> {
                  List<Part> produced = new ArrayList<>();
                  boolean[] cacheable = {true};
                  Flux<Part> out = Objects.requireNonNull(compute.get(), "processor returned null");
                  return out.doOnNext(
                          p -> {
                            if (!cacheable[0]) {
                              return;
                            }
                            if (p.isException() || produced.size() >= maxCachedParts) {
                              cacheable[0] = false;
                              produced.clear();
                            } else {
                              produced.add(p);
                            }
                          })
                      .concatWith(
                          Mono.defer(
                                  () ->
                                      cacheable[0] && !produced.isEmpty()
                                          ? cache
                                              .put(key, List.copyOf(produced))
                                              .onErrorResume(
                                                  e -> {
                                                    log.warn(
                                                        "cache put failed for key {}; result not cached",
                                                        key,
                                                        e);
                                                    return Mono.empty();
                                                  })
                                          : Mono.empty())
                              .then(Mono.empty()));
                }));
  }

  @Override
  public String toString() {
    return "CachedPartProcessor[" + keyPrefix + ", " + delegate + "]";
  }
}
