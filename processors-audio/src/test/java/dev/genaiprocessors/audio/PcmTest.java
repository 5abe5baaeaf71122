package dev.genaiprocessors.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PcmTest {

  @Test
  void durationIsExactToTheNanosecond() {
    assertThat(Pcm.duration(32000, 16000)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Pcm.duration(2, 16000)).isEqualTo(Duration.ofNanos(62_500));
    assertThat(Pcm.duration(2, 24000)).isEqualTo(Duration.ofNanos(41_667)); // 41666.67 rounded up
    assertThat(Pcm.duration(2 * 22050 * 3600L, 22050)).isEqualTo(Duration.ofHours(1));
    assertThat(Pcm.duration(0, 8000)).isZero();
  }

  @ParameterizedTest
  @CsvSource({"2, 22050", "882, 44100", "123456, 48000", "1000000002, 11025", "30, 24000"})
  void bytesOfTheDurationOfBytesGivesTheBytesBack(long bytes, int rate) {
    assertThat(Pcm.bytes(Pcm.duration(bytes, rate), rate)).isEqualTo(bytes);
  }

  @Test
  void bytesForADurationAreRoundedDownToWholeSamples() {
    assertThat(Pcm.bytes(Duration.ofMillis(1), 16000)).isEqualTo(32);
    assertThat(Pcm.bytes(Duration.ofMillis(1), 22050)).isEqualTo(44); // 22.05 samples -> 22
    assertThat(Pcm.bytes(Duration.ofNanos(62_499), 16000)).isZero();
    assertThat(Pcm.bytes(Duration.ofMinutes(10), 48000)).isEqualTo(57_600_000);
    for (int ms = 0; ms < 50; ms++) {
      assertThat(Pcm.bytes(Duration.ofMillis(ms).plusNanos(777), 11025) % 2).isZero();
    }
  }

  @Test
  void sampleCountIsHalfTheBytesAndOddCountsAreRejected() {
    assertThat(Pcm.samples(320)).isEqualTo(160);
    assertThatThrownBy(() -> Pcm.samples(321))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("even number of bytes, got 321");
    assertThatThrownBy(() -> Pcm.duration(3, 16000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pcm.samples(-2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pcm.duration(2, 0))
        .hasMessageContaining("sample rate must be positive");
    assertThatThrownBy(() -> Pcm.bytes(Duration.ofMillis(-1), 16000))
        .hasMessageContaining("negative");
  }

  @Test
  void splitCutsOnSampleBoundariesIntoChunksOfAtMostTheDuration() {
    byte[] pcm = Signals.sine(300, 22050, 22050, 8000); // 1 s
    Part audio =
        Part.audio(pcm, 22050).withRole("user").withSubstream("mic").withMetadata("take", 3);
    List<Part> pieces = Pcm.split(audio, Duration.ofMillis(7)); // 154.35 samples -> 154

    assertThat(pieces).hasSize((22050 + 153) / 154);
    for (int i = 0; i < pieces.size(); i++) {
      Part piece = pieces.get(i);
      assertThat(piece.byteSize() % 2).isZero();
      assertThat(piece.byteSize()).isEqualTo(i < pieces.size() - 1 ? 308 : 22050 % 154 * 2);
      assertThat(Pcm.duration(piece.byteSize(), 22050)).isLessThanOrEqualTo(Duration.ofMillis(7));
      assertThat(piece.mimeType()).isEqualTo("audio/pcm;rate=22050");
      assertThat(piece.role()).isEqualTo("user");
      assertThat(piece.substream()).isEqualTo("mic");
      assertThat(piece.metadata()).containsEntry("take", 3L);
    }
    assertThat(Pcm.concat(pieces).bytes()).isEqualTo(pcm);
  }

  @Test
  void splitKeepsTheOriginalMimeTypeSpelling() {
    Part audio = Part.bytes(new byte[4800], "audio/l16; rate= 24000");
    List<Part> pieces = Pcm.split(audio, Duration.ofMillis(20));
    assertThat(pieces)
        .hasSize(5)
        .allSatisfy(
            p -> {
              assertThat(p.mimeType()).isEqualTo("audio/l16; rate= 24000");
              assertThat(p.byteSize()).isEqualTo(960);
            });
  }

  @Test
  void splitReturnsAShortPartItselfAndRejectsWhatItCannotCut() {
    Part audio = Part.audio(new byte[320], 16000);
    assertThat(Pcm.split(audio, Duration.ofMillis(10))).singleElement().isSameAs(audio);
    assertThatThrownBy(() -> Pcm.split(audio, Duration.ofNanos(10_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shorter than one sample at 16000 Hz");
    assertThatThrownBy(() -> Pcm.split(Part.text("hi"), Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected streaming audio");
    assertThatThrownBy(() -> Pcm.split(Part.bytes(new byte[4], "audio/pcm"), Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no rate parameter");
    assertThatThrownBy(
            () -> Pcm.split(Part.bytes(new byte[3], "audio/l16;rate=8000"), Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("even number of bytes");
    assertThatThrownBy(
            () -> Pcm.split(Part.bytes(new byte[44], "audio/wav"), Duration.ofMillis(10)))
        .hasMessageContaining("Wav.toPcmPart");
  }

  @Test
  void concatJoinsPartsOfOneRateAndNamesBothRatesOtherwise() {
    Part a = Part.audio(Signals.pcm((short) 1, (short) 2), 16000).withRole("model");
    Part b = Part.bytes(Signals.pcm((short) 3), "audio/l16;rate=16000");
    Part joined = Pcm.concat(List.of(a, b));
    assertThat(Signals.shorts(joined.bytes())).containsExactly(1, 2, 3);
    assertThat(joined.mimeType()).isEqualTo("audio/pcm;rate=16000");
    assertThat(joined.role()).isEqualTo("model");

    Part c = Part.audio(new byte[2], 24000);
    assertThatThrownBy(() -> Pcm.concat(List.of(a, c)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16000 Hz")
        .hasMessageContaining("24000 Hz");
    assertThatThrownBy(() -> Pcm.concat(List.of())).hasMessageContaining("no parts");
  }

  @Test
  void silenceIsZeroSamplesOfTheDuration() {
    Part silence = Pcm.silence(Duration.ofMillis(25), 16000);
    assertThat(silence.mimeType()).isEqualTo("audio/pcm;rate=16000");
    assertThat(silence.byteSize()).isEqualTo(800);
    assertThat(silence.bytes()).containsOnly(0);
  }

  @Test
  void floatsAreInMinusOneToOneAndComeBackExactly() {
    byte[] pcm =
        Signals.pcm(Short.MIN_VALUE, (short) -1, (short) 0, (short) 16384, Short.MAX_VALUE);
    float[] floats = Pcm.toFloats(pcm);
    assertThat(floats).containsExactly(-1f, -1f / 32768, 0f, 0.5f, 32767f / 32768);
    assertThat(Pcm.fromFloats(floats)).isEqualTo(pcm);

    short[] all = new short[65536];
    for (int i = 0; i < all.length; i++) {
      all[i] = (short) (i - 32768);
    }
    byte[] every = Signals.pcm(all);
    assertThat(Pcm.fromFloats(Pcm.toFloats(every))).isEqualTo(every);
  }

  @Test
  void floatsAreRoundedToTheNearestSampleAndClamped() {
    float[] floats = {1.0f, 1.5f, -1.0f, -2f, 0.4f / 32768, 0.6f / 32768, -0.6f / 32768, Float.NaN};
    assertThat(Signals.shorts(Pcm.fromFloats(floats)))
        .containsExactly(32767, 32767, -32768, -32768, 0, 1, -1, 0);
  }

  @Test
  void toFloatsReadsLittleEndianFromTheBufferPositionWithoutMovingIt() {
    ByteBuffer buffer = ByteBuffer.wrap(Signals.pcm((short) 7, (short) 16384));
    buffer.position(2);
    assertThat(Pcm.toFloats(buffer)).containsExactly(0.5f);
    assertThat(buffer.position()).isEqualTo(2);
    assertThatThrownBy(() -> Pcm.toFloats(new byte[5]))
        .hasMessageContaining("even number of bytes");
  }
}
