package dev.genaiprocessors.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {

  private static final double AMPLITUDE = 16384;

  /** The whole signal through one resampler: one process call and the flush. */
  static byte[] resampleWhole(byte[] pcm, int from, int to) {
    Resampler resampler = new Resampler(from, to);
    return join(resampler.process(ByteBuffer.wrap(pcm)), resampler.flush());
  }

  static byte[] join(byte[]... pieces) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] piece : pieces) {
      out.writeBytes(piece);
    }
    return out.toByteArray();
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @CsvSource({
    "16000, 24000",
    "48000, 16000",
    "44100, 16000",
    "24000, 16000",
    "16000, 48000",
    "8000, 16000",
    "22050, 16000",
    "16000, 8000",
    "44100, 48000",
    "16001, 24000",
    "44101, 16000"
  })
  void aOneKilohertzSineKeepsASignalToNoiseRatioAboveSeventyDecibels(int from, int to) {
    byte[] out = resampleWhole(Signals.sine(1000, from, from, AMPLITUDE), from, to);
    int samples = out.length / 2;
    int warmUp = to / 50; // 20 ms at each end, far more than the filter's half length
    // Compared with the ideal sine at the output rate, sample by sample: gain, timing (the output
    // is
    // not delayed), aliasing, images and rounding all count as noise. Observed: 90 to 98 dB.
    assertThat(Signals.snrAgainstIdeal(out, 1000, to, AMPLITUDE, warmUp, samples - warmUp))
        .isGreaterThan(70);
    assertThat(Signals.snrOfBestFit(out, 1000, to, warmUp, samples - warmUp)).isGreaterThan(70);
  }

  @ParameterizedTest(name = "{0} Hz tone, {1} Hz -> {2} Hz")
  @CsvSource({
    "10000, 48000, 16000",
    "8500, 48000, 16000",
    "20000, 44100, 16000",
    "13000, 24000, 16000"
  })
  void aToneAboveTheTargetNyquistFrequencyIsAttenuatedByMoreThanFiftyDecibels(
      double frequency, int from, int to) {
    byte[] in = Signals.sine(frequency, from, from, 32000);
    byte[] out = resampleWhole(in, from, to);
    int warmUp = to / 50;
    double inRms = Signals.rms(in, 0, from);
    double outRms = Signals.rms(out, warmUp, out.length / 2 - warmUp);
    // Observed: the output rounds to silence (attenuation beyond the 16-bit floor).
    assertThat(outRms).isLessThanOrEqualTo(inRms * Math.pow(10, -50 / 20.0));
  }

  @Test
  void thePassBandIsFlatAtSixKilohertzWhenGoingToSixteenKilohertz() {
    byte[] in = Signals.sine(6000, 48000, 48000, 32000);
    byte[] out = resampleWhole(in, 48000, 16000);
    double gainDb =
        20 * Math.log10(Signals.rms(out, 320, 16000 - 320) / Signals.rms(in, 960, 48000 - 960));
    assertThat(gainDb).isBetween(-0.05, 0.05);
  }

  @Test
  void constantInputGivesTheSameConstantAfterTheWarmUp() {
    short[] constant = new short[4800];
    java.util.Arrays.fill(constant, (short) 12345);
    short[] out = Signals.shorts(resampleWhole(Signals.pcm(constant), 48000, 16000));
    for (int n = 200; n < out.length - 200; n++) {
      assertThat(out[n]).as("sample %d", n).isEqualTo((short) 12345);
    }
  }

  @ParameterizedTest(name = "{0} Hz -> {1} Hz")
  @CsvSource({
    "16000, 24000",
    "48000, 16000",
    "44100, 16000",
    "24000, 16000",
    "16001, 24000",
    "44101, 16000",
    "8000, 44100"
  })
  void resamplingInChunksOfAnySizeGivesExactlyTheSamplesOfResamplingTheWhole(int from, int to) {
    byte[] in = Signals.sine(440, from, from / 2, 20000);
    byte[] whole = resampleWhole(in, from, to);
    Random random = new Random(42);
    for (int trial = 0; trial < 5; trial++) {
      Resampler resampler = new Resampler(from, to);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int offset = 0;
      while (offset < in.length) {
        int size = Math.min(in.length - offset, 2 * random.nextInt(trial == 0 ? 3 : 700));
        out.writeBytes(resampler.process(ByteBuffer.wrap(in, offset, size)));
        offset += size;
      }
      out.writeBytes(resampler.flush());
      assertThat(out.toByteArray()).as("trial %d", trial).isEqualTo(whole);
    }
  }

  @ParameterizedTest(name = "{0} samples, {1} Hz -> {2} Hz")
  @CsvSource({
    "0, 16000, 24000",
    "1, 16000, 24000",
    "7, 48000, 16000",
    "480, 48000, 16000",
    "16000, 16000, 24000",
    "44101, 44100, 16000",
    "3, 16000, 48000",
    "12345, 22050, 16000",
    "99, 16001, 24000"
  })
  void outputLengthIsTheInputLengthTimesTheRatioRoundedUp(int samples, int from, int to) {
    byte[] out = resampleWhole(new byte[2 * samples], from, to);
    long expected = ((long) samples * to + from - 1) / from;
    assertThat(out.length / 2).isEqualTo(expected);
    assertThat(Resampler.outputLength(samples, from, to)).isEqualTo(expected);
  }

  @Test
  void outputIsHeldBackOnlyByTheFilterLatency() {
    Resampler resampler = new Resampler(16000, 24000);
    assertThat(resampler.latency()).isBetween(Duration.ofMillis(1), Duration.ofMillis(5));
    byte[] first = resampler.process(ByteBuffer.wrap(new byte[2 * 1600])); // 100 ms
    long heldBackInput = 1600 - (long) Math.floor(first.length / 2.0 * 16000 / 24000);
    long latencySamples = resampler.latency().toNanos() * 16000 / 1_000_000_000L;
    assertThat(heldBackInput).isBetween(latencySamples - 1, latencySamples + 1);
    assertThat(first.length / 2 + resampler.flush().length / 2).isEqualTo(2400);
  }

  @Test
  void flushMakesTheResamplerReadyForANewStream() {
    byte[] in = Signals.sine(1000, 48000, 4800, 10000);
    Resampler resampler = new Resampler(48000, 16000);
    byte[] first = join(resampler.process(ByteBuffer.wrap(in)), resampler.flush());
    byte[] second = join(resampler.process(ByteBuffer.wrap(in)), resampler.flush());
    assertThat(second).isEqualTo(first);
  }

  @Test
  void equalRatesCopyTheSamplesWithNoLatency() {
    byte[] in = Signals.sine(1000, 16000, 100, 10000);
    Resampler resampler = new Resampler(16000, 16000);
    assertThat(resampler.process(ByteBuffer.wrap(in))).isEqualTo(in).isNotSameAs(in);
    assertThat(resampler.flush()).isEmpty();
    assertThat(resampler.latency()).isZero();
  }

  @Test
  void theInputBufferIsNotChanged() {
    ByteBuffer in = ByteBuffer.wrap(new byte[64]);
    in.position(8);
    new Resampler(16000, 24000).process(in);
    assertThat(in.position()).isEqualTo(8);
    assertThat(in.limit()).isEqualTo(64);
  }

  @Test
  void loudInputIsClampedNotWrapped() {
    short[] square = new short[3200];
    for (int n = 0; n < square.length; n++) {
      square[n] = (n / 40) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
    }
    short[] out = Signals.shorts(resampleWhole(Signals.pcm(square), 16000, 24000));
    // Gibbs overshoot would exceed 16 bits; the samples must stay on the right side of zero.
    for (int n = 100; n < out.length - 100; n++) {
      int inputIndex = (int) ((long) n * 16000 / 24000);
      if (inputIndex % 40 > 3 && inputIndex % 40 < 37) {
        assertThat(Integer.signum(out[n]))
            .as("sample %d", n)
            .isEqualTo(Integer.signum(square[inputIndex]));
      }
    }
  }

  @Test
  void oddByteCountsAndBadRatesAreRejected() {
    Resampler resampler = new Resampler(16000, 24000);
    assertThatThrownBy(() -> resampler.process(ByteBuffer.wrap(new byte[3])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("even number of bytes");
    assertThatThrownBy(() -> new Resampler(0, 16000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 Hz in");
    assertThatThrownBy(() -> new Resampler(Integer.MAX_VALUE, 1))
        .isInstanceOf(UnsupportedAudioException.class)
        .hasMessageContaining("between 1000 Hz and 384000 Hz");
  }
}
