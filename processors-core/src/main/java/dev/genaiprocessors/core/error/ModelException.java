package dev.genaiprocessors.core.error;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one root of every error a model client or a live session reports: unchecked, with a subtype per
 * thing a caller can do about it.
 *
 * <table>
 *   <caption>Subtypes</caption>
 *   <tr><th>subtype</th><th>{@link Kind}</th><th>what happened</th><th>retried by the clients</th></tr>
 *   <tr><td>{@link ModelConnectionException}</td><td>{@code CONNECTION}</td><td>the connection could not be
 *       opened, broke, timed out, or the peer stopped answering</td><td>yes, within the retry or reconnect
 *       budget</td></tr>
 *   <tr><td>{@link ModelAuthenticationException}</td><td>{@code AUTHENTICATION}</td><td>the key is missing,
 *       wrong or lacks permission</td><td>no: fix the key</td></tr>
 *   <tr><td>{@link ModelRateLimitException}</td><td>{@code RATE_LIMIT}</td><td>too many requests, or the
 *       quota is used up; {@link #retryAfter()} when the server said</td><td>yes</td></tr>
 *   <tr><td>{@link ModelRequestException}</td><td>{@code REQUEST}</td><td>the server refused the request as
 *       given: invalid, unknown model, a redirect</td><td>no: fix the request</td></tr>
 *   <tr><td>{@link ModelProtocolException}</td><td>{@code PROTOCOL}</td><td>the server's answer broke the
 *       protocol: malformed, out of order, too large</td><td>no: the same server would do it again</td></tr>
 *   <tr><td>{@link ModelServerException}</td><td>{@code SERVER}</td><td>the server failed or is
 *       overloaded</td><td>yes</td></tr>
 * </table>
 *
 * <p>Catch the root to handle every model error at once, a subtype to handle one case, or switch on
 * {@link #kind()} (Java 17 has no pattern matching in {@code switch}):
 *
 * <pre>{@code
 * pipeline.apply(input).onErrorResume(ModelException.class, e -> switch (e.kind()) {
 *   case AUTHENTICATION -> Flux.just(Part.status("check the API key"));
 *   case RATE_LIMIT -> Flux.just(Part.status("busy, try again in " + e.retryAfter().orElse(Duration.ofSeconds(30))));
 *   default -> Flux.error(e);
 * });
 * }</pre>
 *
 * <p><b>Details.</b> Besides its message, an error carries what the server said, where it said anything:
 * {@link #provider()}, the HTTP status or error-event code ({@link #statusCode()}), the provider's own status
 * and message ({@link #apiStatus()}, {@link #apiMessage()}), for a WebSocket its close code and reason
 * ({@link #closeCode()}, {@link #closeReason()}), and how many attempts were made ({@link #attempts()}).
 *
 * <p><b>Secrets.</b> No message, field or {@code toString} holds an API key: the clients remove it, even from
 * text the server echoes, before they make the error.
 */
public abstract sealed class ModelException extends RuntimeException
    permits ModelConnectionException,
        ModelAuthenticationException,
        ModelRateLimitException,
        ModelRequestException,
        ModelProtocolException,
        ModelServerException {

  /** What kind of error: one per subtype, for a {@code switch}. */
  public enum Kind {
    /** {@link ModelConnectionException}: the connection failed, broke, timed out, or went silent. */
    CONNECTION,
    /** {@link ModelAuthenticationException}: the key is missing, wrong or lacks permission. */
    AUTHENTICATION,
    /** {@link ModelRateLimitException}: too many requests, or the quota is used up. */
    RATE_LIMIT,
    /** {@link ModelRequestException}: the server refused the request as given. */
    REQUEST,
    /** {@link ModelProtocolException}: the server's answer broke the protocol. */
    PROTOCOL,
    /** {@link ModelServerException}: the server failed or is overloaded. */
    SERVER;

    /**
     * The kind of an HTTP status a model API answered with: 401 and 403 {@link #AUTHENTICATION}; 429
     * {@link #RATE_LIMIT}; 408 {@link #CONNECTION}; 5xx {@link #SERVER}; any other 3xx or 4xx {@link #REQUEST}
     * (the clients never follow a redirect); anything else {@link #PROTOCOL}.
     *
     * @param status the HTTP status
     * @return its kind
     */
    public static Kind ofHttpStatus(int status) {
      if (status == 401 || status == 403) {
        return AUTHENTICATION;
      }
      if (status == 429) {
        return RATE_LIMIT;
      }
      if (status == 408) {
        return CONNECTION;
      }
      if (status >= 500 && status < 600) {
        return SERVER;
      }
      if (status >= 300 && status < 500) {
        return REQUEST;
      }
      return PROTOCOL;
    }
  }

  /** What kind of error. */
  private final Kind kind;

  /** Who answered or was called. */
  private final String provider;

  /** The HTTP status or error-event code; 0 for none. */
  private final int statusCode;

  /** The provider's status or error type; empty for none. */
  private final String apiStatus;

  /** The provider's message; empty for none. */
  private final String apiMessage;

  /** The WebSocket close code; 0 for none. */
  private final int closeCode;

  /** The WebSocket close reason; empty for none. */
  private final String closeReason;

  /** The attempts made, at least 1. */
  private final int attempts;

  /** The parts emitted before the failure. */
  private final int partsEmitted;

  /** The wait the server asked for, or null. */
  private final @Nullable Duration retryAfter;

  ModelException(Builder b) {
    super(b.message, b.cause, true, b.stackTrace);
    this.kind = b.kind;
    this.provider = b.provider;
    this.statusCode = b.statusCode;
    this.apiStatus = b.apiStatus;
    this.apiMessage = b.apiMessage;
    this.closeCode = b.closeCode;
    this.closeReason = b.closeReason;
    this.attempts = b.attempts;
    this.partsEmitted = b.partsEmitted;
    this.retryAfter = b.retryAfter;
  }

  /**
   * Starts an error of the given kind; {@link Builder#build()} makes the subtype of that kind. For writers of
   * model clients: the message must already be free of secrets.
   *
   * @param kind what kind of error
   * @param provider who answered or was called, such as {@code Gemini}, {@code Gemini Live} or {@code OpenAI}
   * @param message the whole message, free of secrets: what went wrong and what to do
   * @return a builder
   */
  public static Builder builder(Kind kind, String provider, String message) {
    return new Builder(kind, provider, message);
  }

  /**
   * What kind of error; always the kind of this subtype.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Who answered or was called, such as {@code Gemini}, {@code Gemini Live} or {@code OpenAI}.
   *
   * @return the provider's name
   */
  public String provider() {
    return provider;
  }

  /**
   * The HTTP status, or the code of an error event inside a stream.
   *
   * @return the code, or 0 when there was none
   */
  public int statusCode() {
    return statusCode;
  }

  /**
   * The provider's own status or error type, such as {@code RESOURCE_EXHAUSTED} or
   * {@code invalid_request_error}.
   *
   * @return the status, or empty when the provider gave none
   */
  public String apiStatus() {
    return apiStatus;
  }

  /**
   * The provider's own message, without secrets.
   *
   * @return the message, or empty when the provider gave none
   */
  public String apiMessage() {
    return apiMessage;
  }

  /**
   * For a WebSocket session: the close code, the server's or the client's (1006 when the connection ended
   * without a close frame).
   *
   * @return the close code, or 0 when this error did not end a WebSocket
   */
  public int closeCode() {
    return closeCode;
  }

  /**
   * For a WebSocket session: the close reason as sent, without secrets.
   *
   * @return the reason, or empty
   */
  public String closeReason() {
    return closeReason;
  }

  /**
   * How many attempts (calls, or connections of a session) were made before giving up, this one included.
   *
   * @return at least 1
   */
  public int attempts() {
    return attempts;
  }

  /**
   * How many parts the call or session had emitted when it failed: a streamed answer may have been cut
   * after some of its parts.
   *
   * @return the count, or 0 when unknown or none
   */
  public int partsEmitted() {
    return partsEmitted;
  }

  /**
   * How long the server asked to wait before trying again, when it said.
   *
   * @return the wait, or empty
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * Whether trying again later may succeed: true for {@link Kind#CONNECTION}, {@link Kind#RATE_LIMIT} and
   * {@link Kind#SERVER}. The clients have already retried within their budget when they report one.
   *
   * @return true when a later attempt may succeed
   */
  public boolean isRetryable() {
    return kind == Kind.CONNECTION || kind == Kind.RATE_LIMIT || kind == Kind.SERVER;
  }

  /**
   * Builds a {@link ModelException} of one kind. Not thread-safe; build once.
   */
  public static final class Builder {
    private final Kind kind;
    private final String provider;
    private final String message;
    private int statusCode;
    private String apiStatus = "";
    private String apiMessage = "";
    private int closeCode;
    private String closeReason = "";
    private int attempts = 1;
    private int partsEmitted;
    private @Nullable Duration retryAfter;
    private @Nullable Throwable cause;
    private boolean stackTrace = true;

    private Builder(Kind kind, String provider, String message) {
      this.kind = Objects.requireNonNull(kind, "kind");
      this.provider = Objects.requireNonNull(provider, "provider");
      this.message = Objects.requireNonNull(message, "message");
    }

    /**
     * The HTTP status or the code of an error event.
     *
     * @param statusCode the code; 0 for none
     * @return this builder
     */
    public Builder statusCode(int statusCode) {
      this.statusCode = statusCode;
      return this;
    }

    /**
     * The provider's status and message, free of secrets.
     *
     * @param apiStatus the status or error type, or empty
     * @param apiMessage the message, or empty
     * @return this builder
     */
    public Builder api(String apiStatus, String apiMessage) {
      this.apiStatus = Objects.requireNonNull(apiStatus, "apiStatus");
      this.apiMessage = Objects.requireNonNull(apiMessage, "apiMessage");
      return this;
    }

    /**
     * The WebSocket close code and reason, the reason free of secrets.
     *
     * @param closeCode the close code
     * @param closeReason the reason, or empty
     * @return this builder
     */
    public Builder close(int closeCode, String closeReason) {
      this.closeCode = closeCode;
      this.closeReason = Objects.requireNonNull(closeReason, "closeReason");
      return this;
    }

    /**
     * How many attempts were made, this one included.
     *
     * @param attempts at least 1
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder attempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
      }
      this.attempts = attempts;
      return this;
    }

    /**
     * How many parts had been emitted when the failure came.
     *
     * @param partsEmitted 0 or more
     * @return this builder
     */
    public Builder partsEmitted(int partsEmitted) {
      this.partsEmitted = Math.max(0, partsEmitted);
      return this;
    }

    /**
     * How long the server asked to wait before trying again.
     *
     * @param retryAfter the wait, or null when it did not say
     * @return this builder
     */
    public Builder retryAfter(@Nullable Duration retryAfter) {
      this.retryAfter = retryAfter;
      return this;
    }

    /**
     * The underlying error, such as the transport's.
     *
     * @param cause the cause, or null
     * @return this builder
     */
    public Builder cause(@Nullable Throwable cause) {
      this.cause = cause;
      return this;
    }

    /**
     * Leaves out the stack trace: for errors the server, not this code, caused (it would only show the
     * client's own frames).
     *
     * @return this builder
     */
    public Builder withoutStackTrace() {
      this.stackTrace = false;
      return this;
    }

    /**
     * Makes the error: the subtype of the kind given.
     *
     * @return the error
     */
    public ModelException build() {
      return switch (kind) {
        case CONNECTION -> new ModelConnectionException(this);
        case AUTHENTICATION -> new ModelAuthenticationException(this);
        case RATE_LIMIT -> new ModelRateLimitException(this);
        case REQUEST -> new ModelRequestException(this);
        case PROTOCOL -> new ModelProtocolException(this);
        case SERVER -> new ModelServerException(this);
      };
    }
  }
}
