package dev.genaiprocessors.benchmarks;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor;
import dev.genaiprocessors.openai.realtime.OpenAiRealtimeProcessor;
import java.net.URI;
import java.util.Base64;
import java.util.Locale;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

/**
 * The two live providers {@link LiveSessionsLoad} drives, as the load client sees them: the input rate,
 * the frames a bare socket sends (the floor), and the processor under test. Immutable.
 */
enum LoadProvider {
  /** Gemini Live: 16 kHz in, {@code realtimeInput.audio}, a {@code setup} first. */
  GEMINI("gemini-live-2.5-flash-preview", 16_000) {
    @Override
    String setupFrame() {
      return "{\"setup\":{\"model\":\"models/" + model + "\"}}";
    }

    @Override
    String audioFrame(byte[] pcm) {
      return "{\"realtimeInput\":{\"audio\":{\"mimeType\":\"audio/pcm;rate=16000\",\"data\":\""
          + Base64.getEncoder().encodeToString(pcm)
          + "\"}}}";
    }

    @Override
    HttpClient bareClient(String key) {
      return HttpClient.newConnection().headers(h -> h.set("x-goog-api-key", key));
    }

    @Override
    URI socketUri(URI emulatorUri) {
      return emulatorUri;
    }

    @Override
    Function<Flux<Part>, Flux<Part>> processor(URI emulatorUri, String key) {
      return GeminiLiveProcessor.builder().uri(emulatorUri).apiKey(key).model(model).build();
    }
  },

  /** OpenAI Realtime: 24 kHz in, {@code input_audio_buffer.append}, a {@code session.update} first. */
  OPENAI("gpt-realtime", 24_000) {
    @Override
    String setupFrame() {
      return "{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\"}}";
    }

    @Override
    String audioFrame(byte[] pcm) {
      return "{\"type\":\"input_audio_buffer.append\",\"audio\":\""
          + Base64.getEncoder().encodeToString(pcm)
          + "\"}";
    }

    @Override
    HttpClient bareClient(String key) {
      return HttpClient.newConnection().headers(h -> h.set("Authorization", "Bearer " + key));
    }

    @Override
    URI socketUri(URI emulatorUri) {
      return URI.create(emulatorUri + "?model=" + model);
    }

    @Override
    Function<Flux<Part>, Flux<Part>> processor(URI emulatorUri, String key) {
      return OpenAiRealtimeProcessor.builder().uri(emulatorUri).apiKey(key).model(model).build();
    }
  };

  /** The model every session names. */
  final String model;

  /** The input sample rate in Hz. */
  final int inputRate;

  LoadProvider(String model, int inputRate) {
    this.model = model;
    this.inputRate = inputRate;
  }

  /**
   * The provider named on the command line.
   *
   * @param name {@code gemini} or {@code openai}
   * @return the provider
   * @throws IllegalArgumentException for another name
   */
  static LoadProvider named(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("provider must be gemini or openai, was " + name, e);
    }
  }

  /** Bytes in one 20 ms frame of 16-bit mono PCM at the input rate. */
  int frameBytes() {
    return inputRate / 50 * 2;
  }

  /** The first frame a bare client sends. */
  abstract String setupFrame();

  /** One audio frame as the bare client sends it, Base64 and JSON included. */
  abstract String audioFrame(byte[] pcm);

  /** The bare Reactor Netty client with the key's header. */
  abstract HttpClient bareClient(String key);

  /** The socket URI a bare client connects to. */
  abstract URI socketUri(URI emulatorUri);

  /** The live processor under test, pointed at the emulator. */
  abstract Function<Flux<Part>, Flux<Part>> processor(URI emulatorUri, String key);
}
