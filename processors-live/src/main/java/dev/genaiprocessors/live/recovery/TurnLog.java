package dev.genaiprocessors.live.recovery;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.live.TokenCounter;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * A client-side log of a live conversation's completed turns, as text, bounded by a budget: what a new
 * session is seeded with when the old one cannot be resumed ({@link SessionRecovery}).
 *
 * <p><b>What it logs</b>, from the parts of the {@link dev.genaiprocessors.live.LiveProcessor} contract:
 * a user turn for each user text part sent (default substream, not empty) and for each final input
 * transcription received; a model turn at each end of the model's turn (an end-of-turn part with role
 * {@code model}), holding the model's final output transcription, else its transcription deltas joined,
 * else its text parts joined; an answer cut by an {@code interrupted} part is logged with
 * {@value #INTERRUPTED_NOTE} after what came out. Audio, images, function calls and blank turns are not
 * logged. This is what OpenAI's continuation of an expired session keeps too.
 *
 * <p><b>Budget</b>: at most {@link Builder#maxTurns(int)} turns (default {@value #DEFAULT_MAX_TURNS}) and
 * {@link Builder#maxTokens(int)} tokens (default {@value #DEFAULT_MAX_TOKENS}, counted by the
 * {@link Builder#tokenCounter(TokenCounter) token counter}, the estimate by default); past either, the
 * oldest turns are dropped. A single turn longer than {@value #MAX_CHARS} characters keeps its last
 * {@value #MAX_CHARS}; an answer still being gathered holds at most that many characters too.
 *
 * <p><b>Threads</b>: thread-safe; input and output may be observed from different threads.
 */
public final class TurnLog {

  /** Turns kept unless configured: {@value}. */
  public static final int DEFAULT_MAX_TURNS = 50;

  /** Tokens kept unless configured: {@value}. */
  public static final int DEFAULT_MAX_TOKENS = 8_000;

  /** The most characters of one turn: {@value}. */
  public static final int MAX_CHARS = 4_000;

  /** Added to a model turn cut by an interruption: {@value}. */
  public static final String INTERRUPTED_NOTE = "(interrupted by the user)";

  /**
   * One completed turn.
   *
   * @param role {@code user} or {@code model}
   * @param text what was said, not blank
   */
  public record Turn(String role, String text) {
    /**
     * Checks the fields.
     *
     * @param role {@code user} or {@code model}
     * @param text what was said
     */
    public Turn {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(text, "text");
    }
  }

  private final int maxTurns;
  private final int maxTokens;
  private final TokenCounter counter;

  /** Oldest first; bounded by maxTurns and maxTokens (policy: the oldest is dropped). */
  private final ArrayDeque<Turn> turns = new ArrayDeque<>();

  private final ArrayDeque<Integer> costs = new ArrayDeque<>();
  private int tokens;
  private final StringBuilder modelText = new StringBuilder();
  private final StringBuilder transcriptDeltas = new StringBuilder();
  private String finalTranscript = "";
  private boolean interrupted;

  private TurnLog(Builder b) {
    this.maxTurns = b.maxTurns;
    this.maxTokens = b.maxTokens;
    this.counter = b.counter;
  }

  /**
   * A builder with the default budget and the estimating counter.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Observes a part sent to the live session.
   *
   * @param part a part of the input
   */
  public synchronized void observeInput(Part part) {
    if (part.isText()
        && part.substream().isEmpty()
        && !part.text().isBlank()
        && (part.role().isEmpty() || part.role().equalsIgnoreCase("user"))) {
      add(new Turn("user", part.text().strip()));
    }
  }

  /**
   * Observes a part the live session emitted.
   *
   * @param part a part of the output
   */
  public synchronized void observeOutput(Part part) {
    if (part.isTranscription() && part.isText()) {
      if (Substreams.INPUT_TRANSCRIPTION.equalsIgnoreCase(part.substream())) {
        if (part.isFinalTranscription() && !part.text().isBlank()) {
          add(new Turn("user", part.text().strip()));
        }
      } else if (part.isFinalTranscription()) {
        finalTranscript = part.text();
      } else {
        append(transcriptDeltas, part.text());
      }
    } else if (part.isInterrupted()) {
      interrupted = true;
    } else if (part.isEndOfTurn() && "model".equalsIgnoreCase(part.role())) {
      endModelTurn();
    } else if (part.isText()
        && "model".equalsIgnoreCase(part.role())
        && part.substream().isEmpty()
        && !part.isThought()
        && !part.hasFlag(PartMetadata.TURN_COMPLETE)) {
      append(modelText, part.text());
    }
  }

  /**
   * The turns kept, oldest first.
   *
   * @return a copy of the turns
   */
  public synchronized List<Turn> turns() {
    return List.copyOf(turns);
  }

  /**
   * The tokens of the turns kept, as the counter counts them.
   *
   * @return the tokens
   */
  public synchronized int tokens() {
    return tokens;
  }

  private void endModelTurn() {
    String said =
        !finalTranscript.isBlank()
            ? finalTranscript
            : transcriptDeltas.length() > 0 ? transcriptDeltas.toString() : modelText.toString();
    said = said.strip();
    if (interrupted && !said.isEmpty()) {
      said = said + " " + INTERRUPTED_NOTE;
    }
    if (!said.isEmpty()) {
      add(new Turn("model", said));
    }
    finalTranscript = "";
    transcriptDeltas.setLength(0);
    modelText.setLength(0);
    interrupted = false;
  }

  private static void append(StringBuilder to, String text) {
    to.append(text);
    if (to.length() > MAX_CHARS) {
      to.delete(0, to.length() - MAX_CHARS);
    }
  }

  private void add(Turn turn) {
    String text = turn.text();
    if (text.length() > MAX_CHARS) {
      turn = new Turn(turn.role(), text.substring(text.length() - MAX_CHARS));
    }
    int cost = counter.count(Part.text(turn.text()));
    turns.addLast(turn);
    costs.addLast(cost);
    tokens += cost;
    while (!turns.isEmpty() && (turns.size() > maxTurns || tokens > maxTokens)) {
      turns.pollFirst();
      tokens -= costs.pollFirst();
    }
  }

  /** Configures a {@link TurnLog}; setters check their argument at once. */
  public static final class Builder {
    private int maxTurns = DEFAULT_MAX_TURNS;
    private int maxTokens = DEFAULT_MAX_TOKENS;
    private TokenCounter counter = TokenCounter.estimate();

    private Builder() {}

    /**
     * The most turns kept; default {@value #DEFAULT_MAX_TURNS}.
     *
     * @param maxTurns at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code maxTurns} is less than 1
     */
    public Builder maxTurns(int maxTurns) {
      if (maxTurns < 1) {
        throw new IllegalArgumentException("maxTurns must be at least 1, was " + maxTurns);
      }
      this.maxTurns = maxTurns;
      return this;
    }

    /**
     * The most tokens kept; default {@value #DEFAULT_MAX_TOKENS}.
     *
     * @param maxTokens at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code maxTokens} is less than 1
     */
    public Builder maxTokens(int maxTokens) {
      if (maxTokens < 1) {
        throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * How tokens are counted; default {@link TokenCounter#estimate()}.
     *
     * @param counter the counter, such as {@link dev.genaiprocessors.live.TiktokenCounter}
     * @return this builder
     */
    public Builder tokenCounter(TokenCounter counter) {
      this.counter = Objects.requireNonNull(counter, "counter");
      return this;
    }

    /**
     * A new, empty log.
     *
     * @return the log
     */
    public TurnLog build() {
      return new TurnLog(this);
    }
  }
}
