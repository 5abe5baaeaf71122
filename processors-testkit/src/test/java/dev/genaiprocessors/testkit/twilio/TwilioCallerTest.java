package dev.genaiprocessors.testkit.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.audio.Wav;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The caller against small loopback phone servers written here, each doing one thing. */
class TwilioCallerTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Queue<JsonNode> serverGot = new ConcurrentLinkedQueue<>();

  /**
   * Counts down when the server has read the caller's stop: the call's end on the caller's side does not
   * wait for the server to read the last frames, so a test awaits this before reading what the server got.
   */
  private final java.util.concurrent.CountDownLatch serverSawStop =
      new java.util.concurrent.CountDownLatch(1);

  private DisposableServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.disposeNow();
    }
  }

  /** A server that answers each message it gets (with its count) by the messages the function gives. */
  private URI serve(BiFunction<JsonNode, Integer, List<String>> answer) {
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(
                r ->
                    r.ws(
                        "/twilio",
                        (in, out) -> {
                          int[] count = {0};
                          return out.sendString(
                              in.receive()
                                  .asString()
                                  .concatMapIterable(
                                      text -> {
                                        JsonNode node = JSON.readTree(text);
                                        serverGot.add(node);
                                        if ("stop".equals(node.path("event").asString(""))) {
                                          serverSawStop.countDown();
                                        }
                                        return answer.apply(node, ++count[0]);
                                      }));
                        }))
            .bindNow();
    return URI.create("ws://127.0.0.1:" + server.port() + "/twilio");
  }

  private static String sid(JsonNode n) {
    return n.get("streamSid").stringValue();
  }

  private static String media(String sid, String payload) {
    return "{\"event\":\"media\",\"streamSid\":\""
        + sid
        + "\",\"media\":{\"payload\":\""
        + payload
        + "\"}}";
  }

  private static String mark(String sid, String name) {
    return "{\"event\":\"mark\",\"streamSid\":\""
        + sid
        + "\",\"mark\":{\"name\":\""
        + name
        + "\"}}";
  }

  @Test
  void speaksTheWavInTwentyMillisecondFramesAndSendsMarksBackAsTheirAudioPlays(@TempDir Path dir)
      throws Exception {
    // A server that plays back each frame it gets, followed by a mark.
    URI uri =
        serve(
            (n, i) ->
                n.get("event").stringValue().equals("media")
                    ? List.of(
                        media(sid(n), n.get("media").get("payload").stringValue()),
                        mark(sid(n), "m" + i))
                    : List.of());
    Path wav = dir.resolve("caller.wav");
    Files.write(wav, Wav.encode(tone(16000, 6400), 16000)); // 400 ms at 16 kHz
    TwilioCallRecord call =
        TwilioCaller.builder(uri)
            .say(wav)
            .pause(Duration.ofMillis(300))
            .customParameter("who", "test")
            .build()
            .call()
            .block(WAIT);

    assertThat(serverSawStop.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
        .as("the server read the caller's stop")
        .isTrue();
    List<JsonNode> got = new ArrayList<>(serverGot);
    assertThat(got.get(0).get("event").stringValue()).isEqualTo("connected");
    JsonNode start = got.get(1);
    assertThat(start.get("event").stringValue()).isEqualTo("start");
    assertThat(start.get("start").get("mediaFormat").toString())
        .isEqualTo("{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}");
    assertThat(start.get("start").get("customParameters").get("who").stringValue())
        .isEqualTo("test");
    assertThat(sid(start)).isEqualTo(call.streamSid());
    List<JsonNode> media =
        got.stream().filter(n -> n.get("event").stringValue().equals("media")).toList();
    assertThat(media).hasSize(35); // 400 ms of speech and 300 ms of silence, 20 ms a frame
    for (int i = 0; i < media.size(); i++) {
      JsonNode m = media.get(i).get("media");
      assertThat(m.get("chunk").stringValue()).isEqualTo(Integer.toString(i + 1));
      assertThat(m.get("timestamp").stringValue()).isEqualTo(Integer.toString(i * 20));
      assertThat(java.util.Base64.getDecoder().decode(m.get("payload").stringValue())).hasSize(160);
    }
    assertThat(got.get(got.size() - 1).get("event").stringValue()).isEqualTo("stop");

    assertThat(call.protocolErrors()).isEmpty();
    assertThat(call.sentAudioMillis()).isEqualTo(700);
    assertThat(call.receivedMillis()).isEqualTo(700);
    assertThat(call.clears()).isEmpty();
    // Marks go back in order, each once its audio has played; the last few may still be queued at
    // stop.
    assertThat(call.marksReceived()).startsWith(call.marksEchoed().toArray(String[]::new));
    assertThat(call.marksEchoed()).hasSizeGreaterThan(25);
    assertThat(call.playedMillis()).isBetween(20L * call.marksEchoed().size(), 700L);
    assertThat(call.closeCode()).isIn(-1, 1000);
  }

  @Test
  void withoutDetailsTheRecordKeepsCountsOnly() {
    URI uri =
        serve(
            (n, i) ->
                n.get("event").stringValue().equals("media")
                    ? List.of(
                        media(sid(n), n.get("media").get("payload").stringValue()),
                        mark(sid(n), "m" + i))
                    : List.of());
    TwilioCallRecord call =
        TwilioCaller.builder(uri)
            .pause(Duration.ofMillis(200))
            .keepDetails(false)
            .build()
            .call()
            .block(WAIT);
    assertThat(call.mediaCount()).isEqualTo(10);
    assertThat(call.markCount()).isEqualTo(10);
    assertThat(call.receivedMillis()).isEqualTo(200);
    assertThat(call.marksEchoedCount()).isPositive();
    assertThat(call.received()).isEmpty();
    assertThat(call.marksEchoed()).isEmpty();
    assertThat(call.receivedPcm()).isEmpty();
  }

  @Test
  void clearEmptiesThePlaybackAndSendsEveryPendingMarkBackAtOnce() throws InterruptedException {
    // A server that answers at once with 2 s of audio in 100 ms pieces, each with a mark, and
    // clears on
    // the caller's tenth frame.
    URI uri =
        serve(
            (n, i) -> {
              String event = n.get("event").stringValue();
              if (event.equals("start")) {
                List<String> answer = new ArrayList<>();
                String payload = java.util.Base64.getEncoder().encodeToString(new byte[800]);
                for (int k = 0; k < 20; k++) {
                  answer.add(media(sid(n), payload));
                  answer.add(mark(sid(n), "a" + k));
                }
                return answer;
              }
              if (event.equals("media") && n.get("media").get("chunk").stringValue().equals("10")) {
                return List.of("{\"event\":\"clear\",\"streamSid\":\"" + sid(n) + "\"}");
              }
              return List.of();
            });
    TwilioCallRecord call =
        TwilioCaller.builder(uri).pause(Duration.ofMillis(600)).build().call().block(WAIT);

    assertThat(call.protocolErrors()).isEmpty();
    assertThat(call.clears()).hasSize(1);
    long playedAtClear = call.clears().get(0).playedBeforeMillis();
    assertThat(playedAtClear).isBetween(100L, 400L);
    assertThat(call.playedMillis()).isEqualTo(playedAtClear); // nothing plays after the clear
    assertThat(call.marksEchoed()) // every mark goes back, played or cleared, in order
        .containsExactlyElementsOf(call.marksReceived());
    assertThat(serverSawStop.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
        .as("the server read the caller's stop")
        .isTrue();
    List<JsonNode> backs =
        serverGot.stream().filter(n -> n.get("event").stringValue().equals("mark")).toList();
    assertThat(backs).hasSize(20);
  }

  @Test
  void whatTwilioWouldRefuseIsRecordedAndTheCallGoesOn() throws InterruptedException {
    URI uri =
        serve(
            (n, i) ->
                n.get("event").stringValue().equals("start")
                    ? List.of(
                        "{\"event\":\"play\",\"streamSid\":\"" + sid(n) + "\"}",
                        media("MZ-other", "AAAA"),
                        media(sid(n), "@@"),
                        "not json")
                    : List.of());
    TwilioCallRecord call =
        TwilioCaller.builder(uri).pause(Duration.ofMillis(100)).build().call().block(WAIT);
    assertThat(call.protocolErrors())
        .hasSize(4)
        .anySatisfy(e -> assertThat(e).contains("'play'"))
        .anySatisfy(e -> assertThat(e).contains("streamSid"))
        .anySatisfy(e -> assertThat(e).contains("not base64"))
        .anySatisfy(e -> assertThat(e).contains("not JSON"));
    assertThat(call.sentAudioMillis()).isEqualTo(100);
    assertThat(serverSawStop.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
        .as("the server read the caller's stop")
        .isTrue();
    assertThat(serverGot)
        .last()
        .satisfies(n -> assertThat(n.get("event").stringValue()).isEqualTo("stop"));
  }

  static byte[] tone(int rate, int samples) {
    byte[] pcm = new byte[samples * 2];
    for (int i = 0; i < samples; i++) {
      int v = (int) (8000 * Math.sin(2 * Math.PI * 440 * i / rate));
      pcm[2 * i] = (byte) v;
      pcm[2 * i + 1] = (byte) (v >> 8);
    }
    return pcm;
  }
}
