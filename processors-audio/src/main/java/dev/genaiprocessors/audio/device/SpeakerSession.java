package dev.genaiprocessors.audio.device;

import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import javax.sound.sampled.AudioFormat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;

/**
 * One subscription to a {@link Speaker}: the open line and its format, and a count of interruptions.
 *
 * <p>Parts are tagged with the interruption count when they arrive ({@link #arrived}, on the input's
 * thread); an interruption bumps the count and flushes the line from a blocking-capable thread. The
 * playback thread ({@link #play}) skips audio tagged with an older count, and checks it again between
 * pieces of a part. The line is swapped and closed under {@link #lineLock}, never held while writing, so
 * a flush or a close from another thread cuts a blocked write short; the input's thread only reads the
 * current line, without the lock.
 */
final class SpeakerSession {

  private static final Logger log = LoggerFactory.getLogger(Speaker.class);

  /** Audio is written in pieces of this many milliseconds, so an interruption is checked that often. */
  private static final int PIECE_MILLIS = 20;

  /** A part and the interruption count when it arrived. */
  record Queued(Part part, long interruptions) {}

  private record LineFormat(int sampleRate, int channels) {
    AudioFormat toAudioFormat() {
      return new AudioFormat(sampleRate, 16, channels, true, false);
    }
  }

  private final Speaker config;
  private final AtomicLong interruptions = new AtomicLong();
  private final Object lineLock = new Object();
  private volatile @Nullable PlaybackLine line; // written under lineLock, read without it
  private @Nullable LineFormat lineFormat; // guarded by lineLock
  private volatile boolean closed; // written under lineLock
  private boolean threadChecked; // playback thread only

  SpeakerSession(Speaker config) {
    this.config = config;
  }

  /** Tags a part as it enters the speaker; an interruption flushes the line at once. Non-blocking. */
  Queued arrived(Part part) {
    if (part.isInterrupted()) {
      long count = interruptions.incrementAndGet();
      if (currentLine() != null) {
        Schedulers.boundedElastic().schedule(this::flushNow);
      }
      return new Queued(part, count);
    }
    return new Queued(part, interruptions.get());
  }

  /** Plays a part, on the playback thread; non-audio parts are not played. */
  void play(Queued queued) throws IOException {
    requireBlockingThread();
    Part part = queued.part();
    if (part.isInterrupted()) {
      flushNow(); // drops anything a write slipped in after the early flush
      return;
    }
    if (!part.isAudio()) {
      return;
    }
    if (queued.interruptions() != interruptions.get()) {
      log.debug("skipping {} bytes of audio queued before an interruption", part.byteSize());
      return;
    }
    Part pcm = MimeTypes.isWav(part.mimeType()) ? Wav.toPcmPart(part) : part;
    LineFormat format = formatOf(pcm);
    PlaybackLine target = lineFor(format);
    if (target == null) {
      return; // closed: the subscription is ending
    }
    int frameBytes = 2 * format.channels();
    int pieceBytes = Math.max(1, format.sampleRate() * PIECE_MILLIS / 1000) * frameBytes;
    ByteBuffer samples = pcm.byteBuffer();
    int size = pcm.byteSize();
    byte[] piece = new byte[Math.min(pieceBytes, size)];
    for (int offset = 0; offset < size; offset += pieceBytes) {
      if (queued.interruptions() != interruptions.get() || closed) {
        return;
      }
      int length = Math.min(pieceBytes, size - offset);
      samples.get(offset, piece, 0, length);
      target.write(piece, 0, length);
    }
  }

  /** At the end of the input, on the playback thread: waits until the audio has played, then closes. */
  void finish() {
    PlaybackLine current = currentLine();
    if (current != null && !closed) {
      current.drain();
    }
    closeNow();
  }

  /** Closes the line from a blocking-capable thread, dropping what is unplayed; idempotent. */
  void closeAsync() {
    if (!closed) {
      Schedulers.boundedElastic().schedule(this::closeNow);
    }
  }

  private void closeNow() {
    PlaybackLine current;
    synchronized (lineLock) {
      if (closed) {
        return;
      }
      closed = true;
      current = line;
      line = null;
    }
    if (current != null) {
      current.close();
    }
  }

  private void flushNow() {
    PlaybackLine current = currentLine();
    if (current != null) {
      current.flush();
    }
  }

  /** The open line, read without the lock: the input's thread must never wait for an opening line. */
  private @Nullable PlaybackLine currentLine() {
    return line;
  }

  /** The open line for this format: the current one, or a new one after the old has played out. */
  private @Nullable PlaybackLine lineFor(LineFormat format) throws IOException {
    PlaybackLine old;
    synchronized (lineLock) {
      if (closed) {
        return null;
      }
      if (format.equals(lineFormat)) {
        return line;
      }
      old = line;
    }
    if (old != null) {
      old.drain(); // outside the lock: a close from another thread may cut it short
    }
    PlaybackLine opened;
    synchronized (lineLock) {
      if (closed) {
        return null;
      }
      log.debug("opening a playback line for {}", format.toAudioFormat());
      opened = config.opener.open(format.toAudioFormat());
      line = opened;
      lineFormat = format;
    }
    if (old != null) {
      old.close();
    }
    return opened;
  }

  private static LineFormat formatOf(Part audio) {
    String mime = audio.mimeType();
    if (!MimeTypes.isStreamingAudio(mime)) {
      throw new IllegalArgumentException(
          "Speaker plays raw 16-bit PCM (audio/pcm or audio/l16 with rate=...) or "
              + "audio/wav; got "
              + mime
              + ". Decode it to PCM first.");
    }
    int rate =
        MimeTypes.sampleRate(mime)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "audio part '"
                            + mime
                            + "' has no rate=...; Speaker needs the sample rate to play it"));
    int channels = MimeTypes.parameter(mime, "channels").map(SpeakerSession::channels).orElse(1);
    int frameBytes = 2 * channels;
    if (audio.byteSize() % frameBytes != 0) {
      throw new IllegalArgumentException(
          "audio part of "
              + audio.byteSize()
              + " bytes holds a partial frame of "
              + frameBytes
              + " bytes ("
              + mime
              + ")");
    }
    return new LineFormat(rate, channels);
  }

  private static int channels(String value) {
    try {
      int channels = Integer.parseInt(value.trim());
      if (channels >= 1) {
        return channels;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "channels must be a positive whole number, was '" + value + "'");
  }

  private void requireBlockingThread() {
    if (threadChecked) {
      return;
    }
    if (Schedulers.isInNonBlockingThread()) {
      throw new IllegalStateException(
          "Speaker writes block, but its playback scheduler runs on a non-blocking "
              + "thread ("
              + Thread.currentThread().getName()
              + "); use Schedulers.boundedElastic() or a dedicated thread");
    }
    threadChecked = true;
  }
}
