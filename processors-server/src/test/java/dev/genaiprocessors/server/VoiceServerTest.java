package dev.genaiprocessors.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The server with a real Reactor Netty WebSocket client on loopback. */
class VoiceServerTest {
  private static final String START = "{\"type\":\"start\",\"sampleRate\":16000}";

  /** Audio back at 24 kHz, "you said ..." for text, and the end of the conversation with the input. */
  static final Processor ECHO =
      input ->
          input.concatMap(
              p -> {
                if (p.isAudio()) {
                  return Flux.just(Part.audio(p.bytes(), 24000).withRole("model"));
                }
                if (p.isText() && "user".equals(p.role())) {
                  return Flux.just(
                      Part.outputTranscription("you said " + p.text(), true),
                      Part.endOfTurn().withRole("model"));
                }
                return Flux.empty();
              });

  private final List<ConversationReport> reports = new CopyOnWriteArrayList<>();
  private VoiceServer server;

  private VoiceServer start(UnaryOperator<VoiceServer.Builder> settings) {
    server =
        settings
            .apply(
                VoiceServer.builder()
                    .port(0)
                    .conversations(ConversationFactory.of(ECHO))
                    .authenticator(Authenticator.allowAll())
                    .onConversationEnd(reports::add))
            .build()
            .start();
    return server;
  }

  private URI ws() {
    return server.webSocketUri(VoiceServer.BROWSER_PATH);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aConversationRoundTripsAudioAndTextThenEndsNormally() {
    start(b -> b);
    try (LoopbackClient client = LoopbackClient.connect(ws())) {
      client.sendText(START);
      assertThat(client.awaitText("\"ready\"")).contains("\"sampleRate\":16000");
      byte[] pcm = new byte[640];
      pcm[0] = 7;
      client.sendBinary(pcm);
      assertThat(client.awaitText("audio_format"))
          .isEqualTo("{\"type\":\"audio_format\",\"sampleRate\":24000}");
      assertThat(client.awaitMessage(LoopbackClient.Message::isBinary).bytes()).isEqualTo(pcm);
      client.sendText("{\"type\":\"text\",\"text\":\"hello\"}");
      assertThat(client.awaitText("transcript"))
          .isEqualTo(
              "{\"type\":\"transcript\",\"role\":\"assistant\",\"text\":\"you said hello\",\"final\":true}");
      assertThat(client.awaitText("turn_complete")).isEqualTo("{\"type\":\"turn_complete\"}");
      client.sendText("{\"type\":\"stop\"}");
      WebSocketCloseStatus close = client.awaitClose();
      assertThat(close.code()).isEqualTo(CloseCodes.NORMAL);
    }
    ConversationReport report = awaitReport();
    assertThat(report.closeCode()).isEqualTo(CloseCodes.NORMAL);
    assertThat(report.audioBytesIn()).isEqualTo(640);
    assertThat(report.audioBytesOut()).isEqualTo(640);
    assertThat(report.principal()).isEqualTo("anonymous");
  }

  @Test
  void pastTheConnectionLimitANewClientIsToldToTryAgainLater() {
    start(b -> b.maxConnections(1));
    try (LoopbackClient first = LoopbackClient.connect(ws());
        LoopbackClient second = connectAfter(first)) {
      WebSocketCloseStatus close = second.awaitClose();
      assertThat(close.code()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
      assertThat(close.reasonText()).contains("limit of 1 conversations");
      assertThat(server.activeConversations()).isEqualTo(1);
      first.sendText("{\"type\":\"ping\"}");
      assertThat(first.awaitText("pong")).isEqualTo("{\"type\":\"pong\"}");
    }
  }

  private LoopbackClient connectAfter(LoopbackClient first) {
    first.sendText(START);
    first.awaitText("ready");
    return LoopbackClient.connect(ws());
  }

  @Test
  void anIdleClientIsClosedAfterTheTimeoutOnTheSchedulersClock() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    start(b -> b.scheduler(clock).idleTimeout(Duration.ofSeconds(30)));
    try (LoopbackClient client = LoopbackClient.connect(ws())) {
      client.sendText(START).awaitText("ready");
      clock.advanceTimeBy(Duration.ofSeconds(20));
      client.sendText("{\"type\":\"ping\"}").awaitText("pong");
      clock.advanceTimeBy(Duration.ofSeconds(20)); // 40 s since the start, 20 s since the ping
      client.sendText("{\"type\":\"ping\"}");
      assertThat(
              client
                  .messages()
                  .filter(m -> m.text().contains("pong"))
                  .take(2)
                  .count()
                  .block(LoopbackClient.WAIT))
          .isEqualTo(2);
      clock.advanceTimeBy(Duration.ofSeconds(31));
      WebSocketCloseStatus close = client.awaitClose();
      assertThat(close.code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
      assertThat(close.reasonText()).isEqualTo("idle: no frame from the client for 30 s");
      assertThat(client.awaitText("error")).contains("\"code\":1008");
    }
  }

  @Test
  void everyoneIsRefusedUntilAnAuthenticatorIsGiven() {
    server =
        VoiceServer.builder().port(0).conversations(ConversationFactory.of(ECHO)).build().start();
    try (LoopbackClient client = LoopbackClient.connect(ws())) {
      WebSocketCloseStatus close = client.awaitClose();
      assertThat(close.code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
      assertThat(close.reasonText()).isEqualTo("not authenticated: present a valid token");
    }
    assertThat(server.activeConversations()).isZero();
  }

  @Test
  void aBearerTokenIsTakenFromTheHeaderOrTheQueryAndAWrongOneIsRefused() {
    start(b -> b.authenticator(Authenticator.bearerToken("s3cret-token")));
    try (LoopbackClient wrong =
        LoopbackClient.connect(ws(), Map.of("Authorization", "Bearer nope"))) {
      assertThat(wrong.awaitClose().code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
    }
    try (LoopbackClient header =
        LoopbackClient.connect(ws(), Map.of("Authorization", "Bearer s3cret-token"))) {
      header.sendText(START);
      assertThat(header.awaitText("ready")).contains("ready");
    }
    try (LoopbackClient query = LoopbackClient.connect(URI.create(ws() + "?token=s3cret-token"))) {
      query.sendText(START);
      assertThat(query.awaitText("ready")).contains("ready");
    }
  }

  @Test
  void browsersFromOtherOriginsAreRefusedUnlessAllowed() {
    start(b -> b.allowedOrigins("https://app.example.com"));
    try (LoopbackClient evil =
        LoopbackClient.connect(ws(), Map.of("Origin", "https://evil.example.com"))) {
      WebSocketCloseStatus close = evil.awaitClose();
      assertThat(close.code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
      assertThat(close.reasonText()).isEqualTo("origin https://evil.example.com is not allowed");
    }
    try (LoopbackClient allowed =
        LoopbackClient.connect(ws(), Map.of("Origin", "https://app.example.com"))) {
      allowed.sendText(START);
      assertThat(allowed.awaitText("ready")).contains("ready");
    }
    String own = "http://127.0.0.1:" + server.port();
    try (LoopbackClient samePage = LoopbackClient.connect(ws(), Map.of("Origin", own))) {
      samePage.sendText(START);
      assertThat(samePage.awaitText("ready")).contains("ready");
    }
  }

  @Test
  void badFramesGetAMessageAndACloseCodeAndTheServerCarriesOn() {
    start(b -> b.maxFrameBytes(4096));
    try (LoopbackClient client = LoopbackClient.connect(ws())) {
      client.sendBinary(new byte[320]);
      assertThat(client.awaitText("error")).contains("audio before start");
      WebSocketCloseStatus close = client.awaitClose();
      assertThat(close.code()).isEqualTo(CloseCodes.UNSUPPORTED_DATA);
      assertThat(close.reasonText()).startsWith("audio before start");
    }
    try (LoopbackClient client = LoopbackClient.connect(ws())) {
      client.sendText("{not json");
      assertThat(client.awaitClose().code()).isEqualTo(CloseCodes.UNSUPPORTED_DATA);
    }
    try (LoopbackClient client = LoopbackClient.connect(ws())) {
      client.sendText(START).awaitText("ready");
      client.sendBinary(new byte[8192]);
      assertThat(client.awaitClose().code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
    }
    try (LoopbackClient client = LoopbackClient.connect(ws())) {
      client.sendText(START);
      assertThat(client.awaitText("ready")).contains("ready");
    }
  }

  @Test
  void aFailingPipelineClosesWithInternalErrorNamingOnlyTheErrorsKind() {
    Processor failing =
        input ->
            input.map(
                p -> {
                  throw new IllegalStateException("secret detail");
                });
    start(b -> b.conversations(ConversationFactory.of(failing)));
    try (LoopbackClient client = LoopbackClient.connect(ws())) {
      client.sendText(START).awaitText("ready");
      client.sendText("{\"type\":\"text\",\"text\":\"boom\"}");
      WebSocketCloseStatus close = client.awaitClose();
      assertThat(close.code()).isEqualTo(CloseCodes.INTERNAL_ERROR);
      assertThat(close.reasonText()).isEqualTo("the pipeline failed: IllegalStateException");
    }
  }

  @Test
  void anInterruptionFlushesTheAudioNotSentAndTellsTheClient() {
    // Five seconds of answer at once on "talk"; an interrupt cuts it and emits interrupted.
    Processor talker =
        input ->
            input.switchMap(
                p -> {
                  if (p.isInterrupted()) {
                    return Flux.just(Part.interrupted());
                  }
                  if (p.isText()) {
                    return Flux.range(0, 50)
                        .map(i -> Part.audio(new byte[4800], 24000).withRole("model"));
                  }
                  return Flux.empty();
                });
    start(b -> b.conversations(ConversationFactory.of(talker)));
    try (LoopbackClient client = LoopbackClient.connect(ws())) {
      client.sendText(START).awaitText("ready");
      client.sendText("{\"type\":\"text\",\"text\":\"talk\"}");
      client.awaitMessage(LoopbackClient.Message::isBinary);
      client.sendText("{\"type\":\"interrupt\"}");
      client.awaitText("\"interrupted\"");
      client.sendText("{\"type\":\"stop\"}");
      assertThat(client.awaitClose().code()).isEqualTo(CloseCodes.NORMAL);
      List<LoopbackClient.Message> all = client.messages().collectList().block(LoopbackClient.WAIT);
      int cut = indexOf(all, "\"interrupted\"");
      long before = all.subList(0, cut).stream().mapToLong(m -> m.bytes().length).sum();
      long after = all.subList(cut, all.size()).stream().mapToLong(m -> m.bytes().length).sum();
      assertThat(after).as("audio sent after the interruption").isZero();
      assertThat(before).as("audio sent before it").isPositive().isLessThan(50L * 4800);
    }
    ConversationReport report = awaitReport();
    assertThat(report.interruptions()).isEqualTo(1);
  }

  private static int indexOf(List<LoopbackClient.Message> all, String fragment) {
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).text().contains(fragment)) {
        return i;
      }
    }
    throw new AssertionError("no message with " + fragment);
  }

  @Test
  void aDrainStopsAcceptingLetsConversationsEndThenClosesTheRestAsGoingAway() {
    // The grace runs on this clock, so however slow the machine, it ends only when the test says.
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    start(b -> b.scheduler(clock));
    URI uri = ws();
    try (LoopbackClient finishing = LoopbackClient.connect(uri);
        LoopbackClient lingering = LoopbackClient.connect(uri)) {
      finishing.sendText(START).awaitText("ready");
      lingering.sendText(START).awaitText("ready");
      var drained = server.drain(Duration.ofSeconds(2)).toFuture();

      try (LoopbackClient late = LoopbackClient.connect(uri)) {
        assertThat(late.awaitFailure()).as("a connection after the drain began").isNotNull();
      }
      // A conversation under way goes on, and ends by itself.
      finishing.sendText("{\"type\":\"text\",\"text\":\"bye\"}");
      assertThat(finishing.awaitText("you said bye")).isNotEmpty();
      finishing.sendText("{\"type\":\"stop\"}");
      assertThat(finishing.awaitClose().code()).isEqualTo(CloseCodes.NORMAL);
      // One that does not end is closed when the grace runs out.
      assertThat(drained).as("still within the grace").isNotDone();
      clock.advanceTimeBy(Duration.ofSeconds(2));
      WebSocketCloseStatus away = lingering.awaitClose();
      assertThat(away.code()).isEqualTo(CloseCodes.GOING_AWAY);
      assertThat(away.reasonText()).isEqualTo("the server is shutting down; reconnect");
      drained.join();
      assertThat(server.activeConversations()).isZero();
    }
  }

  @Test
  void aDrainCompletesOnlyOnceEveryConversationsReportIsOut() {
    start(b -> b);
    URI uri = ws();
    java.util.concurrent.atomic.AtomicInteger reportsWhenDrained =
        new java.util.concurrent.atomic.AtomicInteger(-1);
    try (LoopbackClient first = LoopbackClient.connect(uri);
        LoopbackClient second = LoopbackClient.connect(uri)) {
      first.sendText(START).awaitText("ready");
      second.sendText(START).awaitText("ready");
      // Read on the thread that completes the drain, as it completes: an application that exits
      // once
      // drained must not lose a report still on its way.
      var drained =
          server
              .drain(Duration.ofSeconds(30))
              .doOnSuccess(v -> reportsWhenDrained.set(reports.size()))
              .toFuture();
      first.sendText("{\"type\":\"stop\"}");
      assertThat(first.awaitClose().code()).isEqualTo(CloseCodes.NORMAL);
      second.sendText("{\"type\":\"stop\"}");
      assertThat(second.awaitClose().code()).isEqualTo(CloseCodes.NORMAL);
      drained.join();
    }
    assertThat(reportsWhenDrained).hasValue(2);
  }

  @Test
  void thePageIsServedAndAPlainRequestToTheSocketIsRefused() {
    start(b -> b);
    String html =
        HttpClient.create()
            .get()
            .uri(server.pageUri())
            .responseContent()
            .aggregate()
            .asString()
            .block(LoopbackClient.WAIT);
    assertThat(html).contains("<title>Voice conversation</title>").contains("voice.js");
    String worklet =
        HttpClient.create()
            .get()
            .uri(server.pageUri().resolve("worklet.js"))
            .responseContent()
            .aggregate()
            .asString()
            .block(LoopbackClient.WAIT);
    assertThat(worklet).contains("registerProcessor('playback'");
    Integer status =
        HttpClient.create()
            .get()
            .uri(server.pageUri().resolve("ws"))
            .response()
            .map(r -> r.status().code())
            .block(LoopbackClient.WAIT);
    assertThat(status).isEqualTo(400);
  }

  private ConversationReport awaitReport() {
    return Flux.interval(Duration.ofMillis(10))
        .filter(i -> !reports.isEmpty())
        .map(i -> reports.get(0))
        .blockFirst(LoopbackClient.WAIT);
  }
}
