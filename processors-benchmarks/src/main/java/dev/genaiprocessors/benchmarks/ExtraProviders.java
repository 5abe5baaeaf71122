package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.openai.realtime.OpenAiRealtimeProcessor;
import dev.genaiprocessors.testkit.openai.ClientMessage;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

/** The providers {@link LiveChunkLatency} measures besides Gemini. */
final class ExtraProviders {
  private ExtraProviders() {}

  static List<LiveChunkLatency.Provider> all() {
    return List.of(new OpenAiProvider());
  }

  /** OpenAI Realtime: the emulator, a raw GA socket, {@link OpenAiRealtimeProcessor}. */
  static final class OpenAiProvider implements LiveChunkLatency.Provider {
    private static final String MODEL = "gpt-realtime";
    private final OpenAiRealtimeEmulator emulator =
        OpenAiRealtimeEmulator.builder().build().start();

    @Override
    public String name() {
      return "openai";
    }

    @Override
    public int inputRate() {
      return 24_000;
    }

    @Override
    public @org.jspecify.annotations.Nullable String rawSetup() {
      return null;
    }

    @Override
    public String rawAudioFrame(byte[] pcm) {
      return "{\"type\":\"input_audio_buffer.append\",\"audio\":\""
          + Base64.getEncoder().encodeToString(pcm)
          + "\"}";
    }

    @Override
    public HttpClient rawClient() {
      return HttpClient.newConnection()
          .headers(h -> h.set("Authorization", "Bearer " + emulator.apiKey()));
    }

    @Override
    public URI uri() {
      return URI.create(emulator.uri() + "?model=" + MODEL);
    }

    @Override
    public Function<Flux<Part>, Flux<Part>> processor() {
      return OpenAiRealtimeProcessor.builder()
          .uri(emulator.uri())
          .apiKey(emulator.apiKey())
          .model(MODEL)
          .build();
    }

    @Override
    public byte[] takeAudio(Duration timeout) throws InterruptedException {
      while (true) {
        ClientMessage m = emulator.takeMessage(timeout);
        if (m == null) {
          throw new IllegalStateException("openai: no event from the client within " + timeout);
        }
        if (m.type().equals("input_audio_buffer.append")) {
          return Base64.getDecoder().decode(m.json().path("audio").asString());
        }
      }
    }

    @Override
    public void close() {
      emulator.close();
    }
  }
}
