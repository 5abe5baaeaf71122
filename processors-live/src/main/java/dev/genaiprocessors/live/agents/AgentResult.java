package dev.genaiprocessors.live.agents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What a {@link BackgroundAgent} answers: the fields of the HTTP agent contract ({@code status},
 * {@code results}, {@code timestamp}).
 *
 * @param status the agent's word for the outcome, such as {@code completed}
 * @param results the actions the agent took, such as {@code {"action":"email_sent","to":"bob@example.com"}};
 *     deep copies, in the agent's order
 * @param timestamp when the agent finished
 */
public record AgentResult(String status, List<JsonNode> results, Instant timestamp) {

  /** The status of a task that finished normally. */
  public static final String COMPLETED = "completed";

  /**
   * Checks the result and copies its actions.
   *
   * @param status the agent's word for the outcome
   * @param results the actions, copied
   * @param timestamp when the agent finished
   */
  public AgentResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(timestamp, "timestamp");
    List<JsonNode> copies = new ArrayList<>(results.size());
    for (JsonNode r : results) {
      copies.add(Objects.requireNonNull(r, "results must not hold null").deepCopy());
    }
    results = List.copyOf(copies);
  }

  /**
   * The result as one line of text for the model: the status, then the actions as compact JSON.
   *
   * @return such as {@code status completed; results [{"action":"email_sent"}]}
   */
  public String describe() {
    return "status " + status + "; results " + results;
  }
}
