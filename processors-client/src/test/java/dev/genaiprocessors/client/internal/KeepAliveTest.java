package dev.genaiprocessors.client.internal;

import static dev.genaiprocessors.client.internal.LoopbackWebSocketPeer.WAIT;
import static dev.genaiprocessors.client.internal.LoopbackWebSocketPeer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Keep-alive and dead-peer detection on a real loopback connection, its ticks on a virtual clock. */
class KeepAliveTest {
  static final Duration PERIOD = Duration.ofSeconds(30);

  final LoopbackWebSocketPeer peer = new LoopbackWebSocketPeer();
  final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
  final WebSocketLinkTest.Recorder handler = new WebSocketLinkTest.Recorder(List.of("say open"));
  final Sinks.Many<String> output = Sinks.many().replay().all();
  final AtomicInteger deaths = new AtomicInteger();
  Disposable connection;

  /** Connects and waits until the link is open and a first message came back. */
  WebSocketLink open() {
    connection =
        WebSocketLink.connect(WebSocketLink.client("x-test-key", "k"), peer.uri(), 1024, handler)
            .subscribe(output::tryEmitNext, output::tryEmitError, output::tryEmitComplete);
    StepVerifier.create(output.asFlux()).expectNext("open").thenCancel().verify(WAIT);
    return handler.link.get();
  }

  KeepAlive keepAlive(WebSocketLink link, AtomicBoolean readingPaused) {
    return new KeepAlive(
            link, PERIOD, KeepAlive.Timer.on(clock), readingPaused::get, deaths::incrementAndGet)
        .start();
  }

  @AfterEach
  void stop() {
    if (connection != null) {
      connection.dispose();
    }
    clock.dispose();
    peer.close();
  }

  @Test
  void aPeerThatAnswersPingsStaysAliveAndIsPingedEveryPeriod() {
    KeepAlive k = keepAlive(open(), new AtomicBoolean());
    for (int period = 1; period <= 5; period++) {
      clock.advanceTimeBy(PERIOD);
      await(peer.pongsBack::get, period); // our pong, and the ping after it, were read
    }
    assertThat(peer.pings.get()).isEqualTo(5);
    assertThat(deaths.get()).isZero();
    assertThat(k.peerDead()).isFalse();
    assertThat(handler.link.get().closeRequested()).isFalse();
  }

  @Test
  void aPeerThatStopsAnsweringPingsIsTakenForDeadAfterExactlyTwoSilentPeriods() {
    KeepAlive k = keepAlive(open(), new AtomicBoolean());
    clock.advanceTimeBy(PERIOD); // the open and the message were heard: a ping, answered
    await(peer.pongsBack::get, 1);
    peer.answerPings = false;
    clock.advanceTimeBy(PERIOD); // the pong was heard: a ping, unanswered
    await(peer.pings::get, 2);
    clock.advanceTimeBy(PERIOD); // one silent period: still alive, pinged again
    await(peer.pings::get, 3);
    assertThat(deaths.get()).isZero();
    assertThat(k.peerDead()).isFalse();
    clock.advanceTimeBy(PERIOD); // two silent periods: dead, dropped without a close frame
    assertThat(deaths.get()).isEqualTo(1);
    assertThat(k.peerDead()).isTrue();
    StepVerifier.create(output.asFlux())
        .expectNext("open", "ended 1006 Abnormal closure")
        .expectComplete()
        .verify(WAIT);
    clock.advanceTimeBy(PERIOD.multipliedBy(3)); // no more ticks after the verdict
    assertThat(deaths.get()).isEqualTo(1);
    assertThat(peer.pings.get()).isEqualTo(3);
  }

  @Test
  void silenceWhileTheOwnerHoldsTheReadsCountsAsHeard() {
    peer.answerPings = false;
    KeepAlive k = keepAlive(open(), new AtomicBoolean(true));
    for (int period = 1; period <= 4; period++) {
      clock.advanceTimeBy(PERIOD);
      await(peer.pings::get, period);
    }
    assertThat(deaths.get()).isZero();
    assertThat(k.peerDead()).isFalse();
  }

  @Test
  void afterStopNoTickPingsOrGivesAVerdict() {
    peer.answerPings = false;
    WebSocketLink link = open();
    KeepAlive k = keepAlive(link, new AtomicBoolean());
    k.stop();
    clock.advanceTimeBy(PERIOD.multipliedBy(5));
    assertThat(deaths.get()).isZero();
    assertThat(link.closeRequested()).isFalse();
  }

  @Test
  void whileClosingATickNeitherPingsNorCounts() {
    peer.answerPings = false;
    WebSocketLink link = open();
    keepAlive(link, new AtomicBoolean());
    link.close(1000, "");
    clock.advanceTimeBy(PERIOD.multipliedBy(5));
    assertThat(deaths.get()).isZero();
    assertThat(peer.pings.get()).isZero();
  }

  @Test
  void aPeriodThatIsNotPositiveIsRefusedWithAHint() {
    WebSocketLink link = open();
    assertThatThrownBy(
            () ->
                new KeepAlive(
                    link, Duration.ZERO, KeepAlive.Timer.on(clock), () -> false, () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zero turns keep-alive off");
  }
}
