package dev.genaiprocessors.server.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.audio.G711;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PlaybackListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One call's conversions, its barge-in and its heard history, with Twilio's side played by hand. */
class TwilioCallTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String CONNECTED =
      "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}";
  private static final String START =
      "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"accountSid\":\"AC1\",\"streamSid\":\"MZ1\","
          + "\"callSid\":\"CA1\",\"tracks\":[\"inbound\"],\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\","
          + "\"sampleRate\":8000,\"channels\":1},\"customParameters\":{}},\"streamSid\":\"MZ1\"}";

  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
  private final Heard heard = new Heard();
  private final TwilioCall call =
      TwilioCall.builder().inputSampleRate(16000).listener(heard).scheduler(clock).build();

  @AfterEach
  void stopClock() {
    clock.dispose();
  }

  @Test
  void callersMulawBecomesPcmAtThePipelinesRate() {
    call.receive(CONNECTED);
    call.receive(START);
    byte[] pcm8k = tone(8000, 1600); // 200 ms
    List<Part> parts = call.receive(media("MZ1", G711.encodeUlaw(pcm8k)));
    parts = new ArrayList<>(parts);
    call.receive(stop("MZ1"));
    assertThat(call.stopped()).isTrue();
    assertThat(parts)
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.mimeType()).isEqualTo("audio/pcm;rate=16000"));
    assertThat(parts.get(0).role()).isEqualTo("user");
    long bytes = parts.stream().mapToLong(Part::byteSize).sum();
    assertThat(bytes).isBetween(6000L, 6400L); // 200 ms at 16 kHz, less the resampler's tail
  }

  @Test
  void answerAudioGoesOutAsMediaAndMarkPairsAtEightKilohertz() {
    call.receive(START);
    List<String> out = call.send(Part.audio(tone(24000, 7200), 24000)); // 300 ms at 24 kHz
    out = new ArrayList<>(out);
    out.addAll(call.send(Part.endOfTurn().withRole("model")));
    long ulawBytes = 0;
    for (int i = 0; i < out.size(); i += 2) {
      JsonNode media = JSON.readTree(out.get(i));
      JsonNode mark = JSON.readTree(out.get(i + 1));
      assertThat(media.get("event").stringValue()).isEqualTo("media");
      assertThat(mark.get("event").stringValue()).isEqualTo("mark");
      int n = Base64.getDecoder().decode(media.get("media").get("payload").stringValue()).length;
      assertThat(n).isLessThanOrEqualTo(TwilioCall.CHUNK_MILLIS * 8);
      ulawBytes += n;
    }
    assertThat(ulawBytes).isEqualTo(2400); // 300 ms at 8 kHz, one byte a sample
    assertThat(call.send(Part.outputTranscription("hello", true))).isEmpty();
  }

  @Test
  void marksThatComeBackAreReportedHeardInOrder() {
    call.receive(START);
    List<String> out = call.send(Part.audio(new byte[3200 * 3], 8000)); // 600 ms: six marks
    List<String> marks = marks(out);
    assertThat(marks).hasSize(6);
    clock.advanceTimeBy(Duration.ofMillis(200));
    call.receive(markBack(marks.get(1))); // the second back: the first is heard too
    assertThat(heard.released).hasSize(2);
    assertThat(heard.releasedStarts).containsExactly(0L, 100L);
    assertThat(heard.releasedMillis).containsExactly(100.0, 100.0);
    assertThat(heard.released.get(0).byteSize()).isEqualTo(1600);
  }

  @Test
  void interruptionSendsClearAtOnceAndReportsWhatWasNotHeard() {
    call.receive(START);
    List<String> marks =
        marks(call.send(Part.audio(new byte[1600 * 4], 8000).withMetadata("item", "x")));
    call.receive(markBack(marks.get(0)));
    List<String> out = call.send(Part.interrupted());
    assertThat(out).containsExactly("{\"event\":\"clear\",\"streamSid\":\"MZ1\"}");
    assertThat(heard.released).hasSize(1);
    assertThat(heard.dropped)
        .hasSize(3)
        .allSatisfy(p -> assertThat(p.metadata("item")).isEqualTo("x"));
    // Twilio sends the cleared marks back: they were not heard.
    call.receive(markBack(marks.get(1)));
    call.receive(markBack(marks.get(3)));
    assertThat(heard.released).hasSize(1);
    // New audio after the barge-in is tracked afresh.
    List<String> next = marks(call.send(Part.audio(new byte[1600], 8000)));
    call.receive(markBack(next.get(0)));
    assertThat(heard.released).hasSize(2);
  }

  @Test
  void audioBeforeStartIsReportedDropped() {
    assertThat(call.send(Part.audio(new byte[1600], 8000))).isEmpty();
    assertThat(heard.dropped).hasSize(1);
    assertThat(call.send(Part.interrupted())).isEmpty();
  }

  @Test
  void eventsOutOfOrderAreTypedErrorsAndChangeNothing() {
    assertThatThrownBy(() -> call.receive(media("MZ1", new byte[160])))
        .isInstanceOf(TwilioProtocolException.class)
        .hasMessageContaining("before start");
    call.receive(START);
    assertThatThrownBy(() -> call.receive(START))
        .isInstanceOf(TwilioProtocolException.class)
        .hasMessageContaining("second 'start'");
    assertThatThrownBy(() -> call.receive(CONNECTED))
        .isInstanceOf(TwilioProtocolException.class)
        .hasMessageContaining("after start");
    assertThatThrownBy(() -> call.receive(media("MZ2", new byte[160])))
        .isInstanceOf(TwilioProtocolException.class)
        .hasMessageContaining("another stream");
    assertThat(call.receive(media("MZ1", new byte[160]))).isNotEmpty();
    call.receive(stop("MZ1"));
    assertThatThrownBy(() -> call.receive(media("MZ1", new byte[160])))
        .isInstanceOf(TwilioProtocolException.class)
        .hasMessageContaining("after stop");
  }

  @Test
  void aFormatOtherThanMulawAtEightKilohertzIsRefused() {
    assertThatThrownBy(() -> call.receive(START.replace("8000", "16000")))
        .isInstanceOf(TwilioProtocolException.class)
        .hasMessageContaining("audio/x-mulaw at 8000 Hz, mono");
    assertThat(call.started()).isNull();
  }

  @Test
  void outboundTrackAndDtmfGiveNoParts() {
    call.receive(START);
    assertThat(
            call.receive(
                "{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"outbound\",\"payload\":\""
                    + Base64.getEncoder().encodeToString(new byte[160])
                    + "\"}}"))
        .isEmpty();
    assertThat(
            call.receive("{\"event\":\"dtmf\",\"streamSid\":\"MZ1\",\"dtmf\":{\"digit\":\"5\"}}"))
        .isEmpty();
  }

  private static List<String> marks(List<String> out) {
    List<String> names = new ArrayList<>();
    for (String m : out) {
      JsonNode node = JSON.readTree(m);
      if ("mark".equals(node.get("event").stringValue())) {
        names.add(node.get("mark").get("name").stringValue());
      }
    }
    return names;
  }

  static String media(String sid, byte[] ulaw) {
    return "{\"event\":\"media\",\"streamSid\":\""
        + sid
        + "\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\","
        + "\"timestamp\":\"0\",\"payload\":\""
        + Base64.getEncoder().encodeToString(ulaw)
        + "\"}}";
  }

  static String markBack(String name) {
    return "{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"" + name + "\"}}";
  }

  static String stop(String sid) {
    return "{\"event\":\"stop\",\"streamSid\":\"" + sid + "\",\"stop\":{}}";
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

  /** Records what the call reports. */
  private static final class Heard implements PlaybackListener {
    final List<Part> released = new ArrayList<>();
    final List<Long> releasedStarts = new ArrayList<>();
    final List<Double> releasedMillis = new ArrayList<>();
    final List<Part> dropped = new ArrayList<>();

    @Override
    public void released(Part chunk, long playbackStartMillis, double durationMillis) {
      released.add(chunk);
      releasedStarts.add(playbackStartMillis);
      releasedMillis.add(durationMillis);
    }

    @Override
    public void dropped(List<Part> parts, long atMillis) {
      dropped.addAll(parts);
    }
  }
}
