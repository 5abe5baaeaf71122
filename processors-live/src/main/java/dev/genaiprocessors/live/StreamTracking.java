package dev.genaiprocessors.live;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Stream management, opt-in: tags every part with the stream it belongs to, its index within that stream,
 * and the stream's part count and duration so far; optionally reports each stream's totals when it ends.
 *
 * <pre>{@code
 * Processor tracked = StreamTracking.builder().streamId(p -> p.substream().isEmpty() ? "main" : p.substream()).build();
 * microphone.transform(tracked)...   // each part: stream_id, stream_index, stream_part_count, stream_duration_ms
 * }</pre>
 *
 * <p><b>Metadata</b> set on every part (replacing any set before): {@value #STREAM_ID} (a string),
 * {@value #STREAM_INDEX} (long, from 0), {@value #STREAM_PART_COUNT} (long, parts of the stream so far,
 * this one included) and {@value #STREAM_DURATION_MS} (long, milliseconds of the scheduler's clock since
 * the stream's first part). Parts pass in order, one for one, with nothing else changed.
 *
 * <p><b>Summaries</b> ({@link Builder#summaries(boolean)}, default off): when the input completes, one
 * {@code status} part per stream, in the order the streams began, with metadata {@value #STREAM_SUMMARY}: a
 * map of {@code stream_id}, {@code parts} and {@code duration_ms} (first part to last). An error of the
 * input fails the output at once, with no summaries; cancelling emits none.
 *
 * <p><b>Bound</b>: at most {@link Builder#maxStreams(int)} streams (default {@value #DEFAULT_MAX_STREAMS})
 * are tracked per subscription; past it the stream seen least recently is forgotten (its summary, when on,
 * is emitted just before the part that pushed it out); if it comes back it starts again from index 0.
 * <b>State</b> belongs to one subscription; an instance is immutable and may be shared. <b>Time</b>: the
 * {@link Builder#scheduler scheduler}'s clock ({@code Schedulers.parallel()} by default).
 */
public final class StreamTracking implements Processor {

  /** Metadata key: the stream's id: {@value}. */
  public static final String STREAM_ID = "stream_id";

  /** Metadata key: the part's index within its stream, from 0: {@value}. */
  public static final String STREAM_INDEX = "stream_index";

  /** Metadata key: parts of the stream so far, this one included: {@value}. */
  public static final String STREAM_PART_COUNT = "stream_part_count";

  /** Metadata key: milliseconds since the stream's first part: {@value}. */
  public static final String STREAM_DURATION_MS = "stream_duration_ms";

  /** Metadata key of a summary part: {@code stream_id}, {@code parts}, {@code duration_ms}: {@value}. */
  public static final String STREAM_SUMMARY = "stream_summary";

  /** The most streams tracked at once unless configured: {@value}. */
  public static final int DEFAULT_MAX_STREAMS = 1024;

  private final Function<Part, String> streamId;
  private final Scheduler scheduler;
  private final boolean summaries;
  private final int maxStreams;

  private StreamTracking(Builder b) {
    this.streamId = b.streamId;
    this.scheduler = b.scheduler;
    this.summaries = b.summaries;
    this.maxStreams = b.maxStreams;
  }

  /**
   * A builder: one stream named {@code "main"}, no summaries, {@value #DEFAULT_MAX_STREAMS} streams at
   * most, {@code Schedulers.parallel()}.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    Objects.requireNonNull(input, "input");
    return Flux.defer(
        () -> {
          Streams streams = new Streams();
          Flux<Part> tagged = input.concatMapIterable(streams::tag);
          return summaries ? tagged.concatWith(Flux.defer(streams::summaries)) : tagged;
        });
  }

  /** One stream's counts. */
  private static final class Counts {
    final String id;
    final long firstMillis;
    long lastMillis;
    long parts;

    Counts(String id, long now) {
      this.id = id;
      this.firstMillis = now;
      this.lastMillis = now;
    }

    Part summary() {
      Map<String, Object> totals = new LinkedHashMap<>();
      totals.put("stream_id", id);
      totals.put("parts", parts);
      totals.put("duration_ms", lastMillis - firstMillis);
      return Part.status(
              "stream " + id + ": " + parts + " parts in " + (lastMillis - firstMillis) + " ms")
          .withMetadata(STREAM_SUMMARY, totals);
    }
  }

  /** The streams of one subscription; touched by one onNext at a time. */
  private final class Streams {
    private final List<Part> evicted = new ArrayList<>(1);

    /** Streams in the order they began, for the summaries. */
    private final LinkedHashMap<String, Counts> byStart = new LinkedHashMap<>();

    /** Least recently seen first; bounded by maxStreams (policy: the eldest is forgotten). */
    private final LinkedHashMap<String, Counts> byId =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Counts> eldest) {
            if (size() <= maxStreams) {
              return false;
            }
            byStart.remove(eldest.getKey());
            if (summaries) {
              evicted.add(eldest.getValue().summary());
            }
            return true;
          }
        };

    List<Part> tag(Part part) {
      String id = Objects.requireNonNull(streamId.apply(part), "the stream id of a part is null");
      long now = scheduler.now(TimeUnit.MILLISECONDS);
      Counts c = byId.get(id);
      if (c == null) {
        c = new Counts(id, now);
        byStart.put(id, c);
        byId.put(id, c);
      }
      long index = c.parts;
      c.parts++;
      c.lastMillis = now;
      Part tagged =
          part.withMetadata(STREAM_ID, id)
              .withMetadata(STREAM_INDEX, index)
              .withMetadata(STREAM_PART_COUNT, c.parts)
              .withMetadata(STREAM_DURATION_MS, now - c.firstMillis);
      if (evicted.isEmpty()) {
        return List.of(tagged);
      }
      List<Part> out = new ArrayList<>(evicted);
      evicted.clear();
      out.add(tagged);
      return out;
    }

    Flux<Part> summaries() {
      return Flux.fromIterable(new ArrayList<>(byStart.values())).map(Counts::summary);
    }
  }

  /** Configures a {@link StreamTracking}; setters check their argument at once. */
  public static final class Builder {
    private Function<Part, String> streamId = p -> "main";
    private Scheduler scheduler = Schedulers.parallel();
    private boolean summaries;
    private int maxStreams = DEFAULT_MAX_STREAMS;

    private Builder() {}

    /**
     * Every part belongs to one stream of this id.
     *
     * @param id the stream's id
     * @return this builder
     */
    public Builder streamId(String id) {
      Objects.requireNonNull(id, "id");
      this.streamId = p -> id;
      return this;
    }

    /**
     * The stream a part belongs to, such as its substream, its role or a call id in its metadata.
     *
     * @param streamOf the id of a part's stream; must not return null
     * @return this builder
     */
    public Builder streamId(Function<Part, String> streamOf) {
      this.streamId = Objects.requireNonNull(streamOf, "streamOf");
      return this;
    }

    /**
     * The scheduler whose clock times the streams; default {@code Schedulers.parallel()}.
     *
     * @param scheduler the clock (a virtual-time one in tests)
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Whether each stream's totals are emitted as a status part when the input completes (and when the
     * stream is forgotten); default false.
     *
     * @param summaries true to emit summaries
     * @return this builder
     */
    public Builder summaries(boolean summaries) {
      this.summaries = summaries;
      return this;
    }

    /**
     * The most streams tracked at once; default {@value #DEFAULT_MAX_STREAMS}.
     *
     * @param maxStreams at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code maxStreams} is less than 1
     */
    public Builder maxStreams(int maxStreams) {
      if (maxStreams < 1) {
        throw new IllegalArgumentException("maxStreams must be at least 1, was " + maxStreams);
      }
      this.maxStreams = maxStreams;
      return this;
    }

    /**
     * The processor.
     *
     * @return a new processor with these settings
     */
    public StreamTracking build() {
      return new StreamTracking(this);
    }
  }
}
