package dev.genaiprocessors.audio.event;

import dev.genaiprocessors.core.Part;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The latest images of a stream with their capture times, and the detection prompt made of them.
 * Bounded: adding to a full window drops its oldest image. Not thread-safe.
 */
final class FrameWindow {

  private record Frame(Part image, long capturedMillis) {}

  private final int capacity;
  private final ArrayDeque<Frame> frames;

  FrameWindow(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
    this.frames = new ArrayDeque<>(capacity);
  }

  /** Adds an image captured at this time (milliseconds of any clock), dropping the oldest if full. */
  void add(Part image, long capturedMillis) {
    if (frames.size() == capacity) {
      frames.removeFirst();
    }
    // The content only: the prompt must not carry the stream's substream or metadata. Bytes are
    // shared.
    frames.addLast(new Frame(Part.of(image.content()).withRole("user"), capturedMillis));
  }

  /** How many images the window holds. */
  int size() {
    return frames.size();
  }

  /**
   * The prompt: every image, oldest first, each followed by a text part with its time relative to the
   * oldest one ({@link #timestamp(long)}), all with role {@code user}.
   */
  List<Part> prompt() {
    List<Part> prompt = new ArrayList<>(2 * frames.size());
    long first = frames.isEmpty() ? 0 : frames.peekFirst().capturedMillis();
    for (Frame frame : frames) {
      prompt.add(frame.image());
      prompt.add(Part.text(timestamp(frame.capturedMillis() - first)).withRole("user"));
    }
    return prompt;
  }

  /**
   * {@code mm:ss} for a duration in milliseconds, rounded to the nearest second (half up); minutes do
   * not wrap into hours ({@code 61:10}); a negative duration (a clock that went back) reads
   * {@code 00:00}.
   */
  static String timestamp(long millis) {
    long seconds = (Math.max(0, millis) + 500) / 1000;
    return String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
  }
}
