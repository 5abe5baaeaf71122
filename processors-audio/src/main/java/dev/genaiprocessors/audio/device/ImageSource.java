package dev.genaiprocessors.audio.device;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.Substreams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Plays image files as a stream of frames, like a camera: {@code image/jpeg} or {@code image/png} parts
 * (by file extension) at a frame rate, role {@code user}, substream {@code realtime}, each with
 * {@code capture_time} (milliseconds of the scheduler's clock at its tick). For demos, tests and
 * offline runs of pipelines that watch a camera or a screen.
 *
 * <pre>{@code
 * ImageSource.builder().folder(Path.of("frames")).frameRate(1).loop(true).build()
 *     .frames()
 *     .transform(eventDetection)
 *     .subscribe();
 * }</pre>
 *
 * <p><b>Files</b>: a list of files in the order given, or the {@code .jpg}, {@code .jpeg} and {@code .png}
 * files of a folder (not its subfolders) sorted by name. The folder is listed when the stream is
 * subscribed; each file is read when its frame is due, so changes to a file show on the next loop.
 *
 * <p><b>Time</b>: frame {@code k} is due at {@code k / frameRate} seconds after subscription on the
 * {@link Builder#scheduler(Scheduler) scheduler} ({@code Schedulers.parallel()} by default, a virtual
 * clock in tests); it is emitted as soon as its file is read. Without {@link Builder#loop(boolean) loop}
 * the stream completes after the last file; with it, it starts over and never completes.
 *
 * <p><b>Threads</b>: listing and reading block, so they run on {@code Schedulers.boundedElastic()}, where
 * frames are emitted.
 *
 * <p><b>Buffering</b>: latest only. Frames are read on their ticks whatever the demand; a consumer that
 * is not ready gets, when it asks, the latest frame read, never a queue of older ones. A tick that comes
 * while the file before it is still being read waits (one at most); later ones are skipped. At most one
 * read frame is held.
 *
 * <p><b>Errors</b>: a missing folder fails the stream with {@link NoSuchFileException} (a file instead of a
 * folder: {@link NotDirectoryException}); a folder with no images with a {@link NoSuchFileException} that
 * says so; a file that cannot be read with its {@link IOException}. <b>Cancellation</b> stops the ticks; a
 * read in progress finishes and its frame is discarded.
 */
public final class ImageSource {

  private static final Logger log = LoggerFactory.getLogger(ImageSource.class);

  private final @Nullable List<Path> files;
  private final @Nullable Path folder;
  private final Duration period;
  private final boolean loop;
  private final String role;
  private final String substream;
  private final Scheduler scheduler;

  private ImageSource(Builder b) {
    this.files = b.files;
    this.folder = b.folder;
    this.period = b.period;
    this.loop = b.loop;
    this.role = b.role;
    this.substream = b.substream;
    this.scheduler = b.scheduler;
  }

  /**
   * A builder; give it {@link Builder#files(List) files} or a {@link Builder#folder(Path) folder}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The frames; each subscription plays the files afresh from the first.
   *
   * @return the frames, as image parts paced by the frame rate
   */
  public Flux<Part> frames() {
    return Mono.fromCallable(this::imageFiles)
        .subscribeOn(Schedulers.boundedElastic())
        .flatMapMany(this::play);
  }

  private Flux<Part> play(List<Path> images) {
    int count = images.size();
    return Flux.interval(Duration.ZERO, period, scheduler)
        .onBackpressureDrop(tick -> log.debug("frame {} skipped: the consumer was not ready", tick))
        .takeUntil(tick -> !loop && tick >= count - 1)
        .filter(tick -> loop || tick < count)
        .map(
            tick -> new Due(images.get((int) (tick % count)), scheduler.now(TimeUnit.MILLISECONDS)))
        .concatMap(
            due -> Mono.fromCallable(() -> read(due)).subscribeOn(Schedulers.boundedElastic()), 1)
        .onBackpressureLatest();
  }

  /** A frame that is due: its file, and the time of its tick. */
  private record Due(Path file, long tickMillis) {}

  private Part read(Due due) throws IOException {
    return Part.image(Files.readAllBytes(due.file()), mimeType(due.file()).orElseThrow())
        .withRole(role)
        .withSubstream(substream)
        .withMetadata(PartMetadata.CAPTURE_TIME, due.tickMillis());
  }

  private List<Path> imageFiles() throws IOException {
    if (files != null) {
      return files;
    }
    Path dir = Objects.requireNonNull(folder);
    if (!Files.exists(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "image folder does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new NotDirectoryException(dir.toString());
    }
    List<Path> found;
    try (Stream<Path> listing = Files.list(dir)) {
      found =
          listing
              .filter(p -> mimeType(p).isPresent() && Files.isRegularFile(p))
              .sorted(Comparator.comparing(p -> p.getFileName().toString()))
              .toList();
    }
    if (found.isEmpty()) {
      throw new NoSuchFileException(
          dir.toString(), null, "no .jpg, .jpeg or .png images in this folder");
    }
    log.debug("playing {} images from {}", found.size(), dir);
    return found;
  }

  /** {@code image/jpeg} for {@code .jpg}/{@code .jpeg}, {@code image/png} for {@code .png} (any case), else empty. */
  static Optional<String> mimeType(Path file) {
    Path name = file.getFileName();
    String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
      return Optional.of("image/jpeg");
    }
    if (lower.endsWith(".png")) {
      return Optional.of("image/png");
    }
    return Optional.empty();
  }

  /** Configures an {@link ImageSource}; every setter checks its argument at once (no file is touched). */
  public static final class Builder {
    private @Nullable List<Path> files;
    private @Nullable Path folder;
    private Duration period = Duration.ofSeconds(1);
    private boolean loop;
    private String role = "user";
    private String substream = Substreams.REALTIME;
    private Scheduler scheduler = Schedulers.parallel();

    private Builder() {}

    /**
     * Plays these files in this order (replacing any folder).
     *
     * @param files the image files, in play order, at least one
     * @return this builder
     * @throws IllegalArgumentException for an empty list or a file not named {@code .jpg}, {@code .jpeg} or {@code .png}
     */
    public Builder files(List<Path> files) {
      Objects.requireNonNull(files, "files");
      if (files.isEmpty()) {
        throw new IllegalArgumentException("no image files given");
      }
      for (Path file : files) {
        if (mimeType(Objects.requireNonNull(file, "file")).isEmpty()) {
          throw new IllegalArgumentException("'" + file + "' is not a .jpg, .jpeg or .png file");
        }
      }
      this.files = List.copyOf(files);
      this.folder = null;
      return this;
    }

    /**
     * {@link #files(List)} with the files given in line.
     *
     * @param files the image files, in play order, at least one
     * @return this builder
     */
    public Builder files(Path... files) {
      return files(List.of(files));
    }

    /**
     * Plays the {@code .jpg}, {@code .jpeg} and {@code .png} files of this folder sorted by name (replacing
     * any files).
     *
     * @param folder a folder holding the images
     * @return this builder
     */
    public Builder folder(Path folder) {
      this.folder = Objects.requireNonNull(folder, "folder");
      this.files = null;
      return this;
    }

    /**
     * Frames per second, more than 0 and at most 1000; default 1.
     *
     * @param framesPerSecond frames per second, in (0, 1000]
     * @return this builder
     */
    public Builder frameRate(double framesPerSecond) {
      if (!(framesPerSecond > 0) || framesPerSecond > 1000) {
        throw new IllegalArgumentException(
            "frameRate must be more than 0 and at most 1000, was " + framesPerSecond);
      }
      this.period = Duration.ofNanos(Math.round(1e9 / framesPerSecond));
      return this;
    }

    /**
     * Whether to start over after the last file (and never complete); default false.
     *
     * @param loop true to play the files again and again
     * @return this builder
     */
    public Builder loop(boolean loop) {
      this.loop = loop;
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

    /**
     * The source.
     *
     * @return a new image source
     * @throws IllegalStateException when neither files nor a folder were given
     */
    public ImageSource build() {
      if (files == null && folder == null) {
        throw new IllegalStateException("give the images with files(...) or folder(...)");
      }
      return new ImageSource(this);
    }
  }
}
