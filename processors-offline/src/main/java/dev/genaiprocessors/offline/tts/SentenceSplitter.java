package dev.genaiprocessors.offline.tts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cuts text that arrives in pieces into sentences, so that each can be voiced as soon as it is
 * complete. Not thread-safe: one per stream.
 *
 * <p>A sentence ends at a line break, at {@code .}, {@code !}, {@code ?} or {@code …} (with any closing
 * quotes or brackets after it) followed by white space, or at {@code 。！？}. A full stop after a
 * common abbreviation ({@code Dr.}, {@code e.g.}) or a single capital letter (an initial) does not end
 * one, nor does one inside a number ({@code 3.5}). A terminator at the very end of the text so far
 * waits for the next piece, since only that tells {@code "3."} from {@code "3.5"}. Text that grows past
 * the maximum length without an ending is cut at its last space before the limit, so the buffer stays
 * bounded.
 */
final class SentenceSplitter {

  private static final Set<String> ABBREVIATIONS =
      Set.of(
          "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "approx");
  private static final String TERMINATORS = ".!?…";
  private static final String CLOSERS = "\"')]}»”’";
  private static final String WIDE_TERMINATORS = "。！？";

  private final int maxChars;
  private final StringBuilder buffer = new StringBuilder();

  /** Where the next scan for an ending starts; everything before it has no ending. */
  private int scanned;

  SentenceSplitter(int maxChars) {
    this.maxChars = maxChars;
  }

  /** Adds text and returns the sentences it completes, in order, trimmed; those with no letter or digit are dropped. */
  List<String> add(String text) {
    buffer.append(text);
    List<String> sentences = new ArrayList<>(1);
    int end;
    while ((end = nextEnd()) > 0) {
      take(end, sentences);
    }
    while (buffer.length() > maxChars) {
      take(cutPoint(), sentences);
    }
    return sentences;
  }

  /** The text held, as a last sentence (empty when there is nothing to voice), and an empty buffer. */
  String flush() {
    List<String> rest = new ArrayList<>(1);
    take(buffer.length(), rest);
    return rest.isEmpty() ? "" : rest.get(0);
  }

  /** Drops the text held. */
  void clear() {
    buffer.setLength(0);
    scanned = 0;
  }

  /** True when no text is held. */
  boolean isEmpty() {
    return buffer.length() == 0;
  }

  /** The length of the first complete sentence in the buffer, or 0 when none is complete yet. */
  private int nextEnd() {
    int length = buffer.length();
    for (int i = scanned; i < length; i++) {
      char c = buffer.charAt(i);
      if (c == '\n' || WIDE_TERMINATORS.indexOf(c) >= 0) {
        return i + 1;
      }
      if (TERMINATORS.indexOf(c) < 0) {
        continue;
      }
      int j = i + 1;
      while (j < length
          && (TERMINATORS.indexOf(buffer.charAt(j)) >= 0
              || CLOSERS.indexOf(buffer.charAt(j)) >= 0)) {
        j++;
      }
      if (j == length) {
        scanned = i;
        return 0;
      }
      if (Character.isWhitespace(buffer.charAt(j)) && !(c == '.' && isAbbreviation(i))) {
        return j;
      }
      i = j - 1;
    }
    scanned = length;
    return 0;
  }

  /** True when the word before the full stop at {@code dot} is an abbreviation or an initial. */
  private boolean isAbbreviation(int dot) {
    int start = dot;
    while (start > 0 && !Character.isWhitespace(buffer.charAt(start - 1))) {
      start--;
    }
    String word = buffer.substring(start, dot);
    while (!word.isEmpty() && !Character.isLetterOrDigit(word.charAt(0))) {
      word = word.substring(1);
    }
    if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
      return true;
    }
    return ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT));
  }

  /** Where to cut a buffer that has grown past the limit: after its last white space before the limit. */
  private int cutPoint() {
    for (int i = maxChars; i > 0; i--) {
      if (Character.isWhitespace(buffer.charAt(i - 1))) {
        return i;
      }
    }
    return maxChars;
  }

  private void take(int end, List<String> into) {
    String sentence = buffer.substring(0, end).strip();
    buffer.delete(0, end);
    scanned = 0;
    if (hasLetterOrDigit(sentence)) {
      into.add(sentence);
    }
  }

  private static boolean hasLetterOrDigit(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isLetterOrDigit(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
