package dev.genaiprocessors.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * How a connection ends when the client does not play its part of the close: one that never answers
 * the close frame, one that stopped reading. Raw socket clients ({@link DeafClient}), virtual time.
 */
class CloseWaitTest {
  private final List<ConversationReport> reports = new CopyOnWriteArrayList<>();
  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
  private VoiceServer server;

  private VoiceServer start(Processor pipeline) {
    server =
        VoiceServer.builder()
            .port(0)
            .page(false)
            .scheduler(clock)
            .idleTimeout(Duration.ofSeconds(10))
            .outboundPacing(Processor.chain(List.of())) // as fast as the socket takes it
            .conversations(ConversationFactory.of(pipeline))
            .authenticator(Authenticator.allowAll())
            .onConversationEnd(reports::add)
            .build()
            .start();
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aClientThatNeverAnswersTheCloseFrameIsCutOffOnceTheFrameIsOut() throws Exception {
    // The conversation is over at once: the server sends its close frame as the client connects.
    start(input -> Flux.empty());
    try (DeafClient client =
        DeafClient.connect(server.webSocketUri(VoiceServer.BROWSER_PATH), 1 << 16)) {
      assertThat(client.readUntilClose().closeCode()).isEqualTo(CloseCodes.NORMAL);
      // Reactor Netty closes the TCP connection once the close frame is written: no answer is
      // awaited, and no time passes on the server's clock.
      assertThat(client.awaitCutOff()).as("the server closed the connection").isTrue();
    }
    ConversationReport report = awaitReport();
    assertThat(report.closeCode()).isEqualTo(CloseCodes.NORMAL);
    assertThat(report.duration()).isZero();
  }

  @Test
  void aClientThatStopsReadingIsCutOffTheCloseWaitAfterTheEndOnTheSchedulersClock()
      throws Exception {
    // Endless audio, read with backpressure: a client that does not read holds the writes up.
    AtomicLong made = new AtomicLong();
    start(
        input ->
            Flux.generate(
                sink -> {
                  made.incrementAndGet();
                  sink.next(Part.audio(new byte[32_000], 24000).withRole("model"));
                }));
    try (DeafClient client =
        DeafClient.connect(server.webSocketUri(VoiceServer.BROWSER_PATH), 4096)) {
      awaitStalled(made); // the socket buffers are full: the server's writes wait for the client
      clock.advanceTimeBy(Duration.ofSeconds(10)); // idle: the conversation ends (1008)
      clock.advanceTimeBy(ConversationConnection.CLOSE_WAIT.minusMillis(1));
      assertThat(reports).as("not cut off before the close wait").isEmpty();
      assertThat(server.activeConversations()).isEqualTo(1);

      clock.advanceTimeBy(Duration.ofMillis(1));
      ConversationReport report = awaitReport();
      assertThat(report.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
      assertThat(report.reason()).isEqualTo("idle: no frame from the client for 10 s");
      assertThat(report.duration())
          .isEqualTo(Duration.ofSeconds(10).plus(ConversationConnection.CLOSE_WAIT));
      assertThat(client.awaitCutOff()).as("the server closed the connection").isTrue();
    }
  }

  /** Waits (bounded) until the pipeline is no longer asked for more: four equal looks 50 ms apart. */
  private static void awaitStalled(AtomicLong made) {
    Boolean stalled =
        Flux.interval(Duration.ofMillis(50))
            .map(i -> made.get())
            .buffer(4, 1)
            .filter(looks -> looks.get(0) > 0 && looks.stream().distinct().count() == 1)
            .hasElements()
            .block(LoopbackClient.WAIT);
    assertThat(stalled).as("the server's writes were held up").isTrue();
  }

  private ConversationReport awaitReport() {
    return Flux.interval(Duration.ofMillis(10))
        .filter(i -> !reports.isEmpty())
        .map(i -> reports.get(0))
        .blockFirst(LoopbackClient.WAIT);
  }
}
