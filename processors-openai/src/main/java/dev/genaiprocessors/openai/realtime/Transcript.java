package dev.genaiprocessors.openai.realtime;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The conversation so far as text, for the continuation of an expired session: what the user said (text
 * parts and the final input transcriptions) and what the model said (final output transcripts and text),
 * as a new session is seeded with. Not thread-safe: the session owns it.
 *
 * <p><b>Bound.</b> The last {@code capacity} messages (policy: the oldest is dropped); a message longer than
 * {@value #MAX_CHARS} characters keeps its last {@value #MAX_CHARS}.
 */
final class Transcript {
  static final int MAX_CHARS = 4000;

  /** One message: role {@code user} or {@code assistant}. */
  record Message(String role, String text) {}

  private final int capacity;
  private final ArrayDeque<Message> messages = new ArrayDeque<>();

  Transcript(int capacity) {
    this.capacity = capacity;
  }

  void add(String role, String text) {
    if (capacity == 0 || text.isBlank()) {
      return;
    }
    String kept = text.length() > MAX_CHARS ? text.substring(text.length() - MAX_CHARS) : text;
    if (messages.size() == capacity) {
      messages.pollFirst();
    }
    messages.addLast(new Message(role, kept));
  }

  List<Message> messages() {
    return List.copyOf(messages);
  }
}
