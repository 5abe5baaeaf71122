package dev.genaiprocessors.live;

import dev.genaiprocessors.core.Part;
import java.util.List;

/**
 * The summary used when no summarising model is given or it fails: the first and last messages of
 * the compressed parts with {@code [... N messages ...]} between, as one {@code system} part with
 * {@value #COMPRESSED} metadata holding how many parts it replaces.
 */
final class ExtractiveSummary {

  /** Metadata key on a summary part: how many parts it replaces. */
  static final String COMPRESSED = "compressed";

  private ExtractiveSummary() {}

  /** The summary of these parts, oldest first; at least one part. */
  static Part of(List<Part> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to summarise");
    }
    String first = describe(parts.get(0));
    String text;
    if (parts.size() == 1) {
      text = first;
    } else {
      String last = describe(parts.get(parts.size() - 1));
      int between = parts.size() - 2;
      text =
          between == 0
              ? first + "\n" + last
              : first + "\n[... " + between + " messages ...]\n" + last;
    }
    return Part.text(text).withRole("system").withMetadata(COMPRESSED, parts.size());
  }

  /** A message as a line: its role and its text, or its MIME type for other content. */
  private static String describe(Part part) {
    String body = part.isText() ? part.text() : "[" + part.mimeType() + "]";
    return part.role().isEmpty() ? body : part.role() + ": " + body;
  }
}
