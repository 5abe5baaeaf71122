package dev.genaiprocessors.client.internal;

import dev.genaiprocessors.client.ResponseMetadata;
import dev.genaiprocessors.client.RetryPolicy;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartBufferOverflowException;
import dev.genaiprocessors.core.error.ModelConnectionException;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelProtocolException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.ByteBufFlux;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * For internal use only. One streamed model call over HTTP: POST a JSON body, read server-sent events,
 * decode them to parts as they arrive, and retry by a {@link RetryPolicy} on a {@link Scheduler}.
 *
 * <p>Per subscription it keeps what was emitted (a count, and the emitted text for a continuation), so
 * a retry never emits a part twice: it either sends the same request again (nothing emitted yet) or asks
 * the provider to continue the emitted text. Parts are emitted on the Netty event loop that reads the
 * response.
 *
 * <p><b>Bounds.</b> Every call ends on its own, whatever the server does:
 * <ul>
 *   <li>a read idle past the read timeout fails the attempt (retried like a cut), with a message naming
 *       the timeout;
 *   <li>the whole call, retries and backoff included, has a total deadline (the call timeout): past it
 *       the call fails with a {@link ModelConnectionException} that says so, whatever arrives (endless
 *       keep-alive comments, a body that trickles a byte at a time);
 *   <li>an error body is read up to {@value #MAX_ERROR_BODY} bytes, then the connection is closed;
 *   <li>an event is at most {@code maxEventBytes}, after any decompression the client does;
 *   <li>response headers are bounded by the HTTP client (Reactor Netty: 8 KiB by default); past that
 *       the attempt fails as a transport error;
 *   <li>redirects are never followed, whatever the given client says: a 3xx answer is a
 *       {@link ModelException} of kind {@link ModelException.Kind#REQUEST} naming the
 *       {@code Location}, so the key header never goes to another address (another host, port or scheme).
 * </ul>
 * All times run on the given {@link Scheduler} (the read timeout on the connection's event loop).
 */
public final class StreamedCall {

  private static final Logger log = LoggerFactory.getLogger(StreamedCall.class);

  /** The largest error body read, in bytes; the rest is ignored. */
  private static final int MAX_ERROR_BODY = 64 * 1024;

  /** What a provider contributes to one call. */
  public interface Exchange {
    /**
     * Who answers, for messages: {@code Gemini}.
     *
     * @return the provider's name, as it appears in messages
     */
    String provider();

    /**
     * The absolute URI to POST to.
     *
     * @return the URI, with no key in it
     */
    String uri();

    /**
     * Adds the provider's headers, the key's among them.
     *
     * @param headers the request's headers, to add to
     */
    void headers(HttpHeaders headers);

    /**
     * The JSON body of an attempt.
     *
     * @param continuation the text already emitted, to be continued; empty on a plain attempt
     * @return the body, a JSON document
     */
    String body(String continuation);

    /**
     * A decoder for the answer of attempt number {@code attempt}.
     *
     * @param attempt the attempt's number, 1 for the first
     * @return a new decoder, used for that attempt only
     */
    EventDecoder decoder(int attempt);

    /**
     * The error for an HTTP status other than 200, with its body (at most 64 KiB of it).
     *
     * @param statusCode the HTTP status, not 200
     * @param body the start of the response body (at most 64 KiB), possibly empty
     * @param retryAfter the wait the server asked for in {@code Retry-After}, or null when it gave none
     * @param attempt the attempt's number, 1 for the first
     * @return the typed error for this answer
     */
    ModelException error(int statusCode, String body, @Nullable Duration retryAfter, int attempt);

    /**
     * The text with any secret removed.
     *
     * @param text any text that may quote a secret
     * @return the text with secrets masked
     */
    String redact(String text);
  }

  private final HttpClient http;
  private final RetryPolicy retryPolicy;
  private final Scheduler scheduler;
  private final int maxEventBytes;
  private final Duration readTimeout;
  private final Duration callTimeout;

  /**
   * @param http the client (pools, proxy, TLS); its response timeout is set to {@code readTimeout} and
   *     redirects are turned off
   * @param retryPolicy when and how failed attempts are retried
   * @param scheduler where backoff waits and the call timeout are counted (virtual time in tests)
   * @param maxEventBytes the largest server-sent event accepted
   * @param readTimeout the longest a read may stay idle
   * @param callTimeout the longest a whole call may take, retries included
   */
  public StreamedCall(
      HttpClient http,
      RetryPolicy retryPolicy,
      Scheduler scheduler,
      int maxEventBytes,
      Duration readTimeout,
      Duration callTimeout) {
    this.http = http.responseTimeout(readTimeout).followRedirect(false);
    this.retryPolicy = retryPolicy;
    this.scheduler = scheduler;
    this.maxEventBytes = maxEventBytes;
    this.readTimeout = readTimeout;
    this.callTimeout = callTimeout;
  }

  /**
   * The parts of the answer, streamed as they arrive; lazy, one call per subscription. Past the call
   * timeout the connection is closed and the flux fails with a {@link ModelConnectionException}.
   *
   * @param exchange what the provider contributes to the call (address, headers, body, decoder, errors)
   * @return the parts of the answer, in order
   */
  public Flux<Part> stream(Exchange exchange) {
    return Flux.defer(
        () -> {
          Emitted emitted = new Emitted();
          return attempt(exchange, 1, emitted)
              .takeUntilOther(
                  Mono.delay(callTimeout, scheduler).doOnNext(tick -> emitted.timedOut = true))
              .concatWith(
                  Mono.defer(
                      () ->
                          emitted.timedOut
                              ? Mono.error(
                                  connectionError(
                                      exchange,
                                      exchange.provider()
                                          + " call to "
                                          + hostOf(exchange.uri())
                                          + " did not finish within its deadline of "
                                          + describe(callTimeout)
                                          + " (the call timeout) after "
                                          + emitted.attempts
                                          + " attempt"
                                          + (emitted.attempts == 1 ? "" : "s")
                                          + " and "
                                          + emitted.count
                                          + " part(s); raise callTimeout if answers take longer",
                                      emitted.attempts,
                                      emitted.count,
                                      new TimeoutException(
                                          "call timeout of " + describe(callTimeout))))
                              : Mono.empty()));
        });
  }

  private Flux<Part> attempt(Exchange exchange, int attempt, Emitted emitted) {
    emitted.attempts = attempt;
    byte[] body = exchange.body(emitted.text.toString()).getBytes(StandardCharsets.UTF_8);
    Flux<Part> once =
        http.headers(
                h -> {
                  h.set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8");
                  h.set(HttpHeaderNames.ACCEPT, "text/event-stream");
                  h.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                  exchange.headers(h);
                })
            .post()
            .uri(exchange.uri())
            .send((request, out) -> out.sendByteArray(Mono.just(body)))
            .response(
                (response, content) -> {
                  int status = response.status().code();
                  if (status == 200) {
                    return events(exchange, response, content, attempt);
                  }
                  if (status >= 300 && status < 400) {
                    return Flux.error(
                        redirected(
                            exchange,
                            status,
                            response.responseHeaders().get(HttpHeaderNames.LOCATION),
                            attempt));
                  }
                  return errorBody(content)
                      .flatMapMany(
                          text ->
                              Flux.error(
                                  exchange.error(
                                      status,
                                      exchange.redact(text),
                                      retryAfter(response),
                                      attempt)));
                })
            .doOnNext(emitted::add);
    return once.onErrorResume(error -> retryOrFail(exchange, error, attempt, emitted));
  }

  private Flux<Part> events(
      Exchange exchange, HttpClientResponse response, ByteBufFlux content, int attempt) {
    String contentType = response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE);
    if (contentType != null
        && !contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
      return errorBody(content)
          .flatMapMany(
              text ->
                  Flux.error(
                      WireJson.malformed(
                          exchange.provider(),
                          exchange.redact(
                              exchange.provider()
                                  + " answered HTTP 200 with content type '"
                                  + snippet(contentType)
                                  + "' instead of text/event-stream: "
                                  + snippet(exchange.redact(text))))));
    }
    SseDecoder sse = new SseDecoder(maxEventBytes);
    EventDecoder decoder = exchange.decoder(attempt);
    return content
        .asByteArray()
        .concatMapIterable(bytes -> decode(sse.feed(bytes), decoder), 1)
        .concatWith(
            Flux.defer(
                () -> {
                  try {
                    List<Part> parts = decode(sse.finish(), decoder);
                    parts.addAll(decoder.onEnd());
                    return Flux.fromIterable(parts);
                  } catch (IOException e) {
                    return Flux.error(e);
                  }
                }))
        .onErrorMap(CarriedIOException.class, CarriedIOException::getCause)
        // The decoders below this class do not always know the provider's name: fill it in.
        .onErrorMap(
            ModelProtocolException.class,
            e ->
                e.provider().isEmpty()
                    ? WireJson.malformed(
                        exchange.provider(), String.valueOf(e.getMessage()), e.getCause())
                    : e);
  }

  private static List<Part> decode(List<String> events, EventDecoder decoder) {
    List<Part> parts = new ArrayList<>();
    try {
      for (String data : events) {
        parts.addAll(decoder.onEvent(data));
      }
    } catch (IOException e) {
      throw new CarriedIOException(e);
    }
    return parts;
  }

  /** Thrown inside a lambda to carry a checked exception out; unwrapped before it leaves this class. */
  private static final class CarriedIOException extends RuntimeException {
    CarriedIOException(IOException cause) {
      super(cause.getMessage(), cause, false, false);
    }

    @Override
    public synchronized IOException getCause() {
      // Never null: the only constructor sets an IOException as the cause, and initCause cannot
      // replace it once set.
      return (IOException) Objects.requireNonNull(super.getCause());
    }
  }

  private Flux<Part> retryOrFail(Exchange exchange, Throwable error, int attempt, Emitted emitted) {
    if (error instanceof CarriedIOException u) {
      error = u.getCause();
    }
    if (error instanceof io.netty.handler.codec.DecoderException) {
      // Not HTTP, or headers past the client's limit: the same request would get the same answer.
      // The cause is left out: the decoder's message may quote the server's bytes; the redacted
      // text is kept.
      return Flux.error(
          WireJson.malformed(
              exchange.provider(),
              exchange.redact(
                  exchange.provider()
                      + " call to "
                      + hostOf(exchange.uri())
                      + " got an answer that is not valid HTTP ("
                      + snippet(describe(error))
                      + ")"
                      + (error instanceof io.netty.handler.codec.TooLongFrameException
                          ? "; response headers are read up to the HTTP client's limit (Reactor Netty: 8 KiB by default)"
                          : ""))));
    }
    boolean transport = isTransport(error);
    boolean retryable =
        transport
            || (error instanceof ModelException api
                && RetryPolicy.isRetryableStatus(api.statusCode()));
    if (!retryable) {
      return Flux.error(error);
    }
    String what = transport ? exchange.redact(describe(error)) : error.getMessage();
    boolean allowed = emitted.count == 0 || (retryPolicy.continueAfterOutput() && emitted.onlyText);
    if (attempt >= retryPolicy.maxAttempts() || !allowed) {
      if (!transport) {
        return Flux.error(error);
      }
      String why =
          attempt >= retryPolicy.maxAttempts()
              ? "gave up after " + attempt + " attempt" + (attempt == 1 ? "" : "s")
              : "not retried after "
                  + emitted.count
                  + " part(s) were emitted"
                  + (retryPolicy.continueAfterOutput()
                      ? " (a function call, blob or thought among them)"
                      : "");
      return Flux.error(
          connectionError(
              exchange,
              exchange.provider()
                  + " call to "
                  + hostOf(exchange.uri())
                  + " failed: "
                  + what
                  + "; "
                  + why,
              attempt,
              emitted.count,
              error));
    }
    Duration hint = error instanceof ModelException api ? api.retryAfter().orElse(null) : null;
    Duration wait = retryPolicy.backoff(attempt, hint, ThreadLocalRandom.current().nextDouble());
    if (log.isInfoEnabled()) {
      log.info(
          "{} call failed ({}); attempt {} of {}, retrying in {} ms{}",
          exchange.provider(),
          what,
          attempt,
          retryPolicy.maxAttempts(),
          wait.toMillis(),
          emitted.count == 0 ? "" : " as a continuation of " + emitted.count + " emitted part(s)");
    }
    return Mono.delay(wait, scheduler)
        .thenMany(Flux.defer(() -> attempt(exchange, attempt + 1, emitted)));
  }

  /** A 3xx answer: never followed, so the key header goes nowhere but the configured address. */
  private static ModelException redirected(
      Exchange exchange, int status, @Nullable String location, int attempt) {
    String where =
        location == null ? "no Location" : "Location '" + snippet(exchange.redact(location)) + "'";
    return ModelException.builder(
            ModelException.Kind.REQUEST,
            exchange.provider(),
            exchange.provider()
                + " call to "
                + hostOf(exchange.uri())
                + " was answered with a redirect (HTTP "
                + status
                + ", "
                + where
                + "). Redirects are not followed, so that the API key is never sent to another"
                + " address; set the base URL to the final address")
        .statusCode(status)
        .attempts(attempt)
        .withoutStackTrace()
        .build();
  }

  private static ModelException connectionError(
      Exchange exchange, String message, int attempts, int partsEmitted, Throwable cause) {
    return ModelException.builder(ModelException.Kind.CONNECTION, exchange.provider(), message)
        .attempts(attempts)
        .partsEmitted(partsEmitted)
        .cause(cause)
        .build();
  }

  /** What a transport error was, for a message: its own message, or what it means when it has none. */
  private String describe(Throwable error) {
    if (error instanceof io.netty.handler.timeout.ReadTimeoutException) {
      return "no byte arrived for " + describe(readTimeout) + " (the read timeout)";
    }
    if (error instanceof io.netty.handler.timeout.TimeoutException) {
      return error.getClass().getSimpleName()
          + " after "
          + describe(readTimeout)
          + " (the read timeout)";
    }
    String message = error.getMessage();
    return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
  }

  /** A duration for people: {@code 2 s}, {@code 1500 ms}, {@code 5 min}. */
  static String describe(Duration d) {
    if (d.toMillis() % 60_000 == 0 && d.toMinutes() > 0) {
      return d.toMinutes() + " min";
    }
    if (d.toMillis() % 1000 == 0) {
      return d.toSeconds() + " s";
    }
    return d.toMillis() + " ms";
  }

  private static boolean isTransport(Throwable error) {
    return (error instanceof IOException && !(error instanceof ModelProtocolException))
        || error instanceof io.netty.handler.timeout.TimeoutException
        || error instanceof AbortedException;
  }

  /** At most {@value #MAX_ERROR_BODY} bytes of the body; the rest is not read (the connection closes). */
  private static Mono<String> errorBody(ByteBufFlux content) {
    return Mono.defer(
        () -> {
          int[] read = {0};
          return content
              .asByteArray()
              .takeUntil(
                  bytes -> (read[0] += bytes.length) >= MAX_ERROR_BODY) // an endless body ends here
              .collect(
                  ByteArrayOutputStream::new,
                  (ByteArrayOutputStream out, byte[] bytes) -> {
                    int room = MAX_ERROR_BODY - out.size();
                    if (room > 0) {
                      out.write(bytes, 0, Math.min(room, bytes.length));
                    }
                  })
              .map(out -> out.toString(StandardCharsets.UTF_8));
        });
  }

  private static @Nullable Duration retryAfter(HttpClientResponse response) {
    String value = response.responseHeaders().get(HttpHeaderNames.RETRY_AFTER);
    if (value == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(value.trim());
      return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException e) {
      return null; // an HTTP date: ignored, the backoff applies
    }
  }

  private static String hostOf(String uri) {
    int scheme = uri.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int end = uri.indexOf('/', start);
    return end < 0 ? uri.substring(start) : uri.substring(start, end);
  }

  /**
   * Gathers a prompt of at most {@code maxParts} parts.
   *
   * @param input the prompt's parts
   * @param maxParts the most parts accepted; positive
   * @param who the processor gathering, named in the error ({@code "GeminiModel"})
   * @return the parts, or a {@link PartBufferOverflowException} naming {@code who} when there were more
   */
  public static Mono<List<Part>> gather(Flux<Part> input, int maxParts, String who) {
    return input
        .take(maxParts + 1L, true)
        .collectList()
        .flatMap(
            prompt ->
                prompt.size() > maxParts
                    ? Mono.error(
                        new PartBufferOverflowException(
                            who
                                + " gathers a prompt of at most "
                                + maxParts
                                + " parts; the input was longer. Raise maxPromptParts, or shorten the history"))
                    : Mono.just(prompt));
  }

  /**
   * At most the first 200 characters of a text, for messages.
   *
   * @param text any text
   * @return the text stripped, cut to 200 characters with an ellipsis when longer
   */
  public static String snippet(String text) {
    String t = text.strip();
    return t.length() <= 200 ? t : t.substring(0, 200) + "…";
  }

  /** What one subscription has emitted so far. */
  private static final class Emitted {
    int count;
    int attempts;
    volatile boolean timedOut;
    boolean onlyText = true;
    final StringBuilder text = new StringBuilder();

    void add(Part part) {
      count++;
      if (ResponseMetadata.isSummary(part)) {
        return;
      }
      if (part.isText() && part.substream().isEmpty() && !ResponseMetadata.isThought(part)) {
        text.append(part.text());
      } else {
        onlyText = false;
      }
    }
  }
}
