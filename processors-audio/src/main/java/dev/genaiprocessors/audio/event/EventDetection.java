package dev.genaiprocessors.audio.event;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.Processor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Watches a stream of images with a detection model and injects the parts configured for each change
 * of event into the stream: "a person entered the frame", "the screen shows an error dialog".
 *
 * <pre>{@code
 * Processor detection = EventDetection.builder(cheapVisionModel)
 *     .on("*", "detected", Part.text("start commentating").withSubstream("realtime"))
 *     .on("detected", "clear", Part.text("stop commentating").withSubstream("realtime"))
 *     .sensitivity("*", "detected", 1)     // fire on the second "detected" in a row
 *     .build();
 * camera.frames().transform(detection).transform(liveModel);
 * }</pre>
 *
 * <p><b>Inputs</b>: images by default; audio parts with {@link Builder#detectAudio(boolean)} and text
 * parts of at least {@link Builder#detectText(int) n} characters (substantial text only) on demand.
 * Whatever a detector watches goes through the same window and prompt as images do. Several named
 * detectors, each with its own inputs, backend and table, run over one stream with {@link
 * #all(List)}.
 *
 * <p><b>Detection</b>: the latest {@link Builder#maxImages(int) 5} images of the input (any {@code image/*}
 * part) are kept with their capture times, read from the {@link Builder#scheduler(Scheduler) scheduler}'s
 * clock when each image arrives. A detection sends the backend a prompt of those images, oldest first,
 * each followed by a text part with its time relative to the first image of the prompt as
 * {@code mm:ss} (rounded to the second; minutes do not wrap). Prompt parts have role {@code user}; the
 * images carry their content only (no substream or metadata). The backend's answer is the text of its
 * text parts outside reserved substreams, joined; the event is that text trimmed and lower-cased, and
 * a blank answer is ignored. When the backend answers with several candidates, text parts with a
 * numeric {@value #CONFIDENCE} metadata, the answer is the text of the most confident one (the first
 * of equals) and parts without it are ignored.
 *
 * <p><b>Transitions</b>: the state starts as {@link #START} ({@code ""}). An event {@code e} detected in
 * state {@code s} is the transition {@code (s, e)}. It is looked up in the table given with
 * {@link Builder#on(String, String, List)}: first as declared, then as {@code ("*", e)}; so a wildcard
 * applies from every state, the start state included, and an explicit entry overrides it. A transition
 * fires when it is in the table, or when {@code s} is the start state (then with no output); a
 * self-transition ({@code e == s}) never fires, and other transitions are ignored (the state stays).
 * With a {@link Builder#sensitivity(String, String, int) sensitivity} of {@code n} (default 0), a
 * transition fires on its {@code (n+1)}-th consecutive detection: any other answer in between, the
 * current state included, restarts the count. When a transition fires, its parts are emitted in the
 * order given (none for an empty list) and the state moves to {@code e}.
 *
 * <p><b>Ordering</b>: every input part is emitted at once, in input order. Parts of a transition are
 * emitted, in their order, when the detection that fired it ends, between input parts: usually after
 * the image that started it and some input that came while it ran (when the consumer lags, Reactor's
 * merge may release them before input parts already waiting).
 *
 * <p><b>Concurrency</b>: at most {@link Builder#maxConcurrentDetections(int) one} detection is in
 * flight per subscription (configurable). An image that arrives while the cap is reached joins the
 * window but starts nothing; the first image that arrives after one ends starts the next one, with
 * the window as it is then. With a cap above one, answers reach the state machine one at a time in
 * the order they come back, which need not be the order the detections started. So a slow backend never sees a queue of stale
 * prompts, only the latest images (latest-only). The backend runs on whatever threads it chooses.
 *
 * <p><b>Buffering</b>: the window holds at most {@code maxImages} images (oldest dropped); transition
 * output waits for demand like any other part. Input is not read ahead beyond Reactor's usual prefetch.
 *
 * <p><b>Completion, errors, cancellation</b>: when the input completes, a detection in flight is
 * cancelled (its answer is never used) and the output completes. An error of the input or of the
 * backend fails the output with the original exception and cancels the rest. Cancelling the output
 * cancels the input and the detection in flight.
 *
 * <p><b>Debounce</b> ({@link Builder#debounce(Duration)}, default none): a transition into an event
 * that fired less than this long ago, on the scheduler's clock, is suppressed: it emits nothing, the
 * state stays and its run of detections restarts. Unlike the sensitivity, this counts time, per
 * event, whatever was detected in between.
 *
 * <p><b>Stale images</b> ({@link Builder#maxAge(Duration)}, default none): an image whose {@link
 * PartMetadata#CAPTURE_TIME} (milliseconds, on the scheduler's clock) is older than this when it
 * arrives is passed on but neither joins the window nor starts a detection. Images without a capture
 * time are never stale.
 *
 * <p><b>Metadata</b>: every part a transition emits carries {@value #DETECTOR} (the detector's {@link
 * Builder#name(String) name}) and {@value #DETECTION_TIME} (when the answer came, in milliseconds of
 * the scheduler's clock).
 *
 * <p><b>Failures as debug parts</b> ({@link Builder#errorsAsDebugParts(boolean)}, default false): a
 * backend error becomes a {@code debug} part naming the detector and the error, the state stays,
 * and the stream goes on; the next image starts the next detection.
 *
 * <p><b>Metrics</b> ({@link Builder#meterRegistry(MeterRegistry)}; none by default, which loads no
 * Micrometer class and costs nothing), tagged {@code detector=<name>}: counters {@value
 * #EVENTS_DETECTED} (transitions fired) and {@value #EVENTS_DEBOUNCED}, and the timer {@value
 * #DETECTION_LATENCY} from the start of a detection to its answer, on the scheduler's clock.
 *
 * <p><b>State</b> (window, current state, counts) belongs to one subscription: each subscription starts
 * afresh from {@link #START}. An instance is immutable and may be shared.
 *
 * <p>Compared with the original {@code EventDetection}: transition values are lists of parts (its
 * docstring's single part would have failed), and a wildcard also applies from a state reached from
 * the start state without a table entry (the original stayed stuck in such a state).
 */
public final class EventDetection implements Processor {

  /** The state before any event fires: {@value}. */
  public static final String START = "";

  /** In the from-position of a transition, any state, the start state included: {@value}. */
  public static final String ANY = "*";

  /** How many latest images a detection sees unless configured: {@value}. */
  public static final int DEFAULT_MAX_IMAGES = 5;

  /** Metadata key on emitted parts: the name of the detector that fired the transition: {@value}. */
  public static final String DETECTOR = "detector";

  /** Metadata key on emitted parts: when the detection answered, scheduler milliseconds: {@value}. */
  public static final String DETECTION_TIME = "detection_time";

  /** Metadata key on the backend's candidate answers: a number, higher is surer: {@value}. */
  public static final String CONFIDENCE = "confidence";

  /** The detector's name unless configured: {@value}. */
  public static final String DEFAULT_NAME = "default";

  /** Counter of transitions fired: {@value}. */
  public static final String EVENTS_DETECTED = "genai.event.detected";

  /** Counter of transitions suppressed by the debounce: {@value}. */
  public static final String EVENTS_DEBOUNCED = "genai.event.debounced";

  /** Timer from the start of a detection to its answer: {@value}. */
  public static final String DETECTION_LATENCY = "genai.event.detection.latency";

  /**
   * A change of state, from one event to another. {@code from} may be {@link #START} or {@link #ANY};
   * {@code to} is a detectable event: not blank, not {@code "*"}, already trimmed and lower-cased
   * (answers are).
   */
  public record Transition(String from, String to) {
    /**
     * Checks the transition.
     *
     * @param from the state it leaves: an event, {@link #START} or {@link #ANY}; trimmed and lower-cased
     * @param to the event it enters, trimmed and lower-cased
     * @throws IllegalArgumentException when {@code to} is not a detectable event, {@code from} is not
     *     trimmed and lower-cased, or the transition is a self-transition (which never fires)
     */
    public Transition {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      if (to.isEmpty() || to.equals(ANY)) {
        throw new IllegalArgumentException(
            "the target of a transition must be an event, not '"
                + to
                + "' (the start state and '*' are never detected)");
      }
      requireNormalised(to, "to");
      if (!from.equals(ANY)) {
        requireNormalised(from, "from");
      }
      if (from.equals(to)) {
        throw new IllegalArgumentException(
            "self-transition ('" + from + "' to itself) never fires; remove it from the table");
      }
    }

    private static void requireNormalised(String state, String name) {
      if (!state.equals(state.strip().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "state '"
                + state
                + "' ("
                + name
                + ") can never match: events are "
                + "trimmed and lower-cased; use '"
                + state.strip().toLowerCase(Locale.ROOT)
                + "'");
      }
    }
  }

  final Processor backend;
  final Map<Transition, List<Part>> outputs;
  final Map<Transition, Integer> sensitivities;
  final int maxImages;
  final Scheduler scheduler;
  final String name;
  final long debounceMillis;
  final long maxAgeMillis;
  final boolean errorsAsDebugParts;
  final EventMeters meters;
  final int maxConcurrent;
  final boolean detectImages;
  final boolean detectAudio;
  final int minTextChars;

  private EventDetection(Builder b) {
    this.backend = b.backend;
    this.outputs = Map.copyOf(b.outputs);
    this.sensitivities = Map.copyOf(b.sensitivities);
    this.maxImages = b.maxImages;
    this.scheduler = b.scheduler;
    this.name = b.name;
    this.debounceMillis = b.debounce.toMillis();
    this.maxAgeMillis = b.maxAge == null ? -1 : b.maxAge.toMillis();
    this.errorsAsDebugParts = b.errorsAsDebugParts;
    this.maxConcurrent = b.maxConcurrent;
    this.detectImages = b.detectImages;
    this.detectAudio = b.detectAudio;
    this.minTextChars = b.minTextChars;
    this.meters = b.registry == null ? EventMeters.NONE : EventMeters.of(b.registry, b.name);
  }

  /**
   * A builder for detection with this backend: a processor that answers a prompt of images and
   * timestamps with the name of the event it sees, as text.
   *
   * @param backend the model that names the event it sees
   * @return a new builder
   */
  public static Builder builder(Processor backend) {
    return new Builder(backend);
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    Objects.requireNonNull(input, "input");
    return all(List.of(this)).apply(input);
  }

  /**
   * Several named detectors over one stream: every input part is emitted once, at once, in input
   * order, and each detector adds the parts of its own transitions, with its own window, state,
   * debounce, cap and metrics, as if it ran alone. Completion, errors and cancellation are those of
   * a single detector: the input's end cancels every detection in flight; an error of the input or of
   * any detector (unless it turns errors into debug parts) fails the output.
   *
   * @param detectors the detectors, at least one, with distinct {@linkplain Builder#name(String)
   *     names}
   * @return a processor running them all
   * @throws IllegalArgumentException for no detectors or two with the same name
   */
  public static Processor all(List<EventDetection> detectors) {
    List<EventDetection> copy = List.copyOf(detectors);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("give at least one detector");
    }
    if (copy.stream().map(d -> d.name).distinct().count() != copy.size()) {
      throw new IllegalArgumentException(
          "detector names must be distinct (Builder.name), were "
              + copy.stream().map(d -> d.name).toList());
    }
    return input ->
        Flux.defer(
            () -> {
              Sinks.Empty<Void> inputEnded = Sinks.empty();
              return input.publish(
                  shared -> {
                    List<Flux<Part>> branches = new ArrayList<>(copy.size() + 1);
                    branches.add(shared.doOnComplete(inputEnded::tryEmitEmpty));
                    for (EventDetection d : copy) {
                      branches.add(new Detector(d).detections(shared, inputEnded.asMono()));
                    }
                    return Flux.merge(branches);
                  });
            });
  }

  /**
   * The answer in these text parts: the most confident candidate's text when some carry a numeric
   * {@value #CONFIDENCE}, else all the text joined.
   */
  static String answer(List<Part> texts) {
    return DetectionAnswer.of(texts);
  }

  /** Configures an {@link EventDetection}; every setter checks its argument at once. */
  public static final class Builder {
    private final Processor backend;
    private final Map<Transition, List<Part>> outputs = new LinkedHashMap<>();
    private final Map<Transition, Integer> sensitivities = new LinkedHashMap<>();
    private int maxImages = DEFAULT_MAX_IMAGES;
    private Scheduler scheduler = Schedulers.parallel();
    private String name = DEFAULT_NAME;
    private Duration debounce = Duration.ZERO;
    private @Nullable Duration maxAge;
    private boolean errorsAsDebugParts;
    private @Nullable MeterRegistry registry;
    private int maxConcurrent = 1;
    private boolean detectImages = true;
    private boolean detectAudio;
    private int minTextChars;

    private Builder(Processor backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
    }

    /**
     * Emits these parts, in this order, when the transition fires; no parts: the transition fires and
     * moves the state silently.
     *
     * @param from a state, {@link #START} or {@link #ANY}
     * @param to an event, trimmed and lower-cased
     * @param parts the parts to emit, in order; may be empty
     * @return this builder
     * @throws IllegalArgumentException for a transition that can never fire (see {@link Transition}) or
     *     one declared twice
     */
    public Builder on(String from, String to, List<Part> parts) {
      Transition transition = new Transition(from, to);
      List<Part> copy = List.copyOf(Objects.requireNonNull(parts, "parts"));
      if (outputs.putIfAbsent(transition, copy) != null) {
        throw new IllegalArgumentException(
            "transition " + describe(transition) + " declared twice");
      }
      return this;
    }

    /**
     * {@link #on(String, String, List)} with the parts given in line.
     *
     * @param from a state, {@link #START} or {@link #ANY}
     * @param to an event, trimmed and lower-cased
     * @param parts the parts to emit, in order; may be none
     * @return this builder
     */
    public Builder on(String from, String to, Part... parts) {
      return on(from, to, List.of(parts));
    }

    /**
     * Adds every entry of a transition table, as {@link #on(String, String, List)} would.
     *
     * @param table the transitions and the parts each emits
     * @return this builder
     */
    public Builder transitions(Map<Transition, List<Part>> table) {
      Objects.requireNonNull(table, "table").forEach((t, parts) -> on(t.from(), t.to(), parts));
      return this;
    }

    /**
     * How many consecutive detections of a transition to ignore before it fires: with {@code n} it
     * fires on the {@code (n+1)}-th. Default 0. {@code from} may be {@link #ANY}; an entry for an exact
     * transition overrides it.
     *
     * @param from a state, {@link #START} or {@link #ANY}
     * @param to an event, trimmed and lower-cased
     * @param ignoredDetections how many consecutive detections to ignore, zero or more
     * @return this builder
     * @throws IllegalArgumentException for a negative count or a transition that can never fire
     */
    public Builder sensitivity(String from, String to, int ignoredDetections) {
      if (ignoredDetections < 0) {
        throw new IllegalArgumentException(
            "sensitivity must not be negative, was " + ignoredDetections);
      }
      sensitivities.put(new Transition(from, to), ignoredDetections);
      return this;
    }

    /**
     * How many of the latest images a detection sees; default {@value #DEFAULT_MAX_IMAGES}.
     *
     * @param maxImages how many images, at least 1
     * @return this builder
     */
    public Builder maxImages(int maxImages) {
      if (maxImages < 1) {
        throw new IllegalArgumentException("maxImages must be at least 1, was " + maxImages);
      }
      this.maxImages = maxImages;
      return this;
    }

    /**
     * The scheduler whose clock stamps the images; default {@code Schedulers.parallel()}.
     *
     * @param scheduler the clock that stamps the images; a {@code VirtualTimeScheduler} in tests
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The detector's name, put in the {@value #DETECTOR} metadata and the meters' tag; default
     * {@value #DEFAULT_NAME}.
     *
     * @param name the name, not blank
     * @return this builder
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /**
     * How long after a transition into an event fired another transition into it is suppressed;
     * default zero (none).
     *
     * @param debounce the quiet time per event, zero or positive
     * @return this builder
     */
    public Builder debounce(Duration debounce) {
      Objects.requireNonNull(debounce, "debounce");
      if (debounce.isNegative()) {
        throw new IllegalArgumentException("debounce must not be negative, was " + debounce);
      }
      this.debounce = debounce;
      return this;
    }

    /**
     * Images captured longer ago than this are not detected on; default none.
     *
     * @param maxAge the oldest capture time accepted, relative to the scheduler's clock; positive
     * @return this builder
     */
    public Builder maxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /**
     * Whether images ({@code image/*}) are detected on; default true.
     *
     * @param detectImages true to watch images
     * @return this builder
     */
    public Builder detectImages(boolean detectImages) {
      this.detectImages = detectImages;
      return this;
    }

    /**
     * Whether audio parts are detected on (a sound detector); default false.
     *
     * @param detectAudio true to watch audio
     * @return this builder
     */
    public Builder detectAudio(boolean detectAudio) {
      this.detectAudio = detectAudio;
      return this;
    }

    /**
     * Detects on text parts (outside reserved substreams) of at least this many characters, so that
     * only substantial text costs a detection; default 0, text is not watched.
     *
     * @param minChars the shortest text watched, at least 1
     * @return this builder
     */
    public Builder detectText(int minChars) {
      if (minChars < 1) {
        throw new IllegalArgumentException("minChars must be at least 1, was " + minChars);
      }
      this.minTextChars = minChars;
      return this;
    }

    /**
     * How many detections may be in flight at once; default 1.
     *
     * @param maxConcurrentDetections the cap, at least 1
     * @return this builder
     */
    public Builder maxConcurrentDetections(int maxConcurrentDetections) {
      if (maxConcurrentDetections < 1) {
        throw new IllegalArgumentException(
            "maxConcurrentDetections must be at least 1, was " + maxConcurrentDetections);
      }
      this.maxConcurrent = maxConcurrentDetections;
      return this;
    }

    /**
     * Whether a backend error becomes a {@code debug} part (true) or fails the output (false, the
     * default).
     *
     * @param errorsAsDebugParts true to keep the stream going when the backend fails
     * @return this builder
     */
    public Builder errorsAsDebugParts(boolean errorsAsDebugParts) {
      this.errorsAsDebugParts = errorsAsDebugParts;
      return this;
    }

    /**
     * Where to record detections, debounces and latency; default none, which records nothing at no
     * cost. Micrometer is an optional dependency of this module: add it to use this.
     *
     * @param registry the registry, or null to record nothing
     * @return this builder
     */
    public Builder meterRegistry(@Nullable MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    /**
     * The processor.
     *
     * @return a new event detection processor
     */
    public EventDetection build() {
      return new EventDetection(this);
    }

    private static String describe(Transition t) {
      return "('" + t.from() + "' -> '" + t.to() + "')";
    }
  }
}
