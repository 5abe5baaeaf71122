package dev.genaiprocessors.audio.device;

import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Substreams;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.sound.sampled.AudioFormat;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Records from a microphone as a stream of {@code audio/pcm;rate=R} parts: 16-bit little-endian mono,
 * in chunks of {@link Builder#chunk(Duration) 50 ms}, role {@code user}, substream {@code realtime}, each
 * with {@code capture_time} (milliseconds of the {@link Builder#clock(Scheduler) clock} when the chunk
 * was read).
 *
 * <pre>{@code
 * Microphone microphone = Microphone.builder().sampleRate(16000).build();
 * microphone.capture().transform(liveModel).transform(Speaker.builder().build()).subscribe();
 * }</pre>
 *
 * <p><b>Threads</b>: reading a capture line blocks, so each subscription reads on one task of the
 * {@link Builder#captureScheduler(Scheduler) capture scheduler} ({@code Schedulers.boundedElastic()}
 * by default), which it holds for as long as it records; a scheduler whose threads must not block (such
 * as {@code Schedulers.parallel()}) fails the stream with an {@link IllegalStateException}. Parts are
 * emitted on that thread.
 *
 * <p><b>Buffering</b>: recording never waits for the consumer. Up to {@link Builder#maxBuffered(Duration)
 * 1 s} of chunks wait for demand; when a slow consumer lets more pile up, the oldest chunks are dropped
 * and counted in {@link #droppedChunks()} (audio in: drop oldest and count).
 *
 * <p><b>Errors</b>: when there is no capture device (a container, CI) or it cannot be opened, the stream
 * fails at subscription with a {@link DeviceUnavailableException} that says how to list the devices; it
 * never waits for one. A read error fails the stream with its exception.
 *
 * <p><b>Cancellation</b> closes the line (from a blocking-capable thread, which also ends a read in
 * progress) and ends the capture task. Each subscription opens its own line; most devices allow one at a
 * time. <b>Completion</b>: the stream completes only if the line ends by itself.
 */
public final class Microphone {

  final int sampleRate;
  final int chunkBytes;
  final int maxBufferedChunks;
  final String role;
  final String substream;
  final @Nullable String device;
  final Scheduler captureScheduler;
  final Scheduler clock;
  final CaptureLine.Opener opener;
  private final AtomicLong dropped = new AtomicLong();

  private Microphone(Builder b) {
    this.sampleRate = b.sampleRate;
    this.chunkBytes = Math.max(2, (int) Pcm.bytes(b.chunk, b.sampleRate));
    this.maxBufferedChunks =
        (int) Math.max(1, Math.min(100_000, b.maxBuffered.toNanos() / b.chunk.toNanos()));
    this.role = b.role;
    this.substream = b.substream;
    this.device = b.device;
    this.captureScheduler = b.captureScheduler;
    this.clock = b.clock;
    this.opener =
        b.opener != null
            ? b.opener
            : (format, bufferBytes) ->
                CaptureLine.of(AudioDevices.openCapture(format, device, bufferBytes));
  }

  /**
   * A builder with the defaults: 16 kHz, 50 ms chunks, 1 s buffered, default device.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The format recorded: 16-bit signed little-endian mono PCM at the sample rate.
   *
   * @return the Java Sound format of the recording
   */
  public AudioFormat format() {
    return new AudioFormat(sampleRate, 16, 1, true, false);
  }

  /**
   * The recorded audio; each subscription opens the device and records until cancelled. See the class
   * description for threads, buffering, errors and cancellation.
   *
   * @return the audio as {@code audio/pcm;rate=<sampleRate>} parts of one chunk each
   */
  public Flux<Part> capture() {
    return Flux.<Part>create(this::startCapture, FluxSink.OverflowStrategy.BUFFER)
        // create() never buffers: this operator asks for everything and keeps a bounded window.
        .onBackpressureBuffer(
            maxBufferedChunks, this::onDropped, BufferOverflowStrategy.DROP_OLDEST);
  }

  /**
   * How many chunks were dropped, over all subscriptions, because a consumer was too slow.
   *
   * @return the number of dropped chunks since this microphone was built
   */
  public long droppedChunks() {
    return dropped.get();
  }

  private void startCapture(FluxSink<Part> sink) {
    MicrophoneCapture capture = new MicrophoneCapture(this, sink);
    sink.onDispose(capture::stop);
    try {
      captureScheduler.schedule(capture);
    } catch (RuntimeException e) { // RejectedExecutionException: the scheduler is disposed or full
      sink.error(e);
    }
  }

  private void onDropped(Part chunk) {
    long count = dropped.incrementAndGet();
    if (count == 1 || Long.bitCount(count) == 1) {
      MicrophoneCapture.log.warn(
          "microphone consumer is too slow: {} chunk(s) of audio dropped so far", count);
    }
  }

  /** Configures a {@link Microphone}; every setter checks its argument at once. */
  public static final class Builder {
    private int sampleRate = 16000;
    private Duration chunk = Duration.ofMillis(50);
    private Duration maxBuffered = Duration.ofSeconds(1);
    private String role = "user";
    private String substream = Substreams.REALTIME;
    private @Nullable String device;
    private Scheduler captureScheduler = Schedulers.boundedElastic();
    private Scheduler clock = Schedulers.parallel();
    private CaptureLine.@Nullable Opener opener;

    private Builder() {}

    /**
     * Samples per second, 8000 to 192000; default 16000. The device must support it.
     *
     * @param sampleRate samples per second, 8000 to 192000
     * @return this builder
     */
    public Builder sampleRate(int sampleRate) {
      if (sampleRate < 8000 || sampleRate > 192_000) {
        throw new IllegalArgumentException(
            "sampleRate must be 8000 to 192000 Hz, was " + sampleRate);
      }
      this.sampleRate = sampleRate;
      return this;
    }

    /**
     * The duration of one part, 10 ms to 1 s; default 50 ms. Shorter chunks mean less latency, more parts.
     *
     * @param chunk the play time of one part, 10 ms to 1 s
     * @return this builder
     */
    public Builder chunk(Duration chunk) {
      Objects.requireNonNull(chunk, "chunk");
      if (chunk.compareTo(Duration.ofMillis(10)) < 0
          || chunk.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("chunk must be 10 ms to 1 s, was " + chunk);
      }
      this.chunk = chunk;
      return this;
    }

    /**
     * How much audio may wait for a slow consumer before the oldest is dropped; default 1 s, at least one
     * chunk.
     *
     * @param maxBuffered the most audio held for a slow consumer, at least one chunk
     * @return this builder
     */
    public Builder maxBuffered(Duration maxBuffered) {
      Objects.requireNonNull(maxBuffered, "maxBuffered");
      if (maxBuffered.isNegative() || maxBuffered.isZero()) {
        throw new IllegalArgumentException("maxBuffered must be positive, was " + maxBuffered);
      }
      this.maxBuffered = maxBuffered;
      return this;
    }

    /**
     * The role of the parts; default {@code user}.
     *
     * @param role the role of the parts, such as {@code user}
     * @return this builder
     */
    public Builder role(String role) {
      this.role = Objects.requireNonNull(role, "role");
      return this;
    }

    /**
     * The substream of the parts; default {@code realtime}.
     *
     * @param substream the substream of the parts
     * @return this builder
     */
    public Builder substream(String substream) {
      this.substream = Objects.requireNonNull(substream, "substream");
      return this;
    }

    /**
     * The device to record from: the first of {@link AudioDevices#microphones()} whose name contains
     * this, ignoring case; default the system's default device.
     *
     * @param nameContains part of the device's name, matched ignoring case
     * @return this builder
     */
    public Builder device(String nameContains) {
      Objects.requireNonNull(nameContains, "nameContains");
      if (nameContains.isBlank()) {
        throw new IllegalArgumentException("device name must not be blank");
      }
      this.device = nameContains;
      return this;
    }

    /**
     * Where the blocking reads run, one long task per subscription; must allow blocking. Default
     * {@code Schedulers.boundedElastic()}.
     *
     * @param captureScheduler a scheduler that allows blocking
     * @return this builder
     */
    public Builder captureScheduler(Scheduler captureScheduler) {
      this.captureScheduler = Objects.requireNonNull(captureScheduler, "captureScheduler");
      return this;
    }

    /**
     * The clock of the {@code capture_time} metadata; default {@code Schedulers.parallel()}.
     *
     * @param clock the scheduler whose clock stamps {@code capture_time}
     * @return this builder
     */
    public Builder clock(Scheduler clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Test seam: where lines come from instead of Java Sound. */
    Builder opener(CaptureLine.Opener opener) {
      this.opener = Objects.requireNonNull(opener, "opener");
      return this;
    }

    /**
     * The microphone. Nothing is opened until {@link Microphone#capture()} is subscribed.
     *
     * @return a new microphone
     */
    public Microphone build() {
      return new Microphone(this);
    }
  }
}
