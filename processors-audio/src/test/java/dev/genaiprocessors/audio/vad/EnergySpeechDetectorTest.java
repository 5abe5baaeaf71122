package dev.genaiprocessors.audio.vad;

import static dev.genaiprocessors.audio.vad.SpeechSignals.concat;
import static dev.genaiprocessors.audio.vad.SpeechSignals.mix;
import static dev.genaiprocessors.audio.vad.SpeechSignals.noise;
import static dev.genaiprocessors.audio.vad.SpeechSignals.silence;
import static dev.genaiprocessors.audio.vad.SpeechSignals.speechLike;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.audio.Signals;
import dev.genaiprocessors.core.Part;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The energy detector alone, and the default {@link Vad} (which uses it) on synthetic audio at 16 kHz. */
class EnergySpeechDetectorTest {

  private static final int RATE = 16_000;

  /** A quiet room: white noise at -66 dBFS. */
  private static final double ROOM_DB = -66;

  /** The signal through the default VAD, in parts of 30 ms (not aligned with its 20 ms frames). */
  private static List<Part> vad(float[] signal) {
    byte[] pcm = SpeechSignals.pcm(signal);
    List<Part> out = new ArrayList<>();
    StepVerifier.create(
            Vad.builder()
                .build()
                .apply(Flux.fromIterable(Pcm.split(Part.audio(pcm, RATE), Duration.ofMillis(30)))))
        .recordWith(() -> out)
        .thenConsumeWhile(p -> true)
        .verifyComplete();
    assertThat(VadOutput.audio(out)).isEqualTo(pcm);
    return out;
  }

  /** {@code speech} laid over the quiet room from {@code at} seconds, in a signal of {@code seconds}. */
  private static float[] inRoom(double seconds, double at, float[] speech) {
    return mix(noise(RATE, seconds, ROOM_DB, 11), concat(silence(RATE, at), speech));
  }

  @Test
  void speechBetweenQuietStretchesIsOneSegmentThatStartsBeforeItAndEndsAfterIt() {
    List<VadOutput.Segment> segments =
        VadOutput.segments(vad(inRoom(4, 1.0, speechLike(RATE, 2.0))));

    // Speech is from 1.0 s to 3.0 s; the start marker leads it by at most the 300 ms window, and
    // the
    // end marker follows it by the window that ended it.
    assertThat(segments).hasSize(1);
    assertThat(segments.get(0).start()).isBetween(0.68, 1.1);
    assertThat(segments.get(0).end()).isBetween(3.0, 3.4);
  }

  @Test
  void speechAfterDigitalSilenceIsFoundToo() {
    List<VadOutput.Segment> segments =
        VadOutput.segments(
            vad(concat(silence(RATE, 1.0), speechLike(RATE, 2.0), silence(RATE, 1.0))));

    assertThat(segments).hasSize(1);
    assertThat(segments.get(0).start()).isBetween(0.68, 1.1);
    assertThat(segments.get(0).end()).isBetween(3.0, 3.4);
  }

  @Test
  void aClickOf50MillisecondsDoesNotStartSpeech() {
    List<Part> out = vad(inRoom(2, 1.0, SpeechSignals.click(RATE, 0.05, 3)));

    assertThat(out).noneMatch(p -> p.isStartOfSpeech() || p.isEndOfSpeech());
  }

  @Test
  void aPauseOf150MillisecondsDoesNotSplitSpeechButOneOf600Does() {
    float[] shortPause = concat(speechLike(RATE, 1.0), silence(RATE, 0.15), speechLike(RATE, 1.0));
    float[] longPause = concat(speechLike(RATE, 1.0), silence(RATE, 0.6), speechLike(RATE, 1.0));

    assertThat(VadOutput.segments(vad(inRoom(4, 1.0, shortPause)))).hasSize(1);
    assertThat(VadOutput.segments(vad(inRoom(4, 1.0, longPause)))).hasSize(2);
  }

  @Test
  void framesAre20MillisecondsAtTheConfiguredRate() {
    assertThat(new EnergySpeechDetector().sampleRate()).isEqualTo(16_000);
    assertThat(new EnergySpeechDetector().frameSamples()).isEqualTo(320);
    assertThat(new EnergySpeechDetector(48_000, Duration.ofMillis(10)).frameSamples())
        .isEqualTo(480);
    assertThatThrownBy(() -> new EnergySpeechDetector().speechProbability(new float[319]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("320");
    assertThatThrownBy(() -> new EnergySpeechDetector(16_000, Duration.ofMillis(1)))
        .hasMessageContaining("from 5 ms to 100 ms");
    assertThatThrownBy(() -> new EnergySpeechDetector(0, Duration.ofMillis(20)))
        .hasMessageContaining("positive");
  }

  @Test
  void loudnessCountsOverTheNoiseFloorItHasLearned() {
    EnergySpeechDetector detector = new EnergySpeechDetector();
    float[] room = noise(RATE, 1.0, -50, 5);
    float[] voice = mix(noise(RATE, 0.2, -50, 6), speechLike(RATE, 0.2));

    assertThat(detector.speechProbability(new float[320])).isZero();
    float[] roomProbabilities = probabilities(detector, room);
    // The first frame is measured against the lowest floor; from then on against the room.
    assertThat(max(Arrays.copyOfRange(roomProbabilities, 1, roomProbabilities.length)))
        .isLessThan(0.2f);
    assertThat(detector.floor()).isBetween(-52.0, -49.0);
    assertThat(max(probabilities(detector, voice))).isGreaterThan(0.9f);
  }

  @Test
  void aSteadySoundBecomesTheFloorAfterFiveSeconds() {
    EnergySpeechDetector detector = new EnergySpeechDetector();
    probabilities(detector, noise(RATE, 1.0, -60, 7));
    float[] tone = Pcm.toFloats(Signals.sine(440, RATE, 7 * RATE, 3000));

    float[] p = probabilities(detector, tone);

    assertThat(p[10]).isGreaterThan(0.9f); // 0.2 s in: speech-like
    assertThat(p[p.length - 1]).isLessThan(0.1f); // 7 s in: the background
  }

  @Test
  void humAndRumbleAreNeverSpeech() {
    EnergySpeechDetector detector = new EnergySpeechDetector();
    probabilities(detector, silence(RATE, 0.5));
    float[] hum = Pcm.toFloats(Signals.sine(50, RATE, RATE, 10000));

    assertThat(max(probabilities(detector, hum))).isZero();
  }

  private static float[] probabilities(SpeechDetector detector, float[] signal) {
    int frame = detector.frameSamples();
    float[] out = new float[signal.length / frame];
    for (int i = 0; i < out.length; i++) {
      out[i] = detector.speechProbability(Arrays.copyOfRange(signal, i * frame, (i + 1) * frame));
    }
    return out;
  }

  private static float max(float[] values) {
    float max = 0;
    for (float value : values) {
      max = Math.max(max, value);
    }
    return max;
  }
}
