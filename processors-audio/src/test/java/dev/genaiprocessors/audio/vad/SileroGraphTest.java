package dev.genaiprocessors.audio.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.audio.Pcm;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The Silero graph specialised to 16 kHz: the same probabilities, and clear errors on other bytes. */
class SileroGraphTest {

  @Test
  void theSpecialisedGraphGivesTheShippedGraphsProbabilitiesOnRealSpeech() {
    float[] speech = Pcm.toFloats(JfkSpeech.pcm());
    byte[] shipped = SileroModel.modelBytes();
    float[] asShipped = probabilities(SileroModel.load(shipped, true), speech);
    float[] specialised =
        probabilities(SileroModel.load(SileroGraph.specialise(shipped), false), speech);

    assertThat(specialised).hasSize(asShipped.length).hasSizeGreaterThan(300);
    float worst = 0;
    for (int i = 0; i < asShipped.length; i++) {
      worst = Math.max(worst, Math.abs(asShipped[i] - specialised[i]));
      // The same decision at every threshold Vad users are likely to pick.
      for (float threshold : new float[] {0.3f, 0.5f, 0.7f}) {
        assertThat(specialised[i] >= threshold)
            .as("frame %d at %s", i, threshold)
            .isEqualTo(asShipped[i] >= threshold);
      }
    }
    assertThat(worst).as("largest difference in probability").isLessThanOrEqualTo(1e-5f);
    // Not a trivial comparison: the recording has clear speech and clear pauses.
    assertThat(count(asShipped, p -> p > 0.9f)).isGreaterThan(100);
    assertThat(count(asShipped, p -> p < 0.1f)).isGreaterThan(20);
  }

  @Test
  void theSpecialisedGraphTakesNoSampleRate() {
    byte[] shipped = SileroModel.modelBytes();
    byte[] specialised = SileroGraph.specialise(shipped);

    // load(..., false) checks that the session has no "sr" input; load(..., true) that it has one.
    SileroModel.load(specialised, false).close();
    assertThatThrownBy(() -> SileroModel.load(specialised, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not take the sample rate");
    assertThatThrownBy(() -> SileroGraph.specialise(specialised))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected the inputs 'input' and 'sr'");
  }

  @Test
  void bytesThatAreNotTheSileroModelAreRefusedWithAClearError() {
    assertThatThrownBy(() -> SileroGraph.specialise("not a model".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a Silero VAD model");
    // A well-formed message with no graph: field 1 (ir_version) = 8.
    assertThatThrownBy(() -> SileroGraph.specialise(new byte[] {0x08, 0x08}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected one graph in the ONNX model, found 0");
    // A length that runs past the end.
    assertThatThrownBy(() -> SileroGraph.specialise(new byte[] {0x3A, 0x7F, 0x00}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("do not parse at offset 0");
    byte[] truncated = Arrays.copyOf(SileroModel.modelBytes(), 1_000);
    assertThatThrownBy(() -> SileroGraph.specialise(truncated))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a Silero VAD model");
  }

  /** Every whole frame of the signal through a stream of its own model, which is then closed. */
  private static float[] probabilities(SileroModel model, float[] signal) {
    int frame = SileroModel.FRAME_SAMPLES;
    float[] out = new float[signal.length / frame];
    SileroModel.Stream stream = model.newStream();
    try {
      for (int i = 0; i < out.length; i++) {
        out[i] = stream.run(Arrays.copyOfRange(signal, i * frame, (i + 1) * frame));
      }
    } finally {
      stream.close();
      model.close();
    }
    return out;
  }

  private static int count(float[] values, FloatPredicate test) {
    int n = 0;
    for (float value : values) {
      if (test.test(value)) {
        n++;
      }
    }
    return n;
  }

  private interface FloatPredicate {
    boolean test(float value);
  }
}
