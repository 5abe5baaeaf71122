package dev.genaiprocessors.live;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PlaybackListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * What the user actually heard of each answer of a {@link LiveProcessor}, as the audio player reports it:
 * connect one to the {@code AudioRateLimiter} ({@code .listener(heard)}) that plays the provider's audio and
 * to the provider ({@code .playback(heard)} on its builder). On a barge-in the provider puts
 * {@link #heardMillis(String)} of the cut answer on its {@code interrupted} part ({@link LiveParts#HEARD_MS});
 * OpenAI Realtime also truncates the answer's conversation item to it, so that the model remembers only what
 * was played (Gemini Live has no truncation: see {@link LiveProcessor}).
 *
 * <pre>{@code
 * VirtualTimeScheduler clock = ...;                      // or the players' shared scheduler
 * HeardAudio heard = new HeardAudio(clock);
 * Processor player = AudioRateLimiter.builder().scheduler(clock).listener(heard).build();
 * LiveProcessor live = OpenAiRealtimeProcessor.builder().playback(heard)...build();
 * microphone.transform(live).transform(player).subscribe(speaker);
 * }</pre>
 *
 * <p>Audio parts are told apart by their {@link LiveParts#ANSWER_ID} metadata, which every provider puts on
 * its audio parts and the rate limiter keeps on the chunks it releases; audio without it is ignored. A chunk
 * counts from its playback start, for as much of its duration as has passed by the time asked; dropped
 * chunks (an interruption flushed them) never count.
 *
 * <p><b>Clock.</b> Times are compared on the player's clock: give this object the scheduler the player
 * (the rate limiter) runs on. <b>Bound.</b> Keeps the answers of the last {@value #MAX_ANSWERS} ids (older
 * ones are forgotten: a barge-in only asks about the answer in flight), and at most {@value #MAX_SPANS}
 * spans of playback per answer. <b>Threads:</b> the player reports on its worker and the provider asks on
 * its own; methods are synchronized and short, and never block.
 */
public final class HeardAudio implements PlaybackListener {

  /** How many answers are remembered. */
  public static final int MAX_ANSWERS = 16;

  /** Most spans of playback kept per answer; beyond it the two oldest are merged (see {@link #released}). */
  static final int MAX_SPANS = 256;

  private final Scheduler clock;

  /**
   * Per answer: spans of playback as (start millis, duration millis), in release order; back-to-back chunks
   * extend one span.
   */
  private final Map<String, List<double[]>> answers =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<double[]>> eldest) {
          return size() > MAX_ANSWERS; // policy: forget the oldest answer
        }
      };

  /**
   * A tracker with nothing heard, on the clock of a player that runs on this scheduler.
   *
   * @param playerClock the scheduler the player (the rate limiter) runs on; its clock times what was heard
   */
  public HeardAudio(Scheduler playerClock) {
    this.clock = Objects.requireNonNull(playerClock, "playerClock");
  }

  /** A tracker with nothing heard, for a player on {@code Schedulers.parallel()} (the rate limiter's default). */
  public HeardAudio() {
    this(Schedulers.parallel());
  }

  @Override
  public synchronized void released(Part chunk, long playbackStartMillis, double durationMillis) {
    if (!(chunk.metadata(LiveParts.ANSWER_ID) instanceof String answerId)) {
      return;
    }
    List<double[]> spans = answers.computeIfAbsent(answerId, k -> new ArrayList<>());
    double[] last = spans.isEmpty() ? null : spans.get(spans.size() - 1);
    if (last != null && Math.abs(last[0] + last[1] - playbackStartMillis) < 1) {
      last[1] += durationMillis; // plays right after the previous chunk
      return;
    }
    if (spans.size() == MAX_SPANS) {
      // Bound: the two oldest spans become one that ends where the second ended; what was heard of
      // them is only overstated by the gap between them, long past by the time a barge-in asks.
      double[] first = spans.remove(0);
      double[] second = spans.get(0);
      spans.set(0, new double[] {first[0], second[0] + second[1] - first[0]});
    }
    spans.add(new double[] {playbackStartMillis, durationMillis});
  }

  @Override
  public void dropped(List<Part> parts, long atMillis) {
    // Dropped chunks were never released, so they were never counted.
  }

  /**
   * How much of an answer's audio the user has heard by now, on the player's clock.
   *
   * @param answerId the answer, from {@link LiveParts#ANSWER_ID}
   * @return whole milliseconds heard, 0 when nothing of the answer was released
   */
  public long heardMillis(String answerId) {
    return heardMillis(answerId, clock.now(TimeUnit.MILLISECONDS));
  }

  /**
   * How much of an answer's audio the user has heard by a time: the released chunks' durations, the last one
   * cut at {@code nowMillis} if it is still playing (or has not started).
   *
   * @param answerId the answer, from {@link LiveParts#ANSWER_ID}
   * @param nowMillis the time asked, on the player's clock
   * @return whole milliseconds heard, 0 when nothing of the answer was released
   */
  public synchronized long heardMillis(String answerId, long nowMillis) {
    List<double[]> spans = answers.get(answerId);
    if (spans == null) {
      return 0;
    }
    double heard = 0;
    for (double[] span : spans) {
      heard += Math.max(0, Math.min(span[1], nowMillis - span[0]));
    }
    return (long) Math.floor(heard);
  }
}
