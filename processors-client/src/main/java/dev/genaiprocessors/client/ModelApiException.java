package dev.genaiprocessors.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A model API answered a call with an error: an HTTP status other than 200, or an error event inside
 * the stream. It carries the HTTP status, the provider's own status or error type and message, and a
 * {@link Kind} to act on without parsing messages.
 *
 * <pre>{@code
 * model.apply(prompt).onErrorResume(ModelApiException.class, e -> switch (e.kind()) {
 *   case AUTHENTICATION -> Flux.just(Part.status("check the API key"));
 *   default -> Flux.error(e);
 * });
 * }</pre>
 *
 * <p><b>Retries.</b> When the client gives up after retrying (see {@link RetryPolicy}), this is the
 * error of the last attempt and {@link #attempts()} says how many were made.
 *
 * <p><b>Secrets.</b> No message, field or {@code toString} holds the API key: the clients remove it even
 * from messages the server echoes.
 */
public final class ModelApiException extends RuntimeException {

  /** What kind of error, by HTTP status and the provider's status. */
  public enum Kind {
    /** The request was refused as invalid (HTTP 400, 422): fix the request, retrying will not help. */
    BAD_REQUEST,
    /** The API key is missing, wrong or lacks permission (HTTP 401, 403; Gemini's 400 {@code API_KEY_INVALID}). */
    AUTHENTICATION,
    /** The model (or the endpoint) does not exist (HTTP 404). */
    NOT_FOUND,
    /** Too many requests or quota exhausted (HTTP 429); retried. */
    RATE_LIMITED,
    /** The server failed or is overloaded (HTTP 5xx); 500, 502, 503 and 504 are retried. */
    SERVER_ERROR,
    /**
     * The server answered with a redirect (HTTP 3xx). The clients never follow one, so that the API key
     * is never sent to an address other than the configured one; the message names the {@code Location}.
     * Not retried: point the base URL at the final address.
     */
    REDIRECTED,
    /** Anything else, such as 408 (retried) or an unexpected status. */
    OTHER;

    /** The kind of an HTTP status. */
    public static Kind of(int statusCode) {
      return switch (statusCode) {
        case 400, 422 -> BAD_REQUEST;
        case 401, 403 -> AUTHENTICATION;
        case 404 -> NOT_FOUND;
        case 429 -> RATE_LIMITED;
        case 300, 301, 302, 303, 304, 305, 307, 308 -> REDIRECTED;
        default -> statusCode >= 500 && statusCode < 600 ? SERVER_ERROR : OTHER;
      };
    }
  }

  private final String provider;
  private final int statusCode;
  private final String apiStatus;
  private final String apiMessage;
  private final Kind kind;
  private final int attempts;
  private final @Nullable Duration retryAfter;

  /**
   * Made by the model clients; the message must already be free of secrets.
   *
   * @param provider who answered, such as {@code Gemini}
   * @param statusCode the HTTP status, or the code of an error event inside a stream (0 when it had none)
   * @param apiStatus the provider's status or error type ({@code RESOURCE_EXHAUSTED}, {@code invalid_request_error}),
   *     or empty
   * @param apiMessage the provider's message, or empty
   * @param kind what kind of error
   * @param attempts how many attempts were made, this one included
   * @param retryAfter how long the server asked to wait before retrying, or null
   * @param message the whole message
   */
  public ModelApiException(
      String provider,
      int statusCode,
      String apiStatus,
      String apiMessage,
      Kind kind,
      int attempts,
      @Nullable Duration retryAfter,
      String message) {
    super(message, null, true, false); // no stack trace: the server, not this code, failed
    this.provider = Objects.requireNonNull(provider, "provider");
    this.statusCode = statusCode;
    this.apiStatus = Objects.requireNonNull(apiStatus, "apiStatus");
    this.apiMessage = Objects.requireNonNull(apiMessage, "apiMessage");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.attempts = attempts;
    this.retryAfter = retryAfter;
  }

  /** Who answered, such as {@code Gemini} or {@code OpenAI-compatible}. */
  public String provider() {
    return provider;
  }

  /** The HTTP status, or the code of an error event inside a stream; 0 when there was none. */
  public int statusCode() {
    return statusCode;
  }

  /** The provider's status or error type, such as {@code RESOURCE_EXHAUSTED}; empty when it gave none. */
  public String apiStatus() {
    return apiStatus;
  }

  /** The provider's message, without secrets; empty when it gave none. */
  public String apiMessage() {
    return apiMessage;
  }

  /** What kind of error. */
  public Kind kind() {
    return kind;
  }

  /** How many attempts were made before giving up, this one included. */
  public int attempts() {
    return attempts;
  }

  /** How long the server asked to wait before retrying, when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** True when the status is one {@link RetryPolicy} retries. */
  public boolean isRetryable() {
    return RetryPolicy.isRetryableStatus(statusCode);
  }
}
