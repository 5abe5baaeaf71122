package dev.genaiprocessors.live.realtime;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers small pieces of 16-bit PCM into chunks of 100 to 200 ms before they go to the provider.
 * Pieces are joined until at least 100 ms are held, then sent as one chunk of at most 200 ms (a longer
 * piece is cut into 200 ms chunks). What is held is at most 100 ms (the buffer's bound); it leaves on
 * {@link #flush()} (a commit, a text, an interruption or the end of the session). Not thread-safe: the
 * session calls it under its lock.
 */
final class AudioChunker {
  private final int minBytes;
  private final int maxBytes;
  private final ByteArrayOutputStream held = new ByteArrayOutputStream();

  AudioChunker(int sampleRate) {
    this.minBytes = 2 * sampleRate / 10;
    this.maxBytes = 2 * sampleRate / 5;
  }

  /** Adds a piece; returns the chunks now ready (each 100 to 200 ms), possibly none. */
  List<byte[]> add(byte[] pcm) {
    if (pcm.length % 2 != 0) {
      throw new IllegalArgumentException(
          "audio must be 16-bit PCM, an even number of bytes; got " + pcm.length + " bytes");
    }
    held.writeBytes(pcm);
    List<byte[]> ready = new ArrayList<>();
    if (held.size() < minBytes) {
      return ready;
    }
    byte[] all = held.toByteArray();
    held.reset();
    int at = 0;
    while (all.length - at >= minBytes) {
      int size = Math.min(maxBytes, all.length - at);
      byte[] chunk = new byte[size];
      System.arraycopy(all, at, chunk, 0, size);
      ready.add(chunk);
      at += size;
    }
    held.write(all, at, all.length - at);
    return ready;
  }

  /** What is held, or an empty array; the chunker is then empty. */
  byte[] flush() {
    byte[] rest = held.toByteArray();
    held.reset();
    return rest;
  }
}
