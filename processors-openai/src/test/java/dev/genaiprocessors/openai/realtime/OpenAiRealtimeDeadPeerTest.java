package dev.genaiprocessors.openai.realtime;

import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelConnectionException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** A server that stops answering, pongs included, is dropped after two keep-alive periods. */
class OpenAiRealtimeDeadPeerTest {
  DisposableServer server;
  VirtualTimeScheduler clock = VirtualTimeScheduler.create();

  @AfterEach
  void stop() {
    server.disposeNow();
    clock.dispose();
  }

  @Test
  void aSilentServerEndsTheSessionWithAConnectionErrorAfterTwoKeepAlivePeriods() throws Exception {
    CountDownLatch updated = new CountDownLatch(1);
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(
                routes ->
                    routes.ws(
                        "/v1/realtime",
                        // pings reach this handler, which never answers them (handlePing: proxied)
                        (in, out) -> in.receiveFrames().doOnNext(f -> updated.countDown()).then(),
                        WebsocketServerSpec.builder().handlePing(true).build()))
            .bindNow();
    OpenAiRealtimeProcessor model =
        OpenAiRealtimeProcessor.builder()
            .uri(URI.create("ws://127.0.0.1:" + server.port() + "/v1/realtime"))
            .apiKey("loopback-key")
            .scheduler(clock)
            .keepAlive(Duration.ofSeconds(30))
            .build();
    StepVerifier.create(model.apply(Flux.<Part>never()))
        .then(
            () -> {
              try {
                assertThat(updated.await(10, TimeUnit.SECONDS))
                    .isTrue(); // connected: session.update came
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            })
        .then(
            () ->
                clock.advanceTimeBy(
                    Duration.ofSeconds(30))) // first period: the open counts as heard
        .then(() -> clock.advanceTimeBy(Duration.ofSeconds(30))) // one silent period: a ping goes
        .then(() -> clock.advanceTimeBy(Duration.ofSeconds(30))) // two silent periods: dropped
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ModelConnectionException.class)
                    .hasMessageContaining("keep-alive"))
        .verify(WAIT);
  }
}
