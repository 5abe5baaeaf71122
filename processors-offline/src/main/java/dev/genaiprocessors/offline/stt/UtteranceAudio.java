package dev.genaiprocessors.offline.stt;

import java.io.InputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The audio of one utterance on its way to a recognizer: the pipeline adds PCM chunks without ever
 * blocking, and the recognizer reads them as an {@link InputStream} that blocks until more audio comes
 * or the utterance ends.
 *
 * <p>The chunks held by all utterances of one transcription share a byte budget; a chunk that does not
 * fit is dropped (not given to the recognizer) and the utterance is marked truncated. {@link #cancel()}
 * drops what is held and makes the stream end at once; so does interrupting the reading thread.
 */
final class UtteranceAudio extends InputStream {

  private static final byte[] END = new byte[0];

  private final ConcurrentLinkedQueue<byte[]> chunks = new ConcurrentLinkedQueue<>();

  /** One permit per chunk in {@link #chunks}, the end marker included. */
  private final Semaphore available = new Semaphore(0);

  private final AtomicLong budget;
  private final long maxBudget;
  private volatile boolean truncated;
  private volatile boolean cancelled;
  private boolean finished;
  private volatile byte @Nullable [] padding;

  // Reader state, used by the recognizer's thread only.
  private byte @Nullable [] current;
  private int position;
  private boolean ended;

  /**
   * @param budget bytes held by all utterances of the transcription, shared
   * @param maxBudget the most bytes they may hold together
   */
  UtteranceAudio(AtomicLong budget, long maxBudget) {
    this.budget = budget;
    this.maxBudget = maxBudget;
  }

  /**
   * Adds audio, without blocking. Audio that does not fit in the budget, or comes after {@link #finish}
   * or {@link #cancel()}, is dropped; the first drop for lack of budget marks the utterance truncated.
   *
   * @return false when the chunk was dropped for lack of budget
   */
  boolean offer(byte[] pcm) {
    if (finished || cancelled || pcm.length == 0) {
      return true;
    }
    long after = budget.addAndGet(pcm.length);
    if (after > maxBudget) {
      budget.addAndGet(-pcm.length);
      truncated = true;
      return false;
    }
    chunks.add(pcm);
    available.release();
    if (cancelled) {
      drain();
    }
    return true;
  }

  /** Ends the utterance: the reader gets {@code padding} (outside the budget), then the end of the stream. */
  void finish(byte[] padding) {
    if (finished) {
      return;
    }
    finished = true;
    if (padding.length > 0) {
      this.padding = padding;
      chunks.add(padding);
      available.release();
    }
    chunks.add(END);
    available.release();
  }

  /** Drops what is held and ends the stream for the reader at once; from any thread. */
  void cancel() {
    cancelled = true;
    drain();
    available.release();
  }

  boolean truncated() {
    return truncated;
  }

  boolean cancelled() {
    return cancelled;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    byte[] chunk = current;
    while (chunk == null || position == chunk.length) {
      if (ended || cancelled) {
        ended = true;
        return -1;
      }
      chunk = take();
      if (chunk == null) {
        continue;
      }
      if (chunk == END) {
        ended = true;
        return -1;
      }
      current = chunk;
      position = 0;
    }
    int n = Math.min(len, chunk.length - position);
    System.arraycopy(chunk, position, b, off, n);
    position += n;
    if (position == chunk.length) {
      current = null;
    }
    return n;
  }

  @Override
  public int available() {
    byte[] chunk = current;
    return chunk == null ? 0 : chunk.length - position;
  }

  /**
   * The next chunk, waiting for one; null when woken by {@link #cancel()}. An interrupted wait (a
   * cancelled task) ends the stream rather than failing the read, so that the recognizer finishes the
   * utterance normally and stays usable; the thread's interrupt flag is kept.
   */
  private byte @Nullable [] take() {
    try {
      available.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return END;
    }
    byte[] chunk = chunks.poll();
    release(chunk);
    return chunk;
  }

  private void drain() {
    byte[] chunk;
    while ((chunk = chunks.poll()) != null) {
      release(chunk);
    }
  }

  /** Gives a chunk's bytes back to the budget, unless it is the end marker or the padding (never counted). */
  private void release(byte @Nullable [] chunk) {
    if (chunk != null && chunk != END && chunk != padding) {
      budget.addAndGet(-chunk.length);
    }
  }
}
