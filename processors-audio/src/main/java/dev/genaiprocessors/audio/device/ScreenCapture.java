package dev.genaiprocessors.audio.device;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.Substreams;
import java.awt.AWTException;
import java.awt.GraphicsDevice;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.awt.Rectangle;
import java.awt.Robot;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Captures the screen as a stream of {@code image/jpeg} frames at a frame rate, role {@code user},
 * substream {@code realtime}, each with {@code capture_time} (milliseconds of the scheduler's clock when
 * it was grabbed): the screen-sharing input of a live model.
 *
 * <pre>{@code
 * ScreenCapture.builder().frameRate(1).build().frames().transform(liveModel).subscribe();
 * }</pre>
 *
 * <p><b>Time</b>: a frame is grabbed at subscription and then every {@code 1 / frameRate} seconds on the
 * {@link Builder#scheduler(Scheduler) scheduler} ({@code Schedulers.parallel()} by default).
 *
 * <p><b>Threads</b>: grabbing ({@link Robot}) and JPEG encoding ({@code javax.imageio}) block or take
 * CPU time, so they run on {@code Schedulers.boundedElastic()}, where frames are emitted.
 *
 * <p><b>Buffering</b>: latest only (video frames). Frames are grabbed on their ticks whatever the demand;
 * a consumer that is not ready gets, when it asks, the latest frame, never a queue of stale ones. A tick
 * that comes while a grab is in progress waits (one at most); later ones are skipped.
 *
 * <p><b>Errors</b>: in a headless JVM ({@link GraphicsEnvironment#isHeadless()}: no display, or
 * {@code -Djava.awt.headless=true}), or when the screen cannot be read, the stream fails at subscription
 * with a {@link DeviceUnavailableException} that says so. A failed grab or encoding fails the stream with
 * its exception. <b>Cancellation</b> stops the ticks; a grab in progress finishes and is discarded.
 */
public final class ScreenCapture {

  private static final Logger log = LoggerFactory.getLogger(ScreenCapture.class);

  private final Duration period;
  private final JpegEncoder encoder;
  private final String role;
  private final String substream;
  private final Scheduler scheduler;
  private final Scheduler grabScheduler;
  private final FrameGrabber.Opener opener;

  private ScreenCapture(Builder b) {
    this.period = b.period;
    this.encoder = new JpegEncoder(b.quality);
    this.role = b.role;
    this.substream = b.substream;
    this.scheduler = b.scheduler;
    this.grabScheduler = b.grabScheduler;
    @Nullable Rectangle region = b.region;
    this.opener = b.opener != null ? b.opener : () -> screen(region);
  }

  /**
   * A builder with the defaults: 1 frame per second, the whole default screen, JPEG quality 0.8.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The frames; each subscription starts its own capture.
   *
   * @return the frames, as {@code image/jpeg} parts paced by the frame rate
   */
  public Flux<Part> frames() {
    return Mono.fromCallable(opener::open)
        .subscribeOn(grabScheduler)
        .flatMapMany(
            grabber ->
                Flux.interval(Duration.ZERO, period, scheduler)
                    .onBackpressureDrop(
                        tick -> log.debug("screen frame {} skipped: a grab was in progress", tick))
                    .concatMap(
                        tick -> Mono.fromCallable(() -> grab(grabber)).subscribeOn(grabScheduler),
                        1))
        .onBackpressureLatest();
  }

  private Part grab(FrameGrabber grabber) throws IOException {
    long grabbedAt = scheduler.now(TimeUnit.MILLISECONDS);
    return Part.image(encoder.encode(grabber.grab()), "image/jpeg")
        .withRole(role)
        .withSubstream(substream)
        .withMetadata(PartMetadata.CAPTURE_TIME, grabbedAt);
  }

  /** A grabber of the default screen, or of a region of the desktop. */
  private static FrameGrabber screen(@Nullable Rectangle region) throws DeviceUnavailableException {
    if (GraphicsEnvironment.isHeadless()) {
      throw new DeviceUnavailableException(
          "No display: this JVM is headless (no DISPLAY, or -Djava.awt.headless=true),"
              + " so the screen cannot be captured. Run on a desktop session, or play recorded frames with ImageSource.");
    }
    try {
      GraphicsDevice screen =
          GraphicsEnvironment.getLocalGraphicsEnvironment().getDefaultScreenDevice();
      Robot robot = new Robot(screen);
      Rectangle bounds =
          region != null ? new Rectangle(region) : screen.getDefaultConfiguration().getBounds();
      log.debug("capturing the screen area {}", bounds);
      return () -> robot.createScreenCapture(bounds);
    } catch (AWTException | HeadlessException | SecurityException | IllegalArgumentException e) {
      throw new DeviceUnavailableException(
          "The screen cannot be captured ("
              + e
              + "); screen recording may need "
              + "a permission of the desktop or operating system.",
          e);
    }
  }

  /** Configures a {@link ScreenCapture}; every setter checks its argument at once. */
  public static final class Builder {
    private Duration period = Duration.ofSeconds(1);
    private float quality = 0.8f;
    private @Nullable Rectangle region;
    private String role = "user";
    private String substream = Substreams.REALTIME;
    private Scheduler scheduler = Schedulers.parallel();
    private Scheduler grabScheduler = Schedulers.boundedElastic();
    private FrameGrabber.@Nullable Opener opener;

    private Builder() {}

    /**
     * Frames per second, more than 0 and at most 60; default 1.
     *
     * @param framesPerSecond frames per second, in (0, 60]
     * @return this builder
     */
    public Builder frameRate(double framesPerSecond) {
      if (!(framesPerSecond > 0) || framesPerSecond > 60) {
        throw new IllegalArgumentException(
            "frameRate must be more than 0 and at most 60, was " + framesPerSecond);
      }
      this.period = Duration.ofNanos(Math.round(1e9 / framesPerSecond));
      return this;
    }

    /**
     * JPEG quality, 0 (smallest) to 1 (best); default 0.8.
     *
     * @param quality the JPEG quality, from 0 to 1
     * @return this builder
     */
    public Builder quality(float quality) {
      if (!(quality >= 0f && quality <= 1f)) {
        throw new IllegalArgumentException("quality must be 0 to 1, was " + quality);
      }
      this.quality = quality;
      return this;
    }

    /**
     * The area of the desktop to capture, in desktop coordinates; default the whole default screen.
     *
     * @param region the rectangle to capture, in desktop coordinates
     * @return this builder
     */
    public Builder region(Rectangle region) {
      Objects.requireNonNull(region, "region");
      if (region.isEmpty()) {
        throw new IllegalArgumentException(
            "region must have a positive width and height, was " + region);
      }
      this.region = new Rectangle(region);
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
     * The scheduler whose clock and timer pace the frames; default {@code Schedulers.parallel()}.
     *
     * @param scheduler the clock and timer; a {@code VirtualTimeScheduler} in tests
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Test seam: where grabs run (default {@code Schedulers.boundedElastic()}). */
    Builder grabScheduler(Scheduler grabScheduler) {
      this.grabScheduler = Objects.requireNonNull(grabScheduler, "grabScheduler");
      return this;
    }

    /** Test seam: what is grabbed instead of the screen. */
    Builder opener(FrameGrabber.Opener opener) {
      this.opener = Objects.requireNonNull(opener, "opener");
      return this;
    }

    /**
     * The source. Nothing is opened until {@link ScreenCapture#frames()} is subscribed.
     *
     * @return a new screen capture
     */
    public ScreenCapture build() {
      return new ScreenCapture(this);
    }
  }
}
