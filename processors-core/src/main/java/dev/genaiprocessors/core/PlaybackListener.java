package dev.genaiprocessors.core;

import java.util.List;

/**
 * Told by a player or pacer (the audio rate limiter, a speaker sink) what it released for playback and
 * what it dropped on an interruption, so that a live processor can tell what the user actually heard.
 *
 * <p>It lives in core so that the audio module, which reports, and the live module, which listens,
 * need not know each other. Times are on the reporter's scheduler clock: give both the same scheduler.
 *
 * <p>Methods are called on the limiter's worker, one at a time, in the order things happened. They
 * must be fast, must not block, and must not throw (an exception is logged and ignored).
 */
public interface PlaybackListener {

  /** A listener that ignores everything. */
  PlaybackListener NONE = new PlaybackListener() {};

  /**
   * An audio chunk was released.
   *
   * @param chunk the chunk, as emitted
   * @param playbackStartMillis when it is due to start playing, on the limiter's scheduler clock
   * @param durationMillis how long it plays, in milliseconds (fractional)
   */
  default void released(Part chunk, long playbackStartMillis, double durationMillis) {}

  /**
   * An interruption dropped these queued parts, in queue order; none of them was released.
   *
   * @param atMillis when, on the limiter's scheduler clock
   * @param parts the dropped parts, in queue order
   */
  default void dropped(List<Part> parts, long atMillis) {}
}
