package dev.genaiprocessors.offline.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** What Sphinx4 reads: whole samples, byte for byte, and always a clean end; failures kept for later. */
class WholeSampleStreamTest {

  @Test
  void wholeSamplesPassByteForByteWhateverTheChunkSizes() throws IOException {
    byte[] pcm = new byte[10_000];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (byte) (i * 31);
    }
    WholeSampleStream stream = new WholeSampleStream(new OddChunks(pcm, null));

    assertThat(readAll(stream, 7)).isEqualTo(pcm);
    stream.rethrowFailure();
  }

  @Test
  void aTrailingHalfSampleIsNeverReadAndIsATypedErrorAfterwards() throws IOException {
    WholeSampleStream stream =
        new WholeSampleStream(new OddChunks(new byte[] {1, 2, 3, 4, 5}, null));

    assertThat(readAll(stream, 320)).containsExactly(1, 2, 3, 4);
    assertThatThrownBy(stream::rethrowFailure)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the audio ends in half a sample: 5 bytes is an odd number for 16-bit PCM, two bytes a sample; "
                + "send whole samples");
  }

  @Test
  void aFailingReadEndsTheStreamCleanlyAndItsExceptionComesBackAfterwards() throws IOException {
    IOException failure = new IOException("gone");
    WholeSampleStream stream = new WholeSampleStream(new OddChunks(new byte[] {1, 2, 3}, failure));

    assertThat(readAll(stream, 1)).containsExactly(1, 2);
    assertThat(stream.read()).isEqualTo(-1);
    assertThatThrownBy(stream::rethrowFailure).isSameAs(failure);
  }

  private static byte[] readAll(InputStream in, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[chunk];
    int n;
    while ((n = in.read(buffer, 0, chunk)) >= 0) {
      assertThat(n).as("a blocking read gives at least one byte").isPositive();
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /** A stream giving its bytes in chunks of 1, 2, 3... bytes, then failing or ending. */
  private static final class OddChunks extends InputStream {
    private final byte[] bytes;
    private final IOException failure;
    private int position;
    private int next = 1;

    OddChunks(byte[] bytes, IOException failure) {
      this.bytes = bytes;
      this.failure = failure;
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (position == bytes.length) {
        if (failure != null) {
          throw failure;
        }
        return -1;
      }
      int n = Math.min(Math.min(len, next++), bytes.length - position);
      System.arraycopy(bytes, position, b, off, n);
      position += n;
      return n;
    }
  }
}
