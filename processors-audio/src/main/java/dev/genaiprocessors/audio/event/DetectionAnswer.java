package dev.genaiprocessors.audio.event;

import dev.genaiprocessors.core.Part;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** What a detection backend answered: the event's text, chosen among its candidates by confidence. */
final class DetectionAnswer {

  private DetectionAnswer() {}

  /**
   * The answer in these text parts: the most confident candidate's text when some carry a numeric
   * {@value EventDetection#CONFIDENCE}, else all the text joined.
   */
  static String of(List<Part> texts) {
    @Nullable Part best = null;
    double bestConfidence = Double.NEGATIVE_INFINITY;
    for (Part p : texts) {
      if (p.metadata(EventDetection.CONFIDENCE) instanceof Number n
          && n.doubleValue() > bestConfidence) {
        best = p;
        bestConfidence = n.doubleValue();
      }
    }
    if (best != null) {
      return best.text();
    }
    return texts.stream().map(Part::text).collect(Collectors.joining());
  }
}
