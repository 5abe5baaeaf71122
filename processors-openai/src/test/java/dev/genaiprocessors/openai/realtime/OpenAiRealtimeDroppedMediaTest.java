package dev.genaiprocessors.openai.realtime;

import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.WAIT;
import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.builder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.live.metrics.RealTimeMetrics;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/** The audio the send queue drops reaches the conversation's RealTimeMetrics, through the context. */
class OpenAiRealtimeDroppedMediaTest {
  static final int SENT = 20;

  OpenAiRealtimeEmulator server;

  @BeforeEach
  void start() {
    server = OpenAiRealtimeEmulator.builder().build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void whatTheSendQueueDropsIsCountedAsDroppedMedia() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RealTimeMetrics metrics =
        RealTimeMetrics.builder().registry(registry).conversation("openai-1").build();
    // Twenty appends wait for the connection in a queue of eight: the oldest make room.
    Sinks.Many<Part> input = Sinks.many().unicast().onBackpressureBuffer();
    for (int i = 0; i < SENT; i++) {
      input.tryEmitNext(
          Part.audio(new byte[480], 24000).withRole("user").withSubstream(Substreams.REALTIME));
    }
    Disposable conversation =
        metrics
            .observe(builder(server).sendQueueCapacity(8).build())
            .apply(input.asFlux())
            .subscribe();
    int received = 0;
    try {
      assertThat(server.takeMessage("session.update", WAIT)).isNotNull();
      while (server.takeMessage("input_audio_buffer.append", Duration.ofSeconds(2)) != null) {
        received++;
      }
    } finally {
      conversation.dispose();
    }

    long dropped = metrics.report().stages().get(0).quality().droppedMedia();
    assertThat(dropped).as("appends that never reached the server").isEqualTo(SENT - received);
    assertThat(dropped).isPositive();
    assertThat(registry.get(RealTimeMetrics.DROPPED_MEDIA).tag("stage", "openai").counter().count())
        .isEqualTo(dropped);
  }
}
