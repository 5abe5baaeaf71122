package dev.genaiprocessors.client.internal;

import static dev.genaiprocessors.client.internal.LoopbackWebSocketPeer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/** One connection against a real loopback WebSocket server: header, frames both ways, limits, ends. */
class WebSocketLinkTest {
  final LoopbackWebSocketPeer peer = new LoopbackWebSocketPeer();
  final HttpClient client = WebSocketLink.client("x-test-key", "loopback-secret");

  @AfterEach
  void stop() {
    peer.close();
  }

  /** A handler that sends its commands on the first demand and turns each message into its text. */
  static final class Recorder implements WebSocketLink.Handler<String> {
    final AtomicReference<@Nullable WebSocketLink> link = new AtomicReference<>();
    final List<String> commands;
    final List<String> ends = new CopyOnWriteArrayList<>();
    final Function<String, Publisher<String>> onMessage;
    boolean asUtf8;
    private boolean sent;

    Recorder(List<String> commands) {
      this(commands, Mono::just);
    }

    Recorder(List<String> commands, Function<String, Publisher<String>> onMessage) {
      this.commands = commands;
      this.onMessage = onMessage;
    }

    @Override
    public Publisher<String> opened(WebSocketLink l) {
      link.set(l);
      return Flux.empty();
    }

    @Override
    public synchronized void demand() {
      WebSocketLink l = link.get();
      if (!sent && l != null && l.canSend()) {
        sent = true;
        commands.forEach(
            c ->
                assertThat(asUtf8 ? l.send(c.getBytes(StandardCharsets.UTF_8)) : l.send(c))
                    .isTrue());
      }
    }

    @Override
    public Publisher<String> message(byte[] payload) {
      return onMessage.apply(new String(payload, StandardCharsets.UTF_8));
    }

    @Override
    public Publisher<String> ended(
        @Nullable WebSocketCloseStatus status, @Nullable Throwable transportError) {
      String end =
          "ended "
              + (status == null ? "without close frame" : status.code() + " " + status.reasonText())
              + (WebSocketFrameLimit.exceeded(transportError) ? ", frame too big" : "");
      ends.add(end);
      return Mono.just(end);
    }
  }

  @Test
  void theHeaderGoesOnTheUpgradeAndTextFramesGoBothWaysInOrderUntilThePeerCloses() {
    Recorder handler = new Recorder(List.of("say one", "say two", "close 4001 bye"));
    StepVerifier.create(WebSocketLink.connect(client, peer.uri(), 1024, handler))
        .expectNext("one", "two", "ended 4001 bye")
        .expectComplete()
        .verify(WAIT);
    assertThat(peer.header.get()).isEqualTo("loopback-secret");
    assertThat(handler.ends).hasSize(1);
  }

  @Test
  void theClientsCloseReachesThePeerOnceWithItsCodeAndReason() {
    Recorder handler = new Recorder(List.of("say hello"));
    StepVerifier.create(WebSocketLink.connect(client, peer.uri(), 1024, handler))
        .expectNext("hello")
        .then(
            () -> {
              WebSocketLink l = handler.link.get();
              l.close(4002, "done here");
              l.close(1011, "second close: ignored");
              assertThat(l.closeRequested()).isTrue();
              assertThat(l.canSend()).isFalse();
              assertThat(l.send("say late")).isFalse();
            })
        .expectNextMatches(end -> end.startsWith("ended "))
        .expectComplete()
        .verify(WAIT);
    StepVerifier.create(peer.closeStatus.asMono())
        .assertNext(
            status -> {
              assertThat(status.code()).isEqualTo(4002);
              assertThat(status.reasonText()).isEqualTo("done here");
            })
        .verifyComplete();
  }

  @Test
  void aFrameOverTheLimitEndsTheInboundSideWithAnErrorTheFrameLimitRecognises() {
    Recorder handler = new Recorder(List.of("say small", "big 4096"));
    StepVerifier.create(WebSocketLink.connect(client, peer.uri(), 1024, handler))
        .expectNext("small")
        .assertNext(end -> assertThat(end).endsWith(", frame too big"))
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void aHandlersErrorEndsTheOutputAsItIsAndIsNotTakenForATransportError() {
    Recorder handler =
        new Recorder(
            List.of("say boom"), text -> Mono.error(new IllegalStateException("bad " + text)));
    StepVerifier.create(WebSocketLink.connect(client, peer.uri(), 1024, handler))
        .expectErrorSatisfies(
            e -> assertThat(e).isInstanceOf(IllegalStateException.class).hasMessage("bad boom"))
        .verify(WAIT);
    assertThat(handler.ends).isEmpty();
  }

  @Test
  void abortDropsTheConnectionWithoutACloseFrame() {
    Recorder handler = new Recorder(List.of("say hello"));
    StepVerifier.create(WebSocketLink.connect(client, peer.uri(), 1024, handler))
        .expectNext("hello")
        .then(() -> handler.link.get().abort())
        .expectNext("ended 1006 Abnormal closure")
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void aRefusedUpgradeFailsTheConnectWithItsHttpStatus() {
    StepVerifier.create(
            WebSocketLink.connect(client, peer.refusing(), 1024, new Recorder(List.of())))
        .expectErrorSatisfies(e -> assertThat(WebSocketLink.refusedStatus(e)).isEqualTo(401))
        .verify(WAIT);
    assertThat(WebSocketLink.refusedStatus(new IllegalStateException("reset"))).isZero();
  }

  @Test
  void utf8ArraysGoOutAsTextFramesInOrderWithTheStringsSemantics() {
    Recorder handler = new Recorder(List.of("say été☃", "say two", "close 4001 bye"));
    handler.asUtf8 = true;
    StepVerifier.create(WebSocketLink.connect(client, peer.uri(), 1024, handler))
        .expectNext("été☃", "two", "ended 4001 bye")
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void aUtf8ArrayGivenAfterTheCloseIsRefusedAndNothingIsWritten() {
    Recorder handler = new Recorder(List.of("say hello"));
    StepVerifier.create(WebSocketLink.connect(client, peer.uri(), 1024, handler))
        .expectNext("hello")
        .then(
            () -> {
              WebSocketLink l = handler.link.get();
              l.close(4002, "done here");
              assertThat(l.send("say late".getBytes(StandardCharsets.UTF_8))).isFalse();
            })
        .expectNext("ended 4002 done here")
        .expectComplete()
        .verify(WAIT);
  }
}
