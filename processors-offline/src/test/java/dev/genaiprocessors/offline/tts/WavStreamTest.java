package dev.genaiprocessors.offline.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WavStreamTest {

  /** A WAV header with the given format fields and sizes, an optional LIST chunk, then the data. */
  private static byte[] wav(
      int format, int channels, int rate, int bits, int dataSize, boolean list, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(64 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(-1).put("WAVE".getBytes());
    b.put("fmt ".getBytes())
        .putInt(16)
        .putShort((short) format)
        .putShort((short) channels)
        .putInt(rate)
        .putInt(rate * channels * bits / 8)
        .putShort((short) (channels * bits / 8))
        .putShort((short) bits);
    if (list) {
      b.put("LIST".getBytes()).putInt(3).put(new byte[] {1, 2, 3, 0}); // odd size: padded
    }
    b.put("data".getBytes()).putInt(dataSize).put(data);
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  private static List<byte[]> read(byte[] wav, int[] rate) throws IOException {
    List<byte[]> pieces = new ArrayList<>();
    WavStream.read(
        new ByteArrayInputStream(wav),
        "test",
        (pcm, r) -> {
          pieces.add(pcm);
          rate[0] = r;
          return true;
        });
    return pieces;
  }

  @Test
  void readsToTheEndWhateverTheHeaderSaysTheSizeIs() throws IOException {
    byte[] data = new byte[20001]; // an odd byte at the end is not half a sample to hand on
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    int[] rate = new int[1];

    List<byte[]> pieces = read(wav(1, 1, 22050, 16, 0x7ffff000, true, data), rate);

    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    pieces.forEach(joined::writeBytes);
    assertThat(rate[0]).isEqualTo(22050);
    assertThat(joined.toByteArray()).hasSize(20000).startsWith(data[0], data[1], data[2]);
    assertThat(pieces).allMatch(p -> p.length % 2 == 0);
  }

  @Test
  void refusesWhatIsNotSixteenBitMonoPcmSayingWhatItIs() {
    assertThatThrownBy(() -> read(wav(1, 2, 16000, 16, 4, false, new byte[4]), new int[1]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("2 channel(s)")
        .hasMessageContaining("expected 16-bit PCM");
    assertThatThrownBy(() -> read("not a wav file at all".getBytes(), new int[1]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("did not write a WAV file");
    assertThatThrownBy(() -> read(new byte[0], new int[1]))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("it wrote nothing");
  }

  @Test
  void aFormatChunkShorterThanSixteenBytesIsAnIoErrorNotAnIndexError() {
    ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(-1).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(8).putShort((short) 1).putShort((short) 1).putInt(16000);
    b.put("data".getBytes()).putInt(4).put(new byte[4]);
    byte[] wav = Arrays.copyOf(b.array(), b.position());

    assertThatThrownBy(() -> read(wav, new int[1]))
        .isExactlyInstanceOf(IOException.class)
        .hasMessageContaining("'fmt ' chunk of 8 bytes")
        .hasMessageContaining("at least 16");
  }

  @Test
  void aRateAboveTheResamplersMaximumIsRefused() {
    assertThatThrownBy(
            () -> read(wav(1, 1, Integer.MAX_VALUE, 16, 4, false, new byte[4]), new int[1]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("2147483647 Hz")
        .hasMessageContaining("384000 Hz");
  }
}
