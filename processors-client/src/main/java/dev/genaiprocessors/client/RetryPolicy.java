package dev.genaiprocessors.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * When and how often a turn-based model client tries a call again.
 *
 * <p><b>What is retried.</b> An answer with HTTP status 408, 429, 500, 502, 503 or 504 (or the same
 * code in an error event inside the stream), a connection that fails or is cut, a read that stays idle
 * past the client's read timeout, and a stream that ends before the provider said it had finished.
 * Nothing else: a bad request, a bad key, an unknown model or a malformed response fail at once.
 *
 * <p><b>Backoff.</b> Before retry number {@code n} (1 for the first retry) the client waits
 * {@code min(initialBackoff * 2^(n-1), maxBackoff) + U(0, jitter)}; with the defaults 1 s, 2 s, 4 s,
 * 8 s, each plus up to 1 s, as {@code min(2^attempt, 60) + U(0, 1)} seconds in the original library.
 * When the server says how long to wait ({@code Retry-After}, Gemini's {@code RetryInfo}), the client
 * waits at least that long, still at most {@code maxBackoff} (plus jitter). The wait runs on the
 * client's {@code Scheduler}, so tests can use virtual time.
 *
 * <p><b>After output.</b> A retry never takes back what was already emitted. When nothing has been
 * emitted yet, the retry sends the same request again. When text has been emitted and
 * {@link #continueAfterOutput()} is true (the default), the retry sends the same request plus the
 * emitted text as the start of the model's answer, and appends what the model adds: the client repeats
 * nothing itself, though a model may not continue exactly where it stopped (Gemini and local servers
 * continue a final model message; OpenAI's own API answers it anew). After a function call, an inline
 * blob or thinking has been emitted, or when {@code continueAfterOutput} is false, a failure after output
 * is not retried.
 *
 * <pre>{@code
 * RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(200)).build();
 * RetryPolicy.none();   // one attempt
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryPolicy {

  /** The HTTP status codes that are retried. */
  public static final Set<Integer> RETRYABLE_STATUS_CODES = Set.of(408, 429, 500, 502, 503, 504);

  private static final RetryPolicy DEFAULTS = new Builder().build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration jitter;
  private final boolean continueAfterOutput;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.jitter = b.jitter;
    this.continueAfterOutput = b.continueAfterOutput;
  }

  /**
   * 5 attempts, backoff from 1 s doubling up to 60 s, jitter up to 1 s, continuing after output.
   *
   * @return the default policy
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * A single attempt: nothing is retried.
   *
   * @return a policy of one attempt
   */
  public static RetryPolicy none() {
    return new Builder().maxAttempts(1).build();
  }

  /**
   * A builder with the {@linkplain #defaults() defaults}.
   *
   * @return a new builder with the default values
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this policy's values.
   *
   * @return a new builder with this policy's values, to build a changed copy
   */
  public Builder toBuilder() {
    return new Builder()
        .maxAttempts(maxAttempts)
        .initialBackoff(initialBackoff)
        .maxBackoff(maxBackoff)
        .jitter(jitter)
        .continueAfterOutput(continueAfterOutput);
  }

  /**
   * The most attempts of one call, the first included.
   *
   * @return the attempt limit, at least 1 (1: no retries)
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The wait before the first retry, before jitter.
   *
   * @return the first wait, zero or positive
   */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /**
   * The longest wait before jitter.
   *
   * @return the cap on the doubled wait, zero or positive
   */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * The most random time added to each wait.
   *
   * @return the jitter bound, zero for none
   */
  public Duration jitter() {
    return jitter;
  }

  /**
   * Whether a call that fails after text was emitted is retried as a continuation.
   *
   * @return true when such a call is retried as a continuation, false when it fails
   */
  public boolean continueAfterOutput() {
    return continueAfterOutput;
  }

  /**
   * True for the HTTP status codes that are retried.
   *
   * @param statusCode an HTTP status code
   * @return true when it is one of {@link #RETRYABLE_STATUS_CODES}
   */
  public static boolean isRetryableStatus(int statusCode) {
    return RETRYABLE_STATUS_CODES.contains(statusCode);
  }

  /**
   * The wait before retry number {@code retry}.
   *
   * @param retry 1 for the first retry
   * @param serverHint how long the server asked to wait, or null
   * @param random a number in [0, 1) that scales the jitter
   * @return the wait: the backoff doubled per retry, raised to the server's hint, capped at
   *     {@link #maxBackoff()}, plus {@code random} times the jitter
   */
  public Duration backoff(int retry, @Nullable Duration serverHint, double random) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry counts from 1, was " + retry);
    }
    long initial = initialBackoff.toNanos();
    long max = maxBackoff.toNanos();
    long base = Math.min(initial, max);
    for (int i = 1; i < retry && base < max; i++) {
      base = base > max / 2 ? max : base * 2;
    }
    if (serverHint != null) {
      base = Math.min(Math.max(base, serverHint.toNanos()), max);
    }
    return Duration.ofNanos(base + (long) (jitter.toNanos() * random));
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", jitter="
        + jitter
        + ", continueAfterOutput="
        + continueAfterOutput
        + "]";
  }

  /** Builds a {@link RetryPolicy}; each setter validates its value at once. */
  public static final class Builder {
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(60);
    private Duration jitter = Duration.ofSeconds(1);
    private boolean continueAfterOutput = true;

    private Builder() {}

    /**
     * The most attempts of one call, the first included; default 5, 1 disables retries.
     *
     * @param maxAttempts the attempt limit, the first attempt included; at least 1
     * @return this builder
     * @throws IllegalArgumentException when less than 1
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The wait before the first retry; default 1 s. Each retry doubles it up to {@link #maxBackoff}.
     *
     * @param initialBackoff the first wait; zero or positive
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = nonNegative(initialBackoff, "initialBackoff");
      return this;
    }

    /**
     * The longest wait before jitter; default 60 s.
     *
     * @param maxBackoff the cap on the doubled wait; zero or positive
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = nonNegative(maxBackoff, "maxBackoff");
      return this;
    }

    /**
     * The most random time added to each wait, so that clients do not retry in step; default 1 s,
     * {@code Duration.ZERO} for none.
     *
     * @param jitter the bound of the random time added to each wait; zero or positive
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder jitter(Duration jitter) {
      this.jitter = nonNegative(jitter, "jitter");
      return this;
    }

    /**
     * Whether a call that fails after text was emitted is retried as a continuation; default true.
     *
     * @param continueAfterOutput true to retry as a continuation of the text already emitted, false to fail
     * @return this builder
     */
    public Builder continueAfterOutput(boolean continueAfterOutput) {
      this.continueAfterOutput = continueAfterOutput;
      return this;
    }

    /**
     * The policy.
     *
     * @return a new immutable policy with this builder's values
     * @throws IllegalArgumentException when {@code initialBackoff} exceeds {@code maxBackoff}
     */
    public RetryPolicy build() {
      if (initialBackoff.compareTo(maxBackoff) > 0) {
        throw new IllegalArgumentException(
            "initialBackoff ("
                + initialBackoff
                + ") must not exceed maxBackoff ("
                + maxBackoff
                + ")");
      }
      return new RetryPolicy(this);
    }

    private static Duration nonNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, was " + d);
      }
      return d;
    }
  }
}
