package dev.genaiprocessors.offline.responder;

import java.util.Objects;

/**
 * What an {@link OfflineResponder} made of a user turn: the intent it picked ({@link
 * IntentTable#FALLBACK} when none was similar enough), how similar the best example was, and the reply
 * it will give, with placeholders such as {@code {time}} not yet filled.
 *
 * @param intent the intent's name, or {@value IntentTable#FALLBACK}
 * @param similarity the cosine similarity of the turn to the closest example of any intent, from -1 to 1
 *     (0 for an empty turn)
 * @param reply the reply template
 */
public record IntentMatch(String intent, double similarity, String reply) {
  /**
   * Checks that nothing is null.
   *
   * @param intent the name of the intent that fitted, or {@value IntentTable#FALLBACK} when none did
   * @param similarity the cosine similarity of the turn to the closest example, from -1 to 1
   * @param reply the reply template chosen for the turn, placeholders not yet filled
   */
  public IntentMatch {
    Objects.requireNonNull(intent, "intent");
    Objects.requireNonNull(reply, "reply");
  }

  /**
   * True when no intent fitted and the reply is a fallback.
   *
   * @return whether the reply is a fallback
   */
  public boolean isFallback() {
    return intent.equals(IntentTable.FALLBACK);
  }
}
