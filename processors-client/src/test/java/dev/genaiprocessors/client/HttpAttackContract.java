package dev.genaiprocessors.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.client.internal.HostileHttpServer;
import dev.genaiprocessors.client.internal.SecretRedactor;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.error.ModelConnectionException;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelProtocolException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The HTTP model clients against hostile loopback servers: streams that never end, redirects, bombs,
 * huge headers, a TLS peer that never answers, and the key pushed through error paths. Each attack must
 * end on its own, within its documented bound, in a typed error that holds no fragment of the key. Each
 * provider module runs it against its own client by extending it.
 */
public abstract class HttpAttackContract {

  protected static final Duration WAIT = Duration.ofSeconds(20);

  /** A key without dashes: a parser quoting the token it choked on quotes all of it. */
  protected static final String KEY = "AIzaSyFAKEkeyWithoutDashes0123456789xyz";

  HostileHttpServer server;
  HostileHttpServer other;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (other != null) {
      other.close();
    }
    VirtualTimeScheduler.reset();
  }

  /** A model of the provider against a base address, one attempt unless told, short timeouts. */
  public static final class Settings {
    public int attempts = 1;
    public Duration readTimeout = Duration.ofSeconds(10);
    public @Nullable Duration callTimeout;
    public Duration connectTimeout = Duration.ofSeconds(10);
    public @Nullable HttpClient client;
    public Scheduler scheduler = Schedulers.parallel();
    public String key = KEY;
  }

  /**
   * The provider's model against a base address (the host and port of a hostile server, with no path),
   * with the settings given.
   *
   * @param base the base address, such as {@code http://127.0.0.1:1234}
   * @param s the settings
   * @return the model
   */
  protected abstract Processor model(String base, Settings s);

  protected String serve(
      BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
    server = HostileHttpServer.http("127.0.0.1", handler);
    return "http://127.0.0.1:" + server.port();
  }

  protected static Flux<Part> prompt() {
    return Flux.just(Part.text("hi").withRole("user"));
  }

  protected static Throwable failure(Processor model) {
    Throwable error = model.apply(prompt()).then().materialize().block(WAIT).getThrowable();
    assertThat(error).as("the call must fail").isNotNull();
    return error;
  }

  /** No message in the chain holds the key or any fragment SecretRedactor masks. */
  protected static void assertNoKeyIn(Throwable error, String key) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String text = String.valueOf(t.getMessage()) + " " + t;
      assertThat(SecretRedactor.of(key).redact(text))
          .as("fragments of the key in: %s", text)
          .isEqualTo(text);
    }
  }

  protected static Publisher<Void> sse(HttpServerResponse response, Publisher<String> body) {
    return response.header("content-type", "text/event-stream").sendString(body);
  }

  // ---------------------------------------------------------------- streams that never end

  @Test
  void endlessKeepAliveCommentsEndAtTheCallTimeout() {
    String base =
        serve(
            (req, res) ->
                sse(res, Flux.interval(Duration.ofMillis(50)).map(i -> ": keep-alive\n\n")));
    Settings s = new Settings();
    s.callTimeout = Duration.ofMillis(800);

    Throwable error = failure(model(base, s));

    assertThat(error)
        .isInstanceOf(ModelConnectionException.class)
        .hasMessageContaining("did not finish within its deadline of 800 ms (the call timeout)");
  }

  @Test
  void aSlowLorisBodyEndsAtTheCallTimeout() {
    String base =
        serve(
            (req, res) ->
                sse(
                    res,
                    Flux.just("data: {")
                        .concatWith(Flux.interval(Duration.ofMillis(50)).map(i -> " "))));
    Settings s = new Settings();
    s.callTimeout = Duration.ofMillis(800);

    assertThat(failure(model(base, s)))
        .isInstanceOf(ModelConnectionException.class)
        .hasMessageContaining("deadline of 800 ms");
  }

  @Test
  void aSlowEndless500BodyEndsAtTheCallTimeout() {
    String base =
        serve(
            (req, res) ->
                res.status(HttpResponseStatus.INTERNAL_SERVER_ERROR)
                    .sendString(Flux.interval(Duration.ofMillis(50)).map(i -> "error ")));
    Settings s = new Settings();
    s.callTimeout = Duration.ofMillis(800);

    assertThat(failure(model(base, s)))
        .isInstanceOf(ModelConnectionException.class)
        .hasMessageContaining("deadline of 800 ms");
  }

  @Test
  void aFastEndless500BodyIsReadTo64KibAndThenReported() {
    String chunk = "x".repeat(8192);
    String base =
        serve(
            (req, res) ->
                res.status(HttpResponseStatus.INTERNAL_SERVER_ERROR)
                    .sendString(Flux.<String>generate(sink -> sink.next(chunk))));

    Throwable error = failure(model(base, new Settings()));

    assertThat(error).isInstanceOf(ModelException.class);
    assertThat(((ModelException) error).statusCode()).isEqualTo(500);
  }

  @Test
  void theDefaultDeadlineIsTenMinutesCountedOnTheScheduler() {
    String base =
        serve(
            (req, res) ->
                sse(res, Flux.interval(Duration.ofMillis(50)).map(i -> ": keep-alive\n\n")));
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    Settings s = new Settings();
    s.scheduler = time;

    StepVerifier.create(model(base, s).apply(prompt()))
        .then(() -> time.advanceTimeBy(Duration.ofMinutes(10)))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelConnectionException.class)
                    .hasMessageContaining("deadline of 10 min"))
        .verify(WAIT);
  }

  @Test
  void aReadTimeoutSaysWhatTimedOutAndAfterHowLong() {
    String base = serve((req, res) -> Mono.never());
    Settings s = new Settings();
    s.attempts = 2;
    s.readTimeout = Duration.ofMillis(300);

    Throwable error = failure(model(base, s));

    assertThat(error)
        .isInstanceOf(ModelConnectionException.class)
        .hasMessageContaining("no byte arrived for 300 ms (the read timeout)")
        .hasMessageContaining("gave up after 2 attempts")
        .hasMessageNotContaining("null");
  }

  @Test
  void aOneDigitPortIsRejectedWhenGivenSayingWhy() {
    assertThatThrownBy(() -> model("http://127.0.0.1:9", new Settings()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port 9")
        .hasMessageContaining("10 to 65535");
    model("http://127.0.0.1:10", new Settings());
  }

  // ---------------------------------------------------------------- redirects

  @Test
  void aRedirectIsNeverFollowedEvenByAClientThatFollowsRedirects() {
    other =
        HostileHttpServer.http(
            "127.0.0.1", (req, res) -> res.status(200).sendString(Mono.just("stolen")));
    String location = "http://localhost:" + other.port() + "/collect";
    String base =
        serve(
            (req, res) ->
                res.status(HttpResponseStatus.TEMPORARY_REDIRECT)
                    .header("location", location)
                    .send());
    Settings s = new Settings();
    s.client = HttpClient.create().followRedirect(true);

    Throwable error = failure(model(base, s));

    assertThat(error)
        .isInstanceOf(ModelException.class)
        .hasMessageContaining(location)
        .hasMessageContaining("not followed");
    assertThat(((ModelException) error).kind()).isEqualTo(ModelException.Kind.REQUEST);
    assertThat(server.requests()).isEqualTo(1);
    assertThat(other.requests()).as("requests that reached the other address").isZero();
    assertNoKeyIn(error, KEY);
  }

  // ---------------------------------------------------------------- the key

  @Test
  void aKeyEchoedAsAnEventIsNotInTheParsersMessage() {
    String base = serve((req, res) -> sse(res, Mono.just("data: " + KEY + "\n\n")));

    Throwable error = failure(model(base, new Settings()));

    assertThat(error).isInstanceOf(ModelProtocolException.class).hasMessageContaining("not JSON");
    assertNoKeyIn(error, KEY);
  }

  @Test
  void aPrefixOfADashedKeyWhereTheParserStoppedIsMaskedToo() {
    String dashed = "AIzaSyDFAKEprefix-0123456789-abcdefgh";
    String base = serve((req, res) -> sse(res, Mono.just("data: " + dashed + "\n\n")));
    Settings s = new Settings();
    s.key = dashed;

    Throwable error = failure(model(base, s));

    assertThat(error).isInstanceOf(ModelProtocolException.class);
    assertThat(error.getMessage()).doesNotContain("AIzaSyDFAKEprefix");
    assertNoKeyIn(error, dashed);
  }

  @Test
  void aKeyEchoedInAnErrorStatusOrContentTypeIsMasked() {
    String base =
        serve(
            (req, res) ->
                res.status(HttpResponseStatus.BAD_REQUEST)
                    .header("content-type", "application/json")
                    .sendString(
                        Mono.just(
                            "{\"error\":{\"code\":400,\"status\":\""
                                + KEY.substring(0, 20)
                                + "\",\"type\":\""
                                + KEY.substring(5, 30)
                                + "\",\"message\":\"key "
                                + KEY.substring(3)
                                + "\"}}")));

    Throwable error = failure(model(base, new Settings()));

    assertThat(error).isInstanceOf(ModelException.class);
    assertNoKeyIn(error, KEY);
    assertThat(((ModelException) error).apiStatus()).doesNotContain(KEY.substring(0, 20));
  }

  // ---------------------------------------------------------------- bombs and huge headers

  static byte[] gzipOfZeros(int size) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < size / zeros.length; i++) {
        gzip.write(zeros);
      }
    }
    return out.toByteArray();
  }

  @Test
  void aGzipBombIsBoundedByTheEventLimitWhenTheClientDecompresses() throws Exception {
    byte[] bomb = gzipOfZeros(64 << 20);
    String base =
        serve(
            (req, res) ->
                res.header("content-type", "text/event-stream")
                    .header("content-encoding", "gzip")
                    .sendByteArray(Mono.just(bomb)));
    Settings s = new Settings();
    s.client = HttpClient.create().compress(true);

    Throwable error = failure(model(base, s));

    assertThat(bomb.length).isLessThan(1 << 20);
    assertThat(error)
        .isInstanceOf(ModelProtocolException.class)
        .hasMessageContaining("larger than 33554432 bytes");
  }

  @Test
  void aGzipBombIsNotInflatedByTheDefaultClient() throws Exception {
    byte[] bomb = gzipOfZeros(64 << 20);
    String base =
        serve(
            (req, res) ->
                res.header("content-type", "text/event-stream")
                    .header("content-encoding", "gzip")
                    .sendByteArray(Mono.just(bomb)));

    Throwable error = failure(model(base, new Settings()));

    assertThat(error).isInstanceOfAny(ModelProtocolException.class, ModelConnectionException.class);
  }

  @Test
  void tooManyOrTooLargeResponseHeadersAreATypedError() {
    String base =
        serve(
            (req, res) -> {
              for (int i = 0; i < 2000; i++) {
                res.header("x-filler-" + i, "v".repeat(64));
              }
              return sse(res, Mono.just(": hi\n\n"));
            });

    Throwable error = failure(model(base, new Settings()));

    assertThat(error).isInstanceOfAny(ModelProtocolException.class, ModelConnectionException.class);
    assertThat(error.getMessage()).containsIgnoringCase("header");
  }

  @Test
  void aTlsHandshakeThatHangsEndsAtTheConnectTimeout() {
    server = HostileHttpServer.silent();
    Settings s = new Settings();
    s.connectTimeout = Duration.ofMillis(500);

    Throwable error = failure(model("https://127.0.0.1:" + server.port(), s));

    assertThat(error)
        .isInstanceOf(ModelConnectionException.class)
        .hasMessageContaining("handshake");
  }
}
