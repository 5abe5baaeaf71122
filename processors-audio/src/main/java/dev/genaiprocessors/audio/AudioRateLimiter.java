package dev.genaiprocessors.audio;

import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PlaybackListener;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.ReservedSubstreams;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Releases audio at playback speed, so that a player downstream is never far ahead of the audio it
 * has been given and an interruption can drop what has not been played yet.
 *
 * <pre>{@code
 * Processor paced = AudioRateLimiter.builder().build();
 * model.then(paced).then(speaker);
 * }</pre>
 *
 * <p><b>Pacing</b>: streaming audio ({@code audio/pcm} or {@code audio/l16} with a {@code rate}, and a
 * {@code channels} parameter if not mono) is split into chunks of about {@link Builder#chunk(Duration)
 * 50 ms} on sample boundaries (parts up to twice that stay whole), each chunk keeping the role,
 * substream and metadata of its part. A chunk is released {@link Builder#lead(Duration) 50 ms} before
 * the audio released before it finishes playing, or at once if playback has caught up. Durations are
 * computed from the bytes and the part's own MIME type, so streams of different rates pace correctly.
 *
 * <p><b>Adaptive chunking</b> (opt-in, {@link Builder#adaptiveChunks(Duration)}): the chunk length
 * follows the answer's total duration as far as it is known, {@code T = max(audio of this answer
 * received so far, the part being split included; the expected total given to the builder)}, and is
 * {@code T / 10} held between {@value #MIN_ADAPTIVE_CHUNK_MILLIS} and {@value
 * #MAX_ADAPTIVE_CHUNK_MILLIS} ms: an answer of 200 ms or less is cut into 20 ms chunks, so that it
 * starts playing fast; one of 2 s or more into 200 ms chunks, fewer parts for the same audio. The
 * length is chosen when a part arrives, so the chunks of a streamed answer grow as it goes on. An
 * answer begins with the first audio, and again after an {@code interrupted} part or an end-of-turn
 * part ({@link Part#isEndOfTurn()}).
 *
 * <p><b>Chunk metadata</b>: every audio part emitted carries {@value #CHUNK_INDEX} (its index within
 * its answer, from 0) and {@value #CHUNK_DURATION} (its playing time in milliseconds, fractional) on
 * top of the metadata of the part it was cut from.
 *
 * <p><b>Metrics</b> (with {@link Builder#meterRegistry(MeterRegistry)}; none by default, and then no
 * Micrometer class is loaded and counting costs nothing): counters {@value #CHUNKS_PLAYED} (audio
 * chunks released), {@value #INTERRUPTIONS} (interruptions that arrived while audio was queued or
 * still playing) and {@value #UNDERRUNS} (a chunk of an answer whose earlier audio had finished
 * playing before it could be released: the audio ran dry and the playback clock restarted; a slow
 * producer or a consumer that stopped asking causes it).
 *
 * <p><b>Other parts</b>: parts of reserved substreams ({@code status}, {@code debug}, ...) and, when
 * {@link Builder#delayOtherParts(boolean)} is false, every non-audio part, are emitted at once,
 * overtaking queued audio. Otherwise a non-audio part waits until the audio queued before it has
 * finished playing.
 *
 * <p><b>Interruption</b>: a part with {@code interrupted=true} ({@link Part#interrupted()}) drops every
 * queued part that was not released yet, reports them to the {@link PlaybackListener}, and is emitted
 * at once. The playback clock restarts: a player must drop what it holds when it sees that part.
 *
 * <p><b>Buffering</b>: input is read ahead eagerly, so that an interruption is seen as soon as it
 * arrives, up to {@link Builder#maxQueued(Duration) 10 minutes} of audio or {@value #MAX_QUEUED_PARTS}
 * parts; past that, input waits (backpressure). Output waits for demand: a consumer that stops asking
 * delays playback, and pacing resumes from the time it asks again.
 *
 * <p><b>Errors</b>: audio that cannot be paced (no rate, not raw PCM such as {@code audio/wav}, half a
 * sample) fails the output with an {@link IllegalArgumentException} that says what to do; an input
 * error fails the output at once, dropping what is queued. <b>Cancellation</b> cancels the input and
 * every pending timer. <b>Time</b>: all timing uses the builder's scheduler ({@code Schedulers.parallel()}
 * by default) so tests can run it under virtual time. <b>Threads</b>: a part, a request or a timer is
 * handled one at a time, on the thread that brings it when nothing else is being handled (else right
 * after, by the thread handling the rest): an {@code interrupted} part that finds the limiter idle comes
 * out on the caller's thread before the caller's {@code onNext} returns; paced releases come out on the
 * scheduler's worker.
 */
public final class AudioRateLimiter implements Processor {

  /** The most parts queued at once before input waits: {@value}. */
  public static final int MAX_QUEUED_PARTS = 10_000;

  /** Metadata key: the chunk's index within its answer, from 0 (a long): {@value}. */
  public static final String CHUNK_INDEX = "chunk_index";

  /** Metadata key: the chunk's playing time in milliseconds (a double): {@value}. */
  public static final String CHUNK_DURATION = "chunk_duration";

  /** The shortest adaptive chunk, in milliseconds: {@value}. */
  public static final int MIN_ADAPTIVE_CHUNK_MILLIS = 20;

  /** The longest adaptive chunk, in milliseconds: {@value}. */
  public static final int MAX_ADAPTIVE_CHUNK_MILLIS = 200;

  /** Counter of audio chunks released for playback: {@value}. */
  public static final String CHUNKS_PLAYED = "genai.audio.chunks.played";

  /** Counter of interruptions that cut queued or playing audio: {@value}. */
  public static final String INTERRUPTIONS = "genai.audio.interruptions";

  /** Counter of buffer underruns (audio ran dry and the playback clock restarted): {@value}. */
  public static final String UNDERRUNS = "genai.audio.underruns";

  private static final long MIN_ADAPTIVE_NANOS = MIN_ADAPTIVE_CHUNK_MILLIS * 1_000_000L;
  private static final long MAX_ADAPTIVE_NANOS = MAX_ADAPTIVE_CHUNK_MILLIS * 1_000_000L;

  final long chunkNanos;
  final long leadNanos;
  final boolean delayOtherParts;
  final long maxQueuedNanos;
  final Scheduler scheduler;
  final PlaybackListener listener;
  final Predicate<Part> overtakes;

  /** The expected total of an answer for adaptive chunking, or -1 for fixed chunks. */
  final long expectedTotalNanos;

  final PlaybackMeters meters;

  private AudioRateLimiter(Builder b) {
    this.chunkNanos = b.chunk.toNanos();
    this.leadNanos = b.lead.toNanos();
    this.delayOtherParts = b.delayOtherParts;
    this.maxQueuedNanos = b.maxQueued.toNanos();
    this.scheduler = b.scheduler;
    this.listener = b.listener;
    this.overtakes = b.overtakes;
    this.expectedTotalNanos = b.expectedTotal == null ? -1 : b.expectedTotal.toNanos();
    this.meters = b.registry == null ? PlaybackMeters.NONE : PlaybackMeters.of(b.registry);
  }

  /**
   * The chunk length for audio of an answer of which {@code answerNanos} is known, the part being
   * split included: the fixed chunk, or the adaptive rule of the class comment.
   */
  long chunkNanosFor(long answerNanos) {
    if (expectedTotalNanos < 0) {
      return chunkNanos;
    }
    long total = Math.max(answerNanos, expectedTotalNanos);
    return Math.min(MAX_ADAPTIVE_NANOS, Math.max(MIN_ADAPTIVE_NANOS, total / 10));
  }

  /**
   * A builder with the defaults: 50 ms chunks, 50 ms lead, other parts delayed, 10 minutes queued, parallel
   * scheduler.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return Flux.create(sink -> new RateLimiterSession(this, input, sink).start());
  }

  /**
   * The playing time of streaming audio in nanoseconds, from its byte count and its MIME type.
   *
   * @throws IllegalArgumentException for audio that is not raw PCM, has no rate, or holds a partial frame
   */
  static long durationNanos(Part audio) {
    String mime = audio.mimeType();
    if (!MimeTypes.isStreamingAudio(mime)) {
      throw new IllegalArgumentException(
          "AudioRateLimiter paces raw 16-bit PCM (audio/pcm or audio/l16 with rate=...); got "
              + mime
              + ". Decode it to PCM first (a WAV part with Wav.toPcmPart).");
    }
    int rate =
        MimeTypes.sampleRate(mime)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "audio part '"
                            + mime
                            + "' has no rate=...; AudioRateLimiter needs the sample rate to pace it"));
    int frame = frameBytes(mime);
    if (audio.byteSize() % frame != 0) {
      throw new IllegalArgumentException(
          "audio part of "
              + audio.byteSize()
              + " bytes holds a partial frame of "
              + frame
              + " bytes ("
              + mime
              + ")");
    }
    return (long) audio.byteSize() / frame * 1_000_000_000L / rate;
  }

  /** Bytes per frame: 2 per channel. */
  static int frameBytes(String mime) {
    int channels = MimeTypes.parameter(mime, "channels").map(Integer::parseInt).orElse(1);
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be positive in '" + mime + "'");
    }
    return 2 * channels;
  }

  /** Configures an {@link AudioRateLimiter}; every setter checks its argument at once. */
  public static final class Builder {
    private Duration chunk = Duration.ofMillis(50);
    private Duration lead = Duration.ofMillis(50);
    private boolean delayOtherParts = true;
    private Duration maxQueued = Duration.ofMinutes(10);
    private Scheduler scheduler = Schedulers.parallel();
    private PlaybackListener listener = PlaybackListener.NONE;
    private Predicate<Part> overtakes = ReservedSubstreams.DEFAULT;
    private @Nullable Duration expectedTotal;
    private @Nullable MeterRegistry registry;

    private Builder() {}

    /**
     * Turns on adaptive chunking (see the class comment), which replaces the fixed {@link
     * #chunk(Duration) chunk}: chunks are a tenth of the answer's known total, between {@value
     * #MIN_ADAPTIVE_CHUNK_MILLIS} and {@value #MAX_ADAPTIVE_CHUNK_MILLIS} ms.
     *
     * @param expectedTotal the total assumed for an answer until more of its audio has arrived (when a
     *     speech engine knows its answers are long, for instance); {@link Duration#ZERO} to go by the
     *     audio received only
     * @return this builder
     */
    public Builder adaptiveChunks(Duration expectedTotal) {
      Objects.requireNonNull(expectedTotal, "expectedTotal");
      if (expectedTotal.isNegative()) {
        throw new IllegalArgumentException(
            "expectedTotal must not be negative, was " + expectedTotal);
      }
      this.expectedTotal = expectedTotal;
      return this;
    }

    /**
     * Where to count chunks played, interruptions and underruns (see the class comment); default none,
     * which counts nothing at no cost. Micrometer ({@code io.micrometer:micrometer-core}) is an
     * optional dependency of this module: add it to use this.
     *
     * @param registry the registry, or null to count nothing
     * @return this builder
     */
    public Builder meterRegistry(@Nullable MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    /**
     * The longest chunk audio is split into; default 50 ms.
     *
     * @param chunk the longest chunk, positive
     * @return this builder
     */
    public Builder chunk(Duration chunk) {
      this.chunk = positive(chunk, "chunk");
      return this;
    }

    /**
     * How far ahead of playback audio is released; default 50 ms; zero releases exactly at play time.
     *
     * @param lead how far ahead of play time audio is released, zero or positive
     * @return this builder
     */
    public Builder lead(Duration lead) {
      Objects.requireNonNull(lead, "lead");
      if (lead.isNegative()) {
        throw new IllegalArgumentException("lead must not be negative, was " + lead);
      }
      this.lead = lead;
      return this;
    }

    /**
     * Whether non-audio parts wait for the audio queued before them (default true) or pass at once.
     *
     * @param delayOtherParts true to keep non-audio parts in order behind the queued audio
     * @return this builder
     */
    public Builder delayOtherParts(boolean delayOtherParts) {
      this.delayOtherParts = delayOtherParts;
      return this;
    }

    /**
     * How much audio may be queued before input waits; default 10 minutes.
     *
     * @param maxQueued the most audio held, as play time, positive
     * @return this builder
     */
    public Builder maxQueued(Duration maxQueued) {
      this.maxQueued = positive(maxQueued, "maxQueued");
      return this;
    }

    /**
     * The scheduler whose clock and timers pace the audio; default {@code Schedulers.parallel()}.
     *
     * @param scheduler the clock and timers; a {@code VirtualTimeScheduler} in tests
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Told what is released and what is dropped; default {@link PlaybackListener#NONE}.
     *
     * @param listener told of released and dropped parts, on the scheduler's threads; must not block
     * @return this builder
     */
    public Builder listener(PlaybackListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Which parts overtake queued audio whatever {@link #delayOtherParts}; default the reserved
     * substreams {@code debug}, {@code status} and {@code ui}.
     *
     * @param overtakes true for the parts that leave at once
     * @return this builder
     */
    public Builder overtakes(Predicate<Part> overtakes) {
      this.overtakes = Objects.requireNonNull(overtakes, "overtakes");
      return this;
    }

    /**
     * The limiter.
     *
     * @return a new rate limiter
     */
    public AudioRateLimiter build() {
      return new AudioRateLimiter(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
