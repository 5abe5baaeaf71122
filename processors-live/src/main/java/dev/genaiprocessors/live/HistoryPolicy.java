package dev.genaiprocessors.live;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.core.Processor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * How a {@link RollingPrompt} shortens its history at the end of each turn, so that a conversation of
 * hours runs in flat memory.
 *
 * <p>A policy gets the history, oldest first, and the time on the prompt's clock, and answers the
 * history to keep. It may answer asynchronously (to summarise with a model); it must not block.
 */
@FunctionalInterface
public interface HistoryPolicy {

  /**
   * The history to keep.
   *
   * @param history the conversation so far, oldest first; not modified
   * @param nowMillis the current time in epoch milliseconds, by the caller's scheduler clock (for age-based policies)
   * @return a Mono of the parts to keep, oldest first; an error keeps the history as it was
   */
  Mono<List<Part>> compress(List<Part> history, long nowMillis);

  /**
   * Keeps everything (the prompt's part bound still applies).
   *
   * @return a policy that returns the history unchanged
   */
  static HistoryPolicy keepAll() {
    return (history, now) -> Mono.just(history);
  }

  /**
   * Drops parts captured more than {@code age} ago ({@link PartMetadata#CAPTURE_TIME}); parts without a capture time stay.
   *
   * @param age how old a part may be, measured from its capture time to {@code nowMillis}; positive
   * @return a policy that drops the parts older than {@code age}
   * @throws IllegalArgumentException if {@code age} is zero or negative
   */
  static HistoryPolicy dropOlderThan(Duration age) {
    Objects.requireNonNull(age, "age");
    if (age.isNegative() || age.isZero()) {
      throw new IllegalArgumentException("age must be positive, was " + age);
    }
    long ageMillis = age.toMillis();
    return (history, now) -> {
      List<Part> kept = new ArrayList<>(history.size());
      for (Part p : history) {
        if (!(p.metadata(PartMetadata.CAPTURE_TIME) instanceof Long t) || t >= now - ageMillis) {
          kept.add(p);
        }
      }
      return Mono.just(kept);
    };
  }

  /**
   * Keeps the last {@code turns} turns, a turn being a run of parts with the same role (the user's
   * words, then the model's answer, ...).
   *
   * @param turns how many of the latest turns to keep; at least 1
   * @return a policy that keeps the parts of the last {@code turns} turns
   * @throws IllegalArgumentException if {@code turns} is less than 1
   */
  static HistoryPolicy keepLastTurns(int turns) {
    if (turns < 1) {
      throw new IllegalArgumentException("turns must be at least 1, was " + turns);
    }
    return (history, now) -> Mono.just(lastTurns(history, turns));
  }

  /**
   * Once the history holds more than {@code maxParts} parts, replaces all but the last
   * {@code keepTurns} turns by one user part {@code "Summary of the conversation so far: ..."} written
   * by {@code model}, which gets the older parts followed by an instruction to summarise them.
   * If the model fails, the older parts are replaced by an extractive summary instead (their first
   * and last messages with {@code [... N messages ...]} between, role {@code system}, with {@code
   * compressed} metadata holding how many parts it replaces; see {@link HistoryCompression}), and the
   * failure is logged, not an error of the conversation.
   *
   * @param model the processor that writes the summary; it is called once each time the bound is passed
   * @param maxParts how many parts the history may hold before it is summarised; at least 1
   * @param keepTurns how many of the latest turns are kept as they are, after the summary; at least 1
   * @return a policy that summarises the older history with {@code model}
   * @throws IllegalArgumentException if {@code maxParts} or {@code keepTurns} is less than 1
   */
  static HistoryPolicy summarizeWith(Processor model, int maxParts, int keepTurns) {
    Objects.requireNonNull(model, "model");
    if (maxParts < 1 || keepTurns < 1) {
      throw new IllegalArgumentException("maxParts and keepTurns must be at least 1");
    }
    return (history, now) -> {
      if (history.size() <= maxParts) {
        return Mono.just(history);
      }
      List<Part> recent = lastTurns(history, keepTurns);
      List<Part> older = history.subList(0, history.size() - recent.size());
      if (older.isEmpty()) {
        return Mono.just(recent);
      }
      return HistoryCompression.summarise(model, older)
          .map(
              summary -> {
                List<Part> kept = new ArrayList<>(recent.size() + 1);
                kept.add(
                    Part.text("Summary of the conversation so far: " + summary.strip())
                        .withRole("user"));
                kept.addAll(recent);
                return kept;
              })
          .onErrorResume(
              e -> {
                LoggerFactory.getLogger(HistoryPolicy.class)
                    .warn(
                        "summarising {} parts failed; keeping an extractive summary",
                        older.size(),
                        e);
                List<Part> kept = new ArrayList<>(recent.size() + 1);
                kept.add(ExtractiveSummary.of(older));
                kept.addAll(recent);
                return Mono.just(kept);
              });
    };
  }

  private static List<Part> lastTurns(List<Part> history, int turns) {
    int seen = 0;
    int start = history.size();
    String role = null;
    for (int i = history.size() - 1; i >= 0; i--) {
      String r = history.get(i).role();
      if (role == null || !role.equalsIgnoreCase(r)) {
        if (seen == turns) {
          break;
        }
        seen++;
        role = r;
      }
      start = i;
    }
    return new ArrayList<>(history.subList(start, history.size()));
  }
}
