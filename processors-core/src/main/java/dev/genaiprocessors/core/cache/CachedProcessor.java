package dev.genaiprocessors.core.cache;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartBufferOverflowException;
import dev.genaiprocessors.core.Processor;
import java.util.Objects;
import reactor.core.publisher.Flux;

/**
 * A processor whose output is cached per whole input: the input is gathered first (so this is for
 * finite inputs such as the prompt of a turn-based model), then the output stored for that input is
 * replayed, or the wrapped processor runs on the gathered input and its output is stored.
 *
 * <p><b>Keys</b>: {@code keyPrefix + ":" + }{@link PartDigest#of(java.util.List)} of the input.
 * <b>Buffering</b>: at most {@code maxInputParts} input parts are gathered; a longer input fails with
 * {@link PartBufferOverflowException}. What is not cached, and how cache errors are handled, is as in
 * {@link CachedPartProcessor}.
 */
public final class CachedProcessor implements Processor {

  /** The default most input parts gathered: {@value}. */
  public static final int DEFAULT_MAX_INPUT_PARTS = 10_000;

  private final Processor delegate;
  private final PartCache cache;
  private final String keyPrefix;
  private final int maxInputParts;

  private CachedProcessor(
      Processor delegate, PartCache cache, String keyPrefix, int maxInputParts) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    if (keyPrefix.isBlank()) {
      throw new IllegalArgumentException(
          "keyPrefix must name the processor, so that processors sharing a cache do not mix");
    }
    if (maxInputParts < 1) {
      throw new IllegalArgumentException("maxInputParts must be at least 1, was " + maxInputParts);
    }
    this.maxInputParts = maxInputParts;
  }

  /**
   * {@code delegate} with its output cached under {@code keyPrefix}.
   *
   * @param delegate the processor whose output is cached
   * @param cache where outputs are stored
   * @param keyPrefix prefix of every cache key, naming the delegate so caches can be shared
   * @return the caching processor
   */
  public static CachedProcessor of(Processor delegate, PartCache cache, String keyPrefix) {
    return new CachedProcessor(delegate, cache, keyPrefix, DEFAULT_MAX_INPUT_PARTS);
  }

  /**
   * {@code delegate} with its output cached, gathering at most {@code maxInputParts} input parts.
   *
   * @param delegate the processor whose output is cached
   * @param cache where outputs are stored
   * @param keyPrefix prefix of every cache key, naming the delegate so caches can be shared
   * @param maxInputParts the most input parts gathered into one key; longer inputs are not cached
   * @return the caching processor
   */
  public static CachedProcessor of(
      Processor delegate, PartCache cache, String keyPrefix, int maxInputParts) {
    return new CachedProcessor(delegate, cache, keyPrefix, maxInputParts);
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return input
        .take(maxInputParts + 1L, true)
        .collectList()
        .flatMapMany(
            parts -> {
              if (parts.size() > maxInputParts) {
                return Flux.error(
                    new PartBufferOverflowException(
                        "CachedProcessor '"
                            + keyPrefix
                            + "' gathers at most "
                            + maxInputParts
                            + " input parts; the input was longer. Raise maxInputParts or cache per part "
                            + "with CachedPartProcessor"));
              }
              String key = keyPrefix + ":" + PartDigest.of(parts);
              return CachedPartProcessor.cachedOrCompute(
                  cache,
                  key,
                  () -> delegate.apply(Flux.fromIterable(parts)),
                  CachedPartProcessor.DEFAULT_MAX_CACHED_PARTS);
            });
  }

  @Override
  public String toString() {
    return "CachedProcessor[" + keyPrefix + ", " + delegate + "]";
  }
}
