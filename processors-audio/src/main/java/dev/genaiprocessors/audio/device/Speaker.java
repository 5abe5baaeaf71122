package dev.genaiprocessors.audio.device;

import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Plays the audio parts of a stream on a speaker and passes the stream on: the last stage of a voice
 * pipeline.
 *
 * <pre>{@code
 * microphone.capture()
 *     .transform(liveModel)
 *     .transform(AudioRateLimiter.builder().build())   // so an interruption finds little queued
 *     .transform(Speaker.builder().build())
 *     .subscribe();
 * }</pre>
 *
 * <p><b>Audio</b>: {@code audio/pcm} and {@code audio/l16} parts with a {@code rate} (and a
 * {@code channels} parameter if not mono) are played as 16-bit little-endian samples; {@code audio/wav}
 * parts are decoded first. A line is opened for the first audio's format and reopened (after the audio
 * before it has played) whenever the format changes. Other audio ({@code audio/mpeg}, ...) fails the
 * output with an {@link IllegalArgumentException}, as does audio holding a partial frame.
 *
 * <p><b>Interruption</b>: a part with {@code interrupted=true} ({@link Part#isInterrupted()}) flushes the
 * line as soon as it enters the speaker: audio written and not yet played is dropped at once, and
 * audio parts queued ahead of it are skipped (still passed on, if audio is passed on). Audio after it
 * plays normally.
 *
 * <p><b>Ordering and passthrough</b>: every part is emitted in input order, once the audio before it has
 * been written to the line (queued for playback, not necessarily heard yet); audio parts too unless
 * {@link Builder#forwardAudio(boolean) forwardAudio(false)}.
 *
 * <p><b>Threads</b>: writing to a line blocks until there is room, which paces the stream; writes,
 * line opening and emission happen on one worker of the {@link Builder#playbackScheduler(Scheduler)
 * playback scheduler} ({@code Schedulers.boundedElastic()} by default); flushes and closes requested from
 * other threads run on {@code Schedulers.boundedElastic()}.
 *
 * <p><b>Buffering</b>: at most {@link Builder#maxQueuedParts(int) 32} parts wait for the playback thread;
 * beyond that, input waits (audio out: wait, pacing is the limit). Parts are emitted on demand: a
 * consumer that stops asking pauses playback. An interruption is seen once it enters
 * that queue, so put an {@link dev.genaiprocessors.audio.AudioRateLimiter AudioRateLimiter} before the speaker to keep the queue short.
 *
 * <p><b>Completion, errors, cancellation</b>: when the input completes, the speaker waits until the audio
 * has played, closes the line, then completes. When there is no playback device, the output fails when
 * the first audio arrives with a {@link DeviceUnavailableException}. An input error fails the output with
 * it. Cancellation or an error closes the line at once, dropping what is unplayed.
 */
public final class Speaker implements Processor {

  /** Parts waiting for the playback thread unless configured: {@value}. */
  public static final int DEFAULT_MAX_QUEUED_PARTS = 32;

  final boolean forwardAudio;
  final int maxQueuedParts;
  final Duration lineBuffer;
  final Scheduler playbackScheduler;
  final PlaybackLine.Opener opener;

  private Speaker(Builder b) {
    this.forwardAudio = b.forwardAudio;
    this.maxQueuedParts = b.maxQueuedParts;
    this.lineBuffer = b.lineBuffer;
    this.playbackScheduler = b.playbackScheduler;
    @Nullable String device = b.device;
    this.opener =
        b.opener != null
            ? b.opener
            : format -> {
              int bufferBytes =
                  (int)
                      Math.max(
                          format.getFrameSize(),
                          Pcm.bytes(lineBuffer, (int) format.getSampleRate())
                              * format.getChannels());
              return PlaybackLine.of(AudioDevices.openPlayback(format, device, bufferBytes));
            };
  }

  /**
   * A builder with the defaults: audio passed on, 32 parts queued, 200 ms line buffer, default device.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    Objects.requireNonNull(input, "input");
    return Flux.defer(
        () -> {
          SpeakerSession session = new SpeakerSession(this);
          return input
              .map(session::arrived)
              .publishOn(playbackScheduler, maxQueuedParts)
              .<Part>handle(
                  (queued, sink) -> {
                    try {
                      session.play(queued);
                    } catch (Exception e) {
                      sink.error(e);
                      return;
                    }
                    if (forwardAudio || !queued.part().isAudio()) {
                      sink.next(queued.part());
                    }
                  })
              .concatWith(Mono.fromRunnable(session::finish))
              .doFinally(signal -> session.closeAsync());
        });
  }

  /** Configures a {@link Speaker}; every setter checks its argument at once. */
  public static final class Builder {
    private boolean forwardAudio = true;
    private int maxQueuedParts = DEFAULT_MAX_QUEUED_PARTS;
    private Duration lineBuffer = Duration.ofMillis(200);
    private @Nullable String device;
    private Scheduler playbackScheduler = Schedulers.boundedElastic();
    private PlaybackLine.@Nullable Opener opener;

    private Builder() {}

    /**
     * Whether audio parts are passed on after they are written (default true); other parts always are.
     *
     * @param forwardAudio false to consume audio parts once played
     * @return this builder
     */
    public Builder forwardAudio(boolean forwardAudio) {
      this.forwardAudio = forwardAudio;
      return this;
    }

    /**
     * How many parts may wait for the playback thread before input waits; default {@value
     * #DEFAULT_MAX_QUEUED_PARTS}.
     *
     * @param maxQueuedParts how many parts may wait, at least 1
     * @return this builder
     */
    public Builder maxQueuedParts(int maxQueuedParts) {
      if (maxQueuedParts < 1) {
        throw new IllegalArgumentException(
            "maxQueuedParts must be at least 1, was " + maxQueuedParts);
      }
      this.maxQueuedParts = maxQueuedParts;
      return this;
    }

    /**
     * The device's buffer, 20 ms to 2 s; default 200 ms. Shorter: an interruption or the end of the
     * stream is heard sooner, but a late playback thread is heard as a gap.
     *
     * @param lineBuffer the device buffer's play time, 20 ms to 2 s
     * @return this builder
     */
    public Builder lineBuffer(Duration lineBuffer) {
      Objects.requireNonNull(lineBuffer, "lineBuffer");
      if (lineBuffer.compareTo(Duration.ofMillis(20)) < 0
          || lineBuffer.compareTo(Duration.ofSeconds(2)) > 0) {
        throw new IllegalArgumentException("lineBuffer must be 20 ms to 2 s, was " + lineBuffer);
      }
      this.lineBuffer = lineBuffer;
      return this;
    }

    /**
     * The device to play on: the first of {@link AudioDevices#speakers()} whose name contains this,
     * ignoring case; default the system's default device.
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
     * Where writes block and parts are emitted, one worker per subscription; must allow blocking.
     * Default {@code Schedulers.boundedElastic()}.
     *
     * @param playbackScheduler a scheduler that allows blocking
     * @return this builder
     */
    public Builder playbackScheduler(Scheduler playbackScheduler) {
      this.playbackScheduler = Objects.requireNonNull(playbackScheduler, "playbackScheduler");
      return this;
    }

    /** Test seam: where lines come from instead of Java Sound. */
    Builder opener(PlaybackLine.Opener opener) {
      this.opener = Objects.requireNonNull(opener, "opener");
      return this;
    }

    /**
     * The speaker. Nothing is opened until audio arrives.
     *
     * @return a new speaker
     */
    public Speaker build() {
      return new Speaker(this);
    }
  }
}
