package dev.genaiprocessors.offline.responder;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.offline.OfflineMetadata;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A stand-in for a language model when none is configured: it works out which of a few known intents a
 * user turn means, with a real sentence embedding model (all-MiniLM-L6-v2, run locally), and streams a
 * canned reply word by word. <b>It is not a language model</b> and says so in the metadata of every part
 * it emits ({@code model=}{@value #MODEL}). It lets every pipeline of the project run end to end
 * offline, and behaves deterministically, so tests can assert on it.
 *
 * <p>For a real language model without a cloud, run a local server that speaks the OpenAI chat API
 * (Ollama, or llama.cpp's {@code llama-server}) and point the project's {@code OpenAiChatModel} at it
 * (its base URL on the loopback, any key); nothing else in a pipeline changes.
 *
 * <p><b>As a model.</b> It is turn-based, like any model client: it reads the whole prompt (its input
 * stream, to the end), takes the <em>last user text</em> from it (the last non-blank text part whose role
 * is {@code user} or empty, on the default substream or a final input transcription), and streams the
 * answer as text parts with role {@code model}: the reply's words, with the spaces before them, so that
 * the texts joined give the reply. Every part carries {@link OfflineMetadata#MODEL}, {@link
 * OfflineMetadata#INTENT} and {@link OfflineMetadata#SIMILARITY}.
 *
 * <p><b>Matching.</b> The turn is embedded and compared (cosine similarity) with every example of every
 * intent of the {@link IntentTable} (by default {@link IntentTable#bundled()}: greeting, weather, time,
 * joke, help, goodbye); the intent of the closest example wins, unless the similarity is below the
 * {@link Builder#threshold(double) threshold} (0.45): then a fallback reply is given (and for an empty
 * turn). An intent's replies are used in turn. {@code {time}} in a reply becomes the time of the
 * {@link Builder#scheduler(Scheduler) scheduler}'s clock in the {@link Builder#zone(ZoneId) zone}, as
 * {@code 3:05 PM}.
 *
 * <p><b>Time and threads.</b> Embedding runs on {@code Schedulers.boundedElastic()} (the model loads
 * there on first use, about a second, and the examples are embedded once per responder); each word is
 * emitted after the {@link Builder#wordDelay(Duration) word delay} (40 ms) on the scheduler ({@code
 * Schedulers.parallel()} by default; a virtual-time scheduler in tests). Instances are thread-safe.
 * Loading the model is logged once per JVM, at INFO, with the time it took.
 *
 * <p><b>Offline.</b> The model runs on ONNX Runtime, started by {@code LocalOnnxRuntime} (processors-audio):
 * nothing is sent anywhere and nothing is written to the home directory, and no JVM flag is needed. Use
 * the ONNX Runtime this project is built with (1.28.0): version 1.29.0 sends usage telemetry and crashes
 * a JVM started with a long command line (its telemetry matches the command line with a recursive regex
 * that overflows the main thread's stack), so a version from 1.29 on is refused, with a message saying
 * what to change, unless its telemetry is turned off ({@code ORT_DISABLE_TELEMETRY=1}).
 *
 * <p><b>Errors.</b> A model file that is missing or differs from the one this was checked with (sha256)
 * fails the output with an {@link IllegalStateException} that says so, as does a refused ONNX Runtime. <b>Cancellation</b> stops the
 * answer between words. <b>Buffering</b>: the prompt is held until it ends, as any turn-based model does.
 */
public final class OfflineResponder implements Processor {

  /** What it is, as stated in the {@link OfflineMetadata#MODEL} metadata of its output: {@value}. */
  public static final String MODEL =
      "offline-responder (MiniLM intent match, not a language model)";

  private static final Pattern WORD = Pattern.compile("\\s*\\S+");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("h:mm a", Locale.ENGLISH);

  private final IntentTable table;
  private final double threshold;
  private final Duration wordDelay;
  private final Scheduler scheduler;
  private final ZoneId zone;
  private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();
  private volatile @Nullable List<Example> examples;

  private OfflineResponder(Builder b) {
    this.table = b.table;
    this.threshold = b.threshold;
    this.wordDelay = b.wordDelay;
    this.scheduler = b.scheduler;
    this.zone = b.zone;
  }

  /**
   * A builder with the defaults: bundled intents, threshold 0.45, 40 ms per word on {@code
   * Schedulers.parallel()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    Objects.requireNonNull(input, "input");
    return input
        .collectList()
        .flatMapMany(prompt -> match(lastUserText(prompt)).flatMapMany(this::stream));
  }

  /**
   * What the responder makes of a user turn, without answering: the intent, its similarity and the
   * reply it would give (this takes the intent's next reply, as answering does). Runs on {@code
   * Schedulers.boundedElastic()}.
   *
   * @param userText what the user said
   * @return the match, with the reply that answering would give
   */
  public Mono<IntentMatch> match(String userText) {
    Objects.requireNonNull(userText, "userText");
    return Mono.fromCallable(() -> choose(userText)).subscribeOn(Schedulers.boundedElastic());
  }

  /**
   * Loads the model and embeds the examples now, on {@code Schedulers.boundedElastic()}.
   *
   * @return completes when the model is loaded and the examples embedded; fails when the model cannot be
   *     loaded
   */
  public Mono<Void> load() {
    return Mono.<Void>fromRunnable(this::examples).subscribeOn(Schedulers.boundedElastic());
  }

  @Override
  public String toString() {
    return "OfflineResponder[" + table.intents().size() + " intents, threshold " + threshold + "]";
  }

  /** The answer to a match, word by word: text parts with role {@code model} and the responder's metadata. */
  Flux<Part> stream(IntentMatch match) {
    return Flux.defer(
        () -> {
          String reply = fill(match.reply());
          Map<String, Object> metadata =
              Map.of(
                  OfflineMetadata.MODEL,
                  MODEL,
                  OfflineMetadata.INTENT,
                  match.intent(),
                  OfflineMetadata.SIMILARITY,
                  Math.round(match.similarity() * 1000) / 1000.0);
          List<Part> words = new ArrayList<>();
          Matcher m = WORD.matcher(reply);
          while (m.find()) {
            words.add(Part.text(m.group()).withRole("model").withMetadata(metadata));
          }
          if (wordDelay.isZero()) {
            return Flux.fromIterable(words);
          }
          return Flux.fromIterable(words)
              .concatMap(word -> Mono.delay(wordDelay, scheduler).thenReturn(word));
        });
  }

  /** The last non-blank user text of a prompt, or empty. */
  static String lastUserText(List<Part> prompt) {
    for (int i = prompt.size() - 1; i >= 0; i--) {
      Part p = prompt.get(i);
      if (!p.isText() || p.text().isBlank()) {
        continue;
      }
      boolean userRole = p.role().isEmpty() || p.role().equalsIgnoreCase("user");
      boolean content =
          p.substream().isEmpty()
              || (p.substream().equalsIgnoreCase(Substreams.INPUT_TRANSCRIPTION)
                  && p.isFinalTranscription());
      if (userRole && content) {
        return p.text().strip();
      }
    }
    return "";
  }

  private IntentMatch choose(String userText) {
    if (userText.isBlank()) {
      return fallback(0);
    }
    List<Example> known = examples();
    float[] turn = MiniLmEmbedder.shared().embed(userText);
    Example best = null;
    double bestSimilarity = -1;
    for (Example example : known) {
      double similarity = MiniLmEmbedder.cosine(turn, example.vector);
      if (similarity > bestSimilarity) {
        bestSimilarity = similarity;
        best = example;
      }
    }
    if (best == null || bestSimilarity < threshold) {
      return fallback(bestSimilarity);
    }
    return new IntentMatch(
        best.intent.name(),
        bestSimilarity,
        next(best.intent.name(), nonBlank(best.intent.replies())));
  }

  private IntentMatch fallback(double similarity) {
    return new IntentMatch(
        IntentTable.FALLBACK, similarity, next(IntentTable.FALLBACK, nonBlank(table.fallback())));
  }

  private String next(String intent, List<String> replies) {
    int turn = turns.computeIfAbsent(intent, k -> new AtomicInteger()).getAndIncrement();
    return replies.get(Math.floorMod(turn, replies.size()));
  }

  private String fill(String reply) {
    if (!reply.contains("{time}")) {
      return reply;
    }
    Instant now = Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS));
    return reply.replace("{time}", TIME.format(now.atZone(zone)));
  }

  private List<Example> examples() {
    List<Example> known = examples;
    if (known == null) {
      synchronized (this) {
        known = examples;
        if (known == null) {
          MiniLmEmbedder model = MiniLmEmbedder.shared();
          List<Example> embedded = new ArrayList<>();
          for (IntentTable.Intent intent : table.intents()) {
            for (String example : intent.examples()) {
              if (!example.isBlank()) {
                embedded.add(new Example(intent, model.embed(example)));
              }
            }
          }
          known = List.copyOf(embedded);
          examples = known;
        }
      }
    }
    return known;
  }

  private static List<String> nonBlank(List<String> replies) {
    return replies.stream().filter(r -> !r.isBlank()).toList();
  }

  /** One example user turn and its embedding. */
  private record Example(IntentTable.Intent intent, float[] vector) {}

  /** Configures an {@link OfflineResponder}. */
  public static final class Builder {
    private IntentTable table = IntentTable.bundled();
    private double threshold = 0.45;
    private Duration wordDelay = Duration.ofMillis(40);
    private Scheduler scheduler = Schedulers.parallel();
    private ZoneId zone = ZoneId.systemDefault();

    private Builder() {}

    /**
     * The intents to match (default {@link IntentTable#bundled()}).
     *
     * @param table the intent table
     * @return this builder
     */
    public Builder intents(IntentTable table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * The similarity below which the fallback reply is given; from 0 to 1, default 0.45.
     *
     * @param threshold the least cosine similarity that picks an intent, from 0 to 1
     * @return this builder
     */
    public Builder threshold(double threshold) {
      this.threshold = threshold;
      return this;
    }

    /**
     * The pause before each word; 0 to 5 s, default 40 ms (0: the whole reply at once).
     *
     * @param wordDelay the pause before each word, 0 to 5 s
     * @return this builder
     */
    public Builder wordDelay(Duration wordDelay) {
      this.wordDelay = Objects.requireNonNull(wordDelay, "wordDelay");
      return this;
    }

    /**
     * The scheduler of the word delays and of the clock {@code {time}} reads; default {@code
     * Schedulers.parallel()}.
     *
     * @param scheduler the clock and timers; a {@code VirtualTimeScheduler} in tests
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The time zone {@code {time}} is given in; default the system's.
     *
     * @param zone the time zone of {@code {time}}
     * @return this builder
     */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * The responder; loads nothing yet.
     *
     * @return a new responder
     * @throws IllegalArgumentException when a setting is out of range; the message lists every one
     */
    public OfflineResponder build() {
      List<String> problems = new ArrayList<>();
      if (!(threshold >= 0 && threshold <= 1)) {
        problems.add("threshold must be from 0 to 1, was " + threshold);
      }
      if (wordDelay.isNegative() || wordDelay.compareTo(Duration.ofSeconds(5)) > 0) {
        problems.add("wordDelay must be from 0 to 5 s, was " + wordDelay.toMillis() + " ms");
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid OfflineResponder settings: " + String.join("; ", problems));
      }
      return new OfflineResponder(this);
    }
  }
}
