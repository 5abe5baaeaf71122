package dev.genaiprocessors.live.metrics;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.live.LiveProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The real-time metrics of one conversation, on Micrometer, per stage, read from the parts that flow in
 * and out of any live processor: every {@link LiveProcessor} (Gemini Live, OpenAI Realtime, the local
 * provider), a {@code LiveModelProcessor}, or a chain that ends in a player, get the same meters. A
 * {@link #report()} puts them in the pattern's sections with a verdict.
 *
 * <pre>{@code
 * RealTimeMetrics metrics = RealTimeMetrics.builder().registry(registry).conversation("call-42").build();
 * LiveProcessor live = metrics.observe(GeminiLiveProcessor.builder()...build());
 * microphone.transform(live).transform(speaker).blockLast();
 * System.out.println(metrics.report());
 * }</pre>
 *
 * <p><b>What the parts tell.</b> Parts into the stage are the user's, parts out of it the model's, as the
 * {@link LiveProcessor} table has them. The user's turn ends (an answer is awaited) at the first firm
 * end since the last answer: an end of speech (sent, or heard by the provider's voice detection), an end
 * of turn, a final transcription sent in, or a function result (which always asks for a new answer).
 * Until a firm end comes, a loose one stands in: a user text, an audio-stream end (a processor that reads
 * text into its prompt answers at the end of turn that follows, as {@code LiveModelProcessor} does), or
 * a final input transcription with words coming out (the only sign when the provider shows no speech
 * events; an empty one, where nothing was heard, ends nothing).
 * While an answer is under way, a turn ends only after the user started speaking over it. The answer
 * starts at the model's first content (audio, text or an output transcription, a function call) and ends
 * at an end of turn or an interrupted part. Status and debug parts and the user's transcription are not
 * content.
 *
 * <p><b>Meters</b>, each tagged {@code conversation} and {@code stage} (the provider's name for
 * {@link #observe(LiveProcessor)}):
 * <ul>
 *   <li>{@value #PARTS}: counter, tagged {@code direction=in|out} and {@code kind=audio|text|image|
 *       function_call|function_response|other}: messages sent and received, function calls;</li>
 *   <li>{@value #AUDIO}: counter in seconds, tagged {@code direction}: the audio's playing time;</li>
 *   <li>{@value #TIME_TO_FIRST_TOKEN}: timer from the end of the user's turn to the answer's first
 *       content;</li>
 *   <li>{@value #TIME_TO_FIRST_AUDIO}: timer from the end of the user's turn to the answer's first
 *       audio;</li>
 *   <li>{@value #SPEECH_TO_ANSWER}: timer from the user's end of speech (or audio-stream end) to the
 *       answer's first audio: the user stopped speaking, the assistant started;</li>
 *   <li>{@value #INTERRUPTION_LATENCY}: timer from the user's start of speech over an answer (or an
 *       interrupted part sent in) to the last audio of that answer, recorded when the interrupted part
 *       comes out (0 when no audio came after the start of speech). Observe the chain up to the player
 *       (the live processor then the audio rate limiter) to time the last audio that is played;</li>
 *   <li>{@value #PROCESSING}: timer from the end of the user's turn to the end of an answer that was not
 *       interrupted;</li>
 *   <li>{@value #ANSWERS}, {@value #INTERRUPTIONS} (answers cut short, counted once each),
 *       {@value #ERRORS} (a failed output, an exception part), {@value #DROPPED_MEDIA} (what the
 *       provider's send queue dropped, reported through {@link MediaDrops}): counters;</li>
 *   <li>{@value #UNDERRUNS}: counter, and {@value #AUDIO_GAPS}: timer of each silence (stream
 *       continuity). An underrun is an audio part of an answer that came after the answer's audio so
 *       far would have finished playing, had it played from its first part on; the clock then restarts
 *       at that part. The audio rate limiter counts its own at playback.</li>
 * </ul>
 *
 * <p><b>Cost.</b> With no registry, {@link #observe} returns the processor itself: nothing is recorded,
 * nothing is allocated per part, and no Micrometer class is loaded (Micrometer is an optional dependency
 * of this module; add {@code io.micrometer:micrometer-core} to record). With one, each part costs a
 * counter increment and a short lock per subscription, taken by input and output in turn.
 *
 * <p><b>Time.</b> Every time is read from the scheduler ({@code Schedulers.parallel()} by default), so a
 * {@code VirtualTimeScheduler} drives it in tests.
 *
 * <p><b>Conversations.</b> One instance is one conversation: observing several stages, or subscribing
 * an observed processor more than once, adds up in the same meters. Two instances with the same
 * conversation name on one registry share their meters. {@link #close()} removes the meters from the
 * registry (the report still reads them), so that a server's registry stays flat.
 *
 * <p>Thread-safe. Observing neither changes ordering, demand, errors nor cancellation: parts pass as
 * they are.
 */
public final class RealTimeMetrics implements AutoCloseable {

  /** Counter of parts in and out. */
  public static final String PARTS = "genai.realtime.parts";

  /** Counter of the audio's playing time, in seconds. */
  public static final String AUDIO = "genai.realtime.audio";

  /** Timer from the end of the user's turn to the answer's first content. */
  public static final String TIME_TO_FIRST_TOKEN = "genai.realtime.time.to.first.token";

  /** Timer from the end of the user's turn to the answer's first audio. */
  public static final String TIME_TO_FIRST_AUDIO = "genai.realtime.time.to.first.audio";

  /** Timer from the user's end of speech to the answer's first audio. */
  public static final String SPEECH_TO_ANSWER = "genai.realtime.speech.to.answer";

  /** Timer from the user's start of speech over an answer to its last audio. */
  public static final String INTERRUPTION_LATENCY = "genai.realtime.interruption.latency";

  /** Timer from the end of the user's turn to the end of the answer. */
  public static final String PROCESSING = "genai.realtime.processing";

  /** Timer of the silences inside answers. */
  public static final String AUDIO_GAPS = "genai.realtime.audio.gaps";

  /** Counter of answers started. */
  public static final String ANSWERS = "genai.realtime.answers";

  /** Counter of answers cut short. */
  public static final String INTERRUPTIONS = "genai.realtime.interruptions";

  /** Counter of underruns. */
  public static final String UNDERRUNS = "genai.realtime.underruns";

  /** Counter of errors. */
  public static final String ERRORS = "genai.realtime.errors";

  /** Counter of media dropped by the provider's send queue. */
  public static final String DROPPED_MEDIA = "genai.realtime.dropped.media";

  private final @Nullable MeterRegistry registry;
  private final String conversation;
  private final Scheduler scheduler;
  private final RealTimeThresholds thresholds;

  /** The stages, in the order first observed; guarded by itself. */
  private final Map<String, StageMeters> stages = new LinkedHashMap<>();

  private RealTimeMetrics(Builder b) {
    this.registry = b.registry;
    this.conversation = b.conversation;
    this.scheduler = b.scheduler;
    this.thresholds = b.thresholds;
  }

  /**
   * A builder with the defaults: no registry (nothing recorded), conversation {@code conversation},
   * {@code Schedulers.parallel()}, {@link RealTimeThresholds#DEFAULTS}.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The conversation's name, the {@code conversation} tag.
   *
   * @return the name
   */
  public String conversation() {
    return conversation;
  }

  /**
   * {@code live} with its parts measured as stage {@code live.provider()}, or {@code live} itself when
   * there is no registry. The provider's dropped media are counted when it reports them through
   * {@link MediaDrops}.
   *
   * @param live the live provider
   * @return the observed provider, with the same name and rates
   */
  public LiveProcessor observe(LiveProcessor live) {
    Objects.requireNonNull(live, "live");
    if (registry == null) {
      return live;
    }
    Processor observed = observe(live.provider(), live);
    return new LiveProcessor() {
      @Override
      public Flux<Part> apply(Flux<Part> input) {
        return observed.apply(input);
      }

      @Override
      public String provider() {
        return live.provider();
      }

      @Override
      public int inputSampleRate() {
        return live.inputSampleRate();
      }

      @Override
      public int outputSampleRate() {
        return live.outputSampleRate();
      }

      @Override
      public String toString() {
        return "Observed[" + live + "]";
      }
    };
  }

  /**
   * {@code processor} with its parts measured as stage {@code stage}, or {@code processor} itself when
   * there is no registry: a {@code LiveModelProcessor}, a provider followed by a player, any processor
   * of the live contract.
   *
   * @param stage the stage's name, the {@code stage} tag
   * @param processor the processor
   * @return the observed processor: each subscription follows its own turns into the stage's meters
   */
  public Processor observe(String stage, Processor processor) {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(processor, "processor");
    if (registry == null) {
      return processor;
    }
    StageMeters meters = stage(stage, registry);
    MediaDrops drops = meters::droppedMedia;
    return input ->
        Flux.defer(
            () -> {
              StageObserver observer = new StageObserver(meters);
              meters.started(now());
              return processor
                  .apply(input.doOnNext(part -> observer.input(part, now())))
                  .doOnNext(part -> observer.output(part, now()))
                  .doOnError(error -> observer.failed())
                  .doFinally(signal -> meters.ended(now()))
                  .contextWrite(context -> MediaDrops.into(context, drops));
            });
  }

  /**
   * The report of what was measured so far, with every stage observed; with no registry, a report with
   * no stage.
   *
   * @return a snapshot
   */
  public RealTimeReport report() {
    List<RealTimeReport.Stage> snapshot = new ArrayList<>();
    if (registry != null) {
      long now = now();
      for (StageMeters m : stages()) {
        snapshot.add(m.snapshot(now));
      }
    }
    return new RealTimeReport(conversation, snapshot, thresholds);
  }

  /** Removes this conversation's meters from the registry; {@link #report()} still reads them. */
  @Override
  public void close() {
    if (registry != null) {
      for (StageMeters m : stages()) {
        m.remove();
      }
    }
  }

  @Override
  public String toString() {
    return "RealTimeMetrics[" + conversation + (registry == null ? ", off]" : "]");
  }

  private List<StageMeters> stages() {
    synchronized (stages) {
      return List.copyOf(stages.values());
    }
  }

  private StageMeters stage(String stage, MeterRegistry on) {
    synchronized (stages) {
      return stages.computeIfAbsent(stage, s -> new StageMeters(on, conversation, s));
    }
  }

  private long now() {
    return scheduler.now(TimeUnit.NANOSECONDS);
  }

  /** Configures a {@link RealTimeMetrics}; setters check their argument at once. */
  public static final class Builder {
    private @Nullable MeterRegistry registry;
    private String conversation = "conversation";
    private Scheduler scheduler = Schedulers.parallel();
    private RealTimeThresholds thresholds = RealTimeThresholds.DEFAULTS;

    private Builder() {}

    /**
     * Where to record; default none, and then nothing is recorded.
     *
     * @param registry the registry, or null to record nothing
     * @return this builder
     */
    public Builder registry(@Nullable MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    /**
     * The conversation's name, the {@code conversation} tag; default {@code conversation}.
     *
     * @param conversation a name, unique among the conversations a registry holds at once
     * @return this builder
     * @throws IllegalArgumentException when the name is blank
     */
    public Builder conversation(String conversation) {
      Objects.requireNonNull(conversation, "conversation");
      if (conversation.isBlank()) {
        throw new IllegalArgumentException("conversation must name the conversation, was blank");
      }
      this.conversation = conversation;
      return this;
    }

    /**
     * The scheduler whose clock times everything; default {@code Schedulers.parallel()}.
     *
     * @param scheduler the clock (a virtual-time one in tests)
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The limits of the report's verdict; default {@link RealTimeThresholds#DEFAULTS}.
     *
     * @param thresholds the limits
     * @return this builder
     */
    public Builder thresholds(RealTimeThresholds thresholds) {
      this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
      return this;
    }

    /**
     * The metrics of a new conversation.
     *
     * @return new metrics; the builder may be used again
     */
    public RealTimeMetrics build() {
      return new RealTimeMetrics(this);
    }
  }
}
