package dev.genaiprocessors.live;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link HistoryPolicy} that compresses the history when it nears a part or token budget, keeps
 * important parts whatever happens, and summarises the rest.
 *
 * <pre>{@code
 * HistoryPolicy policy = HistoryCompression.builder(200).keywords("order", "address").summarizer(model).build();
 * }</pre>
 *
 * <p><b>Trigger</b>: at 80 % of the {@link Builder#maxParts part budget} (that is, when the history
 * holds {@code maxParts * 8 / 10} parts or more), or when the {@link TokenCounter} counts {@link
 * Builder#tokenBudget(int) 32,000 tokens} or more. Below both, the history is kept as it is.
 *
 * <p><b>Important parts</b> are never dropped nor summarised: parts of role {@code system}, parts
 * with metadata {@value #IMPORTANT}{@code =true}, function calls and responses, and text parts that
 * hold one of the {@link Builder#keywords(String...) keywords} (case-insensitive).
 *
 * <p><b>Compression</b>: the last {@link Builder#keepRecent(int) 4} parts are kept as they are; the
 * other parts that are not important are replaced by one summary part, placed first, followed by the
 * important older parts in their order, then the recent ones. The summary is the {@link
 * Builder#summarizer(Processor) summarising model}'s answer (a {@code system} part with {@value
 * #COMPRESSED} metadata holding how many parts it replaces). With no model, when the model fails or
 * answers nothing, the summary is extractive: the first and last of the replaced messages with
 * {@code [... N messages ...]} between, also role {@code system} with {@value #COMPRESSED} metadata.
 * A failing model is logged, never an error of the conversation.
 *
 * <p>Immutable and thread-safe; the model runs on its own threads and nothing blocks.
 */
public final class HistoryCompression implements HistoryPolicy {

  private static final Logger log = LoggerFactory.getLogger(HistoryCompression.class);

  /** Metadata key that marks a part as important (value {@code true}): {@value}. */
  public static final String IMPORTANT = "important";

  /** Metadata key on a summary part: how many parts it replaces: {@value}. */
  public static final String COMPRESSED = ExtractiveSummary.COMPRESSED;

  /** The token budget unless configured: {@value}. */
  public static final int DEFAULT_TOKEN_BUDGET = 32_000;

  private final int maxParts;
  private final int tokenBudget;
  private final TokenCounter counter;
  private final Set<String> keywords;
  private final @Nullable Processor summarizer;
  private final int keepRecent;

  private HistoryCompression(Builder b) {
    this.maxParts = b.maxParts;
    this.tokenBudget = b.tokenBudget;
    this.counter = b.counter;
    this.keywords = Set.copyOf(b.keywords);
    this.summarizer = b.summarizer;
    this.keepRecent = b.keepRecent;
  }

  /**
   * A builder for a policy with this part budget.
   *
   * @param maxParts the part budget, at least 1; compression starts at 80 % of it
   * @return a new builder
   */
  public static Builder builder(int maxParts) {
    return new Builder(maxParts);
  }

  /**
   * Whether compression would drop or summarise this part: false for the important parts of the
   * class comment.
   *
   * @param part a part of the history
   * @return true when the part is important and is always kept
   */
  public boolean isImportant(Part part) {
    if ("system".equalsIgnoreCase(part.role())
        || Boolean.TRUE.equals(part.metadata(IMPORTANT))
        || part.isFunctionCall()
        || part.isFunctionResponse()) {
      return true;
    }
    if (!part.isText() || keywords.isEmpty()) {
      return false;
    }
    String text = part.text().toLowerCase(Locale.ROOT);
    for (String keyword : keywords) {
      if (text.contains(keyword)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether this history has reached a budget.
   *
   * @param history the history, oldest first
   * @return true at 80 % of the part budget or at the token budget
   */
  public boolean needsCompression(List<Part> history) {
    if ((long) history.size() * 10 >= (long) maxParts * 8) {
      return true;
    }
    long tokens = 0;
    for (Part p : history) {
      tokens += counter.count(p);
      if (tokens >= tokenBudget) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Mono<List<Part>> compress(List<Part> history, long nowMillis) {
    if (!needsCompression(history)) {
      return Mono.just(history);
    }
    int split = Math.max(0, history.size() - keepRecent);
    List<Part> recent = history.subList(split, history.size());
    List<Part> important = new ArrayList<>();
    List<Part> replaced = new ArrayList<>();
    for (Part p : history.subList(0, split)) {
      (isImportant(p) ? important : replaced).add(p);
    }
    if (replaced.isEmpty()) {
      return Mono.just(history);
    }
    return summary(replaced)
        .map(
            summary -> {
              List<Part> kept = new ArrayList<>(1 + important.size() + recent.size());
              kept.add(summary);
              kept.addAll(important);
              kept.addAll(recent);
              return kept;
            });
  }

  private Mono<Part> summary(List<Part> replaced) {
    Part extractive = ExtractiveSummary.of(replaced);
    Processor model = summarizer;
    if (model == null) {
      return Mono.just(extractive);
    }
    return summarise(model, replaced)
        .filter(text -> !text.isBlank())
        .map(
            text ->
                Part.text("Summary of the conversation so far: " + text.strip())
                    .withRole("system")
                    .withMetadata(COMPRESSED, replaced.size()))
        .onErrorResume(
            e -> {
              log.warn(
                  "summarising {} parts failed; keeping an extractive summary instead",
                  replaced.size(),
                  e);
              return Mono.empty();
            })
        .defaultIfEmpty(extractive);
  }

  /**
   * The summarising model's answer for these parts: their text, then an instruction, as user parts;
   * the answer's text parts outside substreams, joined (empty when it answers no text).
   */
  static Mono<String> summarise(Processor model, List<Part> older) {
    List<Part> request = new ArrayList<>(older);
    request.add(
        Part.text(
                "Summarise the conversation above in a few sentences, keeping names, numbers "
                    + "and decisions.")
            .withRole("user"));
    return Flux.defer(() -> model.apply(Flux.fromIterable(request)))
        .filter(p -> p.isText() && p.substream().isEmpty())
        .map(Part::text)
        .reduce("", String::concat);
  }

  /** Configures a {@link HistoryCompression}; every setter checks its argument at once. */
  public static final class Builder {
    private final int maxParts;
    private int tokenBudget = DEFAULT_TOKEN_BUDGET;
    private TokenCounter counter = TokenCounter.estimate();
    private Set<String> keywords = Set.of();
    private @Nullable Processor summarizer;
    private int keepRecent = 4;

    private Builder(int maxParts) {
      if (maxParts < 1) {
        throw new IllegalArgumentException("maxParts must be at least 1, was " + maxParts);
      }
      this.maxParts = maxParts;
    }

    /**
     * The token count at which compression starts; default {@value #DEFAULT_TOKEN_BUDGET}.
     *
     * @param tokenBudget the budget, at least 1
     * @return this builder
     */
    public Builder tokenBudget(int tokenBudget) {
      if (tokenBudget < 1) {
        throw new IllegalArgumentException("tokenBudget must be at least 1, was " + tokenBudget);
      }
      this.tokenBudget = tokenBudget;
      return this;
    }

    /**
     * How tokens are counted; default {@link TokenCounter#estimate()}.
     *
     * @param counter the counter
     * @return this builder
     */
    public Builder tokenCounter(TokenCounter counter) {
      this.counter = Objects.requireNonNull(counter, "counter");
      return this;
    }

    /**
     * Words that make a text part important (case-insensitive, anywhere in the text); default none.
     *
     * @param keywords the words, not blank
     * @return this builder
     */
    public Builder keywords(String... keywords) {
      for (String k : keywords) {
        if (k == null || k.isBlank()) {
          throw new IllegalArgumentException("keywords must not be blank");
        }
      }
      this.keywords =
          Arrays.stream(keywords)
              .map(k -> k.strip().toLowerCase(Locale.ROOT))
              .collect(Collectors.toUnmodifiableSet());
      return this;
    }

    /**
     * The model that summarises replaced parts; default none (extractive summaries).
     *
     * @param summarizer a model that answers the parts and an instruction with a summary, as text
     * @return this builder
     */
    public Builder summarizer(Processor summarizer) {
      this.summarizer = Objects.requireNonNull(summarizer, "summarizer");
      return this;
    }

    /**
     * How many latest parts are always kept as they are; default 4.
     *
     * @param keepRecent how many, zero or more
     * @return this builder
     */
    public Builder keepRecent(int keepRecent) {
      if (keepRecent < 0) {
        throw new IllegalArgumentException("keepRecent must not be negative, was " + keepRecent);
      }
      this.keepRecent = keepRecent;
      return this;
    }

    /**
     * The policy.
     *
     * @return a new policy
     */
    public HistoryCompression build() {
      return new HistoryCompression(this);
    }
  }
}
