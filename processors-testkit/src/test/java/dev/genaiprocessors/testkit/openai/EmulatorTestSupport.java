package dev.genaiprocessors.testkit.openai;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

/**
 * Starts an emulator per test, and after each test has the official SDK judge every server event any client
 * received and every client event the test sent.
 */
abstract class EmulatorTestSupport {
  OpenAiRealtimeEmulator server;
  private final List<RawRealtimeClient> clients = new ArrayList<>();

  /** The emulator each test uses; override to configure it. */
  OpenAiRealtimeEmulator.Builder emulator() {
    return OpenAiRealtimeEmulator.builder();
  }

  @BeforeEach
  void startEmulator() {
    server = emulator().build().start();
  }

  @AfterEach
  void judgeAndStop() {
    try {
      for (RawRealtimeClient c : clients) {
        c.close();
        c.received.forEach(SdkJudge::assertServerEvent);
        c.sent.forEach(SdkJudge::assertClientEvent);
      }
    } finally {
      server.close();
    }
  }

  /** A connected client with the right key and model, whose traffic the SDK judges after the test. */
  RawRealtimeClient connect() {
    return track(RawRealtimeClient.connect(server));
  }

  RawRealtimeClient track(RawRealtimeClient client) {
    clients.add(client);
    return client;
  }

  /** A connected client past {@code session.created}. */
  RawRealtimeClient session() throws InterruptedException {
    RawRealtimeClient client = connect();
    client.next("session.created");
    return client;
  }

  static JsonNode json(String text) {
    return RealtimeWire.parse(text);
  }

  /** PCM16 mono at 24 kHz: a ramp, so that every chunk differs. */
  static byte[] pcm(int millis) {
    ByteBuffer b = ByteBuffer.allocate(millis * 48).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; b.remaining() >= 2; i++) {
      b.putShort((short) (i * 37));
    }
    return b.array();
  }

  static String append(int millis) {
    return "{\"type\": \"input_audio_buffer.append\", \"audio\": \""
        + Base64.getEncoder().encodeToString(pcm(millis))
        + "\"}";
  }

  static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.path("type").asString()).toList();
  }
}
