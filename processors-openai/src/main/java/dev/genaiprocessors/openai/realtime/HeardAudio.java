package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PlaybackListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the user actually heard of each answer, as the audio player reports it: connect one to the
 * {@code AudioRateLimiter} ({@code .listener(heard)}) that plays the processor's audio and to the processor
 * ({@link OpenAiRealtimeBuilder#playback(HeardAudio)}). On a barge-in the processor truncates the
 * answer's conversation item to {@link #heardMillis(String, long)}, so that the model remembers only what
 * was played.
 *
 * <p>Audio parts are told apart by their {@link RealtimeParts#ITEM_ID} metadata, which the processor puts on
 * every audio part and the rate limiter keeps on the chunks it releases. A chunk counts from its playback
 * start, for as much of its duration as has passed by the time asked; dropped chunks (an interruption
 * flushed them) never count.
 *
 * <p><b>Bound.</b> Keeps the items of the last {@value #MAX_ITEMS} answers (older ones are forgotten: a
 * barge-in only truncates the answer in flight). <b>Threads:</b> the limiter reports on its worker and the
 * processor asks on its own; methods are synchronized and short. Give the limiter and the processor the same
 * scheduler, since times are compared across them.
 */
public final class HeardAudio implements PlaybackListener {

  /** How many items are remembered. */
  public static final int MAX_ITEMS = 16;

  /** Most spans of playback kept per item; beyond it the two oldest are merged (see {@link #released}). */
  static final int MAX_SPANS = 256;

  /**
   * Per item: spans of playback as (start millis, duration millis), in release order; back-to-back chunks
   * extend one span.
   */
  private final Map<String, List<double[]>> items =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<double[]>> eldest) {
          return size() > MAX_ITEMS; // policy: forget the oldest item
        }
      };

  /** Creates a tracker with nothing heard. */
  public HeardAudio() {}

  @Override
  public synchronized void released(Part chunk, long playbackStartMillis, double durationMillis) {
    if (!(chunk.metadata(RealtimeParts.ITEM_ID) instanceof String itemId)) {
      return;
    }
    List<double[]> spans = items.computeIfAbsent(itemId, k -> new ArrayList<>());
    double[] last = spans.isEmpty() ? null : spans.get(spans.size() - 1);
    if (last != null && Math.abs(last[0] + last[1] - playbackStartMillis) < 1) {
      last[1] += durationMillis; // plays right after the previous chunk
      return;
    }
    if (spans.size() == MAX_SPANS) {
      // Bound: the two oldest spans become one that ends where the second ended; what was heard of
      // them
      // is only overstated by the gap between them, long past by the time a barge-in asks.
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
   * How much of an item's audio the user has heard by a time: the released chunks' durations, the last one
   * cut at {@code nowMillis} if it is still playing (or has not started).
   *
   * @param itemId the item, from {@link RealtimeParts#ITEM_ID}
   * @param nowMillis the time asked, on the player's scheduler clock
   * @return whole milliseconds heard, 0 when nothing of the item was released
   */
  public synchronized long heardMillis(String itemId, long nowMillis) {
    List<double[]> spans = items.get(itemId);
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
