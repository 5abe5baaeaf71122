package dev.genaiprocessors.gemini.live;

import dev.genaiprocessors.core.Part;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A client-side log of a Gemini Live conversation's final text, the context an out-of-band call sees by
 * default (Gemini Live cannot share the session's own context): the user's text parts, the final input
 * transcriptions, and per model turn its text, else its output transcription. Audio, images, function calls
 * and thoughts are not logged.
 *
 * <p><b>Bound.</b> The last {@value #MAX_ENTRIES} messages and at most {@value #MAX_CHARS} characters in all;
 * the oldest messages are dropped first (policy), and a message longer than the whole bound keeps its first
 * {@value #MAX_CHARS} characters. The text of a turn being gathered is bounded the same way. Thread-safe:
 * the input and the session's worker both write; methods are synchronized and short.
 */
final class ConversationLog {
  /** Most messages kept. */
  static final int MAX_ENTRIES = 64;

  /** Most characters kept, all messages together. */
  static final int MAX_CHARS = 16_000;

  /** A message: {@code user} or {@code model}, and its text. */
  record Entry(String role, String text) {}

  private final Deque<Entry> entries = new ArrayDeque<>();
  private int chars;
  private final StringBuilder modelText = new StringBuilder();
  private final StringBuilder spoken = new StringBuilder();
  private final StringBuilder heard = new StringBuilder();

  /** A part of the input: the user's text is logged. */
  synchronized void input(Part p) {
    if (p.isText()
        && !p.text().isEmpty()
        && !p.isTranscription()
        && (p.substream().isEmpty() || p.substream().equals("realtime"))
        && (p.role().isEmpty() || p.role().equalsIgnoreCase("user"))) {
      add("user", p.text());
    }
  }

  /** A part of the output: transcriptions and the model's text are gathered, and logged per turn. */
  synchronized void output(Part p) {
    if (p.isTranscription()) {
      boolean input = p.substream().startsWith("input");
      StringBuilder b = input ? heard : spoken;
      if (p.isFinalTranscription()) {
        String all = p.text().startsWith(b.toString()) ? p.text() : b + p.text();
        b.setLength(0);
        append(b, all);
        if (input) {
          flushUser();
        }
      } else {
        append(b, p.text());
      }
    } else if (p.isText()
        && "model".equals(p.role())
        && p.substream().isEmpty()
        && !p.text().isEmpty()
        && p.metadata(GeminiLiveParts.THOUGHT) == null) {
      append(modelText, p.text());
    } else if (p.isEndOfTurn() || p.isInterrupted()) {
      flushUser();
      String said = modelText.length() > 0 ? modelText.toString() : spoken.toString();
      modelText.setLength(0);
      spoken.setLength(0);
      if (!said.isBlank()) {
        add("model", said);
      }
    }
  }

  /** The messages, oldest first. */
  synchronized List<Entry> snapshot() {
    return new ArrayList<>(entries);
  }

  private void flushUser() {
    if (!heard.toString().isBlank()) {
      add("user", heard.toString());
    }
    heard.setLength(0);
  }

  private void add(String role, String text) {
    String t = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
    entries.addLast(new Entry(role, t));
    chars += t.length();
    while (entries.size() > MAX_ENTRIES || chars > MAX_CHARS) {
      chars -= entries.removeFirst().text().length(); // policy: the oldest message goes first
    }
  }

  private static void append(StringBuilder b, String text) {
    int room = MAX_CHARS - b.length();
    if (room > 0) {
      b.append(text, 0, Math.min(room, text.length())); // policy: text past the bound is not logged
    }
  }
}
