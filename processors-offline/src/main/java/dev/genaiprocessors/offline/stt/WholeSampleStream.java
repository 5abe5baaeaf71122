package dev.genaiprocessors.offline.stt;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The caller's 16-bit PCM as {@link SphinxRecognizer} hands it to Sphinx4: whole samples only, and an
 * end that is always a clean end of stream, so Sphinx4 always finishes the utterance it started.
 *
 * <p><b>Why.</b> Sphinx4 1.0.0 keeps per-utterance state in its front end (the feature extractor counts
 * utterance starts and ends): a read that throws leaves an utterance open, and the next one fails with
 * "Too many UTTERANCE_START". And it pads a short last frame by two or three bytes, copying past its
 * buffer when the stream ends one byte short of a whole 10 ms frame.
 *
 * <p><b>What it does.</b> A byte that is the first half of a sample is held back until its second half
 * is read. When the caller's stream ends on such a byte, or its read throws, this stream ends instead
 * (the held byte is dropped) and keeps the error for {@link #rethrowFailure()}: an {@link
 * IllegalArgumentException} for half a sample, the stream's own exception otherwise.
 *
 * <p>Not thread-safe: one reader, as any stream. Reads block as the caller's stream does.
 */
final class WholeSampleStream extends InputStream {

  private final InputStream source;

  /** Read from the source and not yet delivered: [start, end). Bounded: filled one source read at a time. */
  private final byte[] buffer = new byte[4096];

  private int start;
  private int end;
  private long total;
  private boolean ended;
  private @Nullable Exception failure;

  WholeSampleStream(InputStream pcm16le) {
    this.source = Objects.requireNonNull(pcm16le, "pcm16le");
  }

  /**
   * Throws what ended the stream early, if anything did.
   *
   * @throws IOException when the caller's stream failed to read
   * @throws IllegalArgumentException when the audio ended in half a sample
   * @throws RuntimeException when the caller's stream threw one
   */
  void rethrowFailure() throws IOException {
    Exception e = failure;
    if (e instanceof IOException io) {
      throw io;
    }
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    while (deliverable() == 0) {
      if (ended) {
        return -1;
      }
      fill();
    }
    int n = Math.min(len, deliverable());
    System.arraycopy(buffer, start, b, off, n);
    start += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    source.close();
  }

  /** Bytes that may be delivered: all held but the first half of a sample whose second half is unread. */
  private int deliverable() {
    return end - start - (!ended && total % 2 != 0 ? 1 : 0);
  }

  private void fill() {
    System.arraycopy(buffer, start, buffer, 0, end - start);
    end -= start;
    start = 0;
    int n;
    try {
      n = source.read(buffer, end, buffer.length - end);
    } catch (IOException | RuntimeException e) {
      failure = e;
      end = start;
      ended = true;
      return;
    }
    if (n > 0) {
      total += n;
      end += n;
    } else if (n < 0) {
      ended = true;
      if (total % 2 != 0) {
        end--;
        failure =
            new IllegalArgumentException(
                "the audio ends in half a sample: "
                    + total
                    + " bytes is an odd number for 16-bit PCM, two bytes a sample; send whole samples");
      }
    }
  }
}
