package dev.genaiprocessors.live.metrics;

import dev.genaiprocessors.core.Part;
import java.util.Locale;

/** What a part holds, as the {@code kind} tag of {@link RealTimeMetrics#PARTS} names it: a bounded set. */
enum PartKind {
  AUDIO,
  TEXT,
  IMAGE,
  FUNCTION_CALL,
  FUNCTION_RESPONSE,
  /** Everything else: control parts (speech events, end of turn, interruptions), JSON, other bytes. */
  OTHER;

  private static final PartKind[] ALL = values();

  final String tag = name().toLowerCase(Locale.ROOT);

  static PartKind[] all() {
    return ALL;
  }

  static PartKind of(Part part) {
    if (part.isAudio()) {
      return AUDIO;
    }
    if (part.isFunctionCall()) {
      return FUNCTION_CALL;
    }
    if (part.isFunctionResponse()) {
      return FUNCTION_RESPONSE;
    }
    if (part.isImage() || part.isVideo()) {
      return IMAGE;
    }
    if (part.isText() && !part.text().isEmpty()) {
      return TEXT;
    }
    return OTHER;
  }
}
