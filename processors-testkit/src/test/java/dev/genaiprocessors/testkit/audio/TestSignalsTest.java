package dev.genaiprocessors.testkit.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.genaiprocessors.core.Part;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestSignalsTest {

  static short sampleAt(byte[] pcm, int n) {
    return (short) ((pcm[2 * n] & 0xff) | (pcm[2 * n + 1] << 8));
  }

  /** Zero crossings from below, a frequency estimate that needs no FFT. */
  static int upwardCrossings(byte[] pcm, int from, int to) {
    int count = 0;
    for (int n = from + 1; n < to; n++) {
      if (sampleAt(pcm, n - 1) < 0 && sampleAt(pcm, n) >= 0) {
        count++;
      }
    }
    return count;
  }

  @Test
  void aToneHasItsLengthPeakLevelAndFrequency() {
    byte[] tone = TestSignals.tone(16000, 0.5, 440, 0.5);

    assertThat(tone).hasSize(2 * 8000);
    assertThat(sampleAt(tone, 0)).isZero();
    assertThat(AudioMeasures.rms(tone)).isCloseTo(0.5 / Math.sqrt(2), within(1e-3));
    assertThat(upwardCrossings(tone, 0, 8000)).isBetween(219, 221); // 440 Hz for 0.5 s
    assertThat(AudioMeasures.dbfs(tone)).isCloseTo(-9.03, within(0.05));
  }

  @Test
  void silenceIsZerosAndNoiseHasItsLevelAndRepeatsWithItsSeed() {
    assertThat(TestSignals.silence(8000, 0.25)).hasSize(4000).containsOnly(0);
    assertThat(AudioMeasures.dbfs(TestSignals.silence(8000, 0.1))).isNegative().isInfinite();

    byte[] noise = TestSignals.noise(16000, 1, -30, 42);
    assertThat(AudioMeasures.dbfs(noise)).isCloseTo(-30, within(0.2));
    assertThat(TestSignals.noise(16000, 1, -30, 42)).isEqualTo(noise);
    assertThat(TestSignals.noise(16000, 1, -30, 43)).isNotEqualTo(noise);
  }

  @Test
  void aChirpGlidesFromItsFirstToItsLastFrequency() {
    byte[] chirp = TestSignals.chirp(16000, 2, 100, 1000, 0.8);

    // the first 0.1 s is near 100 Hz (about 10 cycles), the last near 1000 Hz (about 100)
    assertThat(upwardCrossings(chirp, 0, 1600)).isBetween(9, 13);
    assertThat(upwardCrossings(chirp, 30400, 32000)).isBetween(96, 101);
  }

  @Test
  void speechLikeSoundIsLoudInSyllablesAndFadesAtBothEnds() {
    byte[] speech = TestSignals.speechLike(16000, 1);

    assertThat(speech).hasSize(32000);
    assertThat(sampleAt(speech, 0)).isZero();
    assertThat(sampleAt(speech, 15999)).isZero();
    int peak = 0;
    for (int n = 0; n < 16000; n++) {
      peak = Math.max(peak, Math.abs(sampleAt(speech, n)));
    }
    assertThat(peak / 32767.0).isCloseTo(0.3, within(0.01));
    // a syllable peak (t = 125 ms) is much louder than the dip between syllables (t = 250 ms)
    byte[] loud = java.util.Arrays.copyOfRange(speech, 2 * 1800, 2 * 2200);
    byte[] dip = java.util.Arrays.copyOfRange(speech, 2 * 3900, 2 * 4100);
    assertThat(AudioMeasures.dbfs(loud) - AudioMeasures.dbfs(dip)).isGreaterThan(12);
  }

  @Test
  void concatAndPartsKeepTheRateExplicit() {
    byte[] both =
        TestSignals.concat(TestSignals.silence(16000, 0.1), TestSignals.tone(16000, 0.1, 200, 1));
    Part part = TestSignals.part(both, 16000);

    assertThat(part.mimeType()).isEqualTo("audio/pcm;rate=16000");
    assertThat(AudioMeasures.seconds(List.of(part, part), 16000)).isCloseTo(0.4, within(1e-9));
    assertThat(AudioMeasures.rms(List.of(part)))
        .isCloseTo(AudioMeasures.rms(both), within(1e-12))
        .isCloseTo(Math.sqrt(0.25), within(1e-3)); // half silence, half a full-scale sine
  }

  @Test
  void badArgumentsSayWhatWasWrong() {
    assertThatThrownBy(() -> TestSignals.tone(500, 1, 100, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rate must be in [1000, 192000] Hz, was 500");
    assertThatThrownBy(() -> TestSignals.silence(16000, -1))
        .hasMessage("seconds must be finite and in [0, 3600.0], was -1.0");
    assertThatThrownBy(() -> TestSignals.silence(16000, Double.NaN)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> TestSignals.tone(16000, 1, 8000, 0.5))
        .hasMessage("frequency must be in (0, 8000.0) Hz at rate 16000, was 8000.0");
    assertThatThrownBy(() -> TestSignals.chirp(16000, 1, 100, 9000, 0.5))
        .hasMessageStartingWith("toHz must be in (0, 8000.0)");
    assertThatThrownBy(() -> TestSignals.tone(16000, 1, 440, 1.5))
        .hasMessage("amplitude must be in [0, 1] (a fraction of full scale), was 1.5");
    assertThatThrownBy(() -> TestSignals.noise(16000, 1, 3, 1)).hasMessageContaining("dbfs");
    assertThatThrownBy(() -> TestSignals.concat(new byte[2], new byte[3]))
        .hasMessageContaining("signal 1 has an odd byte count (3)");
    assertThatThrownBy(() -> AudioMeasures.seconds(List.of(), 0)).hasMessageContaining("rate");
  }
}
