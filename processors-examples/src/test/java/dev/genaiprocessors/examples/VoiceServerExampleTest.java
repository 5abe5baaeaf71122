package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.live.realtime.RealtimeProvider;
import dev.genaiprocessors.server.VoiceServer;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;

/** The example's server on loopback and a free port, with the local provider (no key). */
class VoiceServerExampleTest {
  private static final Duration WAIT = Duration.ofSeconds(40);

  @Test
  void withNoKeyTheLocalProviderAnswersATypedMessageAndTheConversationIsReported() {
    RealtimeProvider provider = VoiceServerExample.provider(null, Map.of());
    assertThat(provider.name()).isEqualTo("local");
    LiveProcessor live = provider.create(RealtimeConfig.builder().build(), Map.of());
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    List<String> texts = new CopyOnWriteArrayList<>();
    AtomicLong audio = new AtomicLong();
    Sinks.One<WebSocketCloseStatus> closed = Sinks.one();
    try (VoiceServer server = VoiceServerExample.serve(live, "127.0.0.1", 0, Map.of(), out)) {
      assertThat(server.pageUri().toString()).startsWith("http://127.0.0.1:");
      // The client: start, a typed message, and stop once the answer's turn is complete.
      Sinks.Many<String> outgoing = Sinks.many().unicast().onBackpressureBuffer();
      outgoing.tryEmitNext("{\"type\":\"start\",\"sampleRate\":16000}");
      outgoing.tryEmitNext("{\"type\":\"text\",\"text\":\"Hello there\"}");
      HttpClient.create()
          .websocket()
          .uri(server.webSocketUri(VoiceServer.BROWSER_PATH))
          .handle(
              (in, o) -> {
                in.receiveCloseStatus().subscribe(closed::tryEmitValue);
                Mono<Void> reading =
                    in.receiveFrames()
                        .doOnNext(
                            f -> {
                              if (f instanceof TextWebSocketFrame t) {
                                texts.add(t.text());
                                if (t.text().contains("turn_complete")) {
                                  outgoing.tryEmitNext("{\"type\":\"stop\"}");
                                }
                              } else if (f instanceof BinaryWebSocketFrame) {
                                audio.addAndGet(ByteBufUtil.getBytes(f.content()).length);
                              }
                            })
                        .then();
                return Mono.when(reading, o.sendString(outgoing.asFlux()).then());
              })
          .take(WAIT)
          .blockLast();
      WebSocketCloseStatus status = closed.asMono().block(Duration.ofSeconds(1));
      assertThat(status).as("closed by the server; received " + texts).isNotNull();
      assertThat(status.code()).isEqualTo(1000);
      assertThat(texts).anyMatch(t -> t.contains("\"type\":\"ready\""));
      assertThat(texts)
          .anyMatch(
              t -> t.contains("\"type\":\"transcript\"") && t.contains("\"role\":\"assistant\""));
      assertThat(texts).contains("{\"type\":\"audio_format\",\"sampleRate\":24000}");
      assertThat(audio.get()).as("bytes of the spoken answer").isGreaterThan(24000);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .containsPattern("Conversation \\w+-1 \\(anonymous\\) ended after [0-9.]+ s: close 1000");
  }

  @Test
  void theProviderIsPickedByKeyOrByName() {
    assertThat(VoiceServerExample.provider(null, Map.of("OPENAI_API_KEY", "k")).name())
        .isEqualTo("openai");
    assertThat(VoiceServerExample.provider(null, Map.of("GEMINI_API_KEY", "k")).name())
        .isEqualTo("gemini");
    assertThat(VoiceServerExample.provider("local", Map.of("OPENAI_API_KEY", "k")).name())
        .isEqualTo("local");
  }

  @Test
  void itBindsLoopbackOnPort8080UnlessToldAndRefusesAnotherAddressWithoutAToken() {
    VoiceServerExample.Options defaults = VoiceServerExample.Options.parse(new String[0]);
    assertThat(defaults).isEqualTo(new VoiceServerExample.Options(null, "127.0.0.1", 8080));
    assertThat(VoiceServerExample.Options.parse(new String[] {"gemini", "--port", "9000"}))
        .isEqualTo(new VoiceServerExample.Options("gemini", "127.0.0.1", 9000));
    LiveProcessor live =
        VoiceServerExample.provider("local", Map.of())
            .create(RealtimeConfig.builder().build(), Map.of());
    assertThatThrownBy(() -> VoiceServerExample.serve(live, "0.0.0.0", 0, Map.of(), System.out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("set VOICE_SERVER_TOKEN");
    assertThatThrownBy(() -> VoiceServerExample.Options.parse(new String[] {"--bogus"}))
        .hasMessageContaining("unknown argument '--bogus'");
  }
}
