package dev.genaiprocessors.core.error;

/**
 * Too many requests, or the quota is used up (HTTP 429, {@code RESOURCE_EXHAUSTED}). Retried within the
 * budget; {@link #retryAfter()} says how long the server asked to wait, when it said.
 *
 * <p>Made through {@link ModelException#builder} with {@link ModelException.Kind#RATE_LIMIT}; see
 * {@link ModelException} for the details every model error carries.
 */
public final class ModelRateLimitException extends ModelException {
  ModelRateLimitException(Builder b) {
    super(b);
  }
}
