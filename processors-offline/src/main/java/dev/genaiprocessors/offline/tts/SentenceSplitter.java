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
 *
 * <p><b>First clause.</b> Made with {@code firstClause} true, the first piece of text after the start
 * (and after each {@link #flush()} or {@link #clear()}, that is, of each answer) is cut at its first
 * clause break as well: a {@code ,}, {@code ;} or {@code :} followed by white space, so that voicing
 * starts after a word or two instead of a whole sentence. It is also cut when the text so far
 * <em>ends</em> in a terminator or a clause mark right after a letter (not after a digit, an initial or
 * a common abbreviation), without waiting for the next piece. Later sentences are cut as above.
 */
final class SentenceSplitter {

  private static final Set<String> ABBREVIATIONS =
      Set.of(
          "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "approx");
  private static final String TERMINATORS = ".!?…";
  private static final String CLOSERS = "\"')]}»”’";
  private static final String WIDE_TERMINATORS = "。！？";

  private static final String CLAUSE_MARKS = ",;:";

  private final int maxChars;
  private final boolean firstClause;
  private final StringBuilder buffer = new StringBuilder();

  /** True until a piece is taken after the start, a flush or a clear. */
  private boolean atFirst = true;

  /** Where the next scan for an ending starts; everything before it has no ending. */
  private int scanned;

  SentenceSplitter(int maxChars) {
    this(maxChars, false);
  }

  SentenceSplitter(int maxChars, boolean firstClause) {
    this.maxChars = maxChars;
    this.firstClause = firstClause;
  }

  /** Adds text and returns the sentences it completes, in order, trimmed; those with no letter or digit are dropped. */
  List<String> add(String text) {
    buffer.append(text);
    List<String> sentences = new ArrayList<>(1);
    int end;
    if (firstClause && atFirst && (end = firstClauseEnd()) > 0) {
      take(end, sentences);
    }
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
    atFirst = true;
    return rest.isEmpty() ? "" : rest.get(0);
  }

  /** Drops the text held. */
  void clear() {
    buffer.setLength(0);
    scanned = 0;
    atFirst = true;
  }

  /** True when no text is held. */
  boolean isEmpty() {
    return buffer.length() == 0;
  }

  /** The first index from {@code from} on that is not a terminator or a closing quote or bracket. */
  private int afterClosing(int from) {
    int j = from;
    while (j < buffer.length()
        && (TERMINATORS.indexOf(buffer.charAt(j)) >= 0 || CLOSERS.indexOf(buffer.charAt(j)) >= 0)) {
      j++;
    }
    return j;
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
      int j = afterClosing(i + 1);
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

  /**
   * The length of the first clause or sentence in the buffer, cut at a clause mark or terminator followed
   * by white space, or ending the text right after a letter; 0 when there is none yet.
   */
  private int firstClauseEnd() {
    int length = buffer.length();
    for (int i = 1; i < length; i++) {
      char c = buffer.charAt(i);
      boolean clause = CLAUSE_MARKS.indexOf(c) >= 0;
      if (!clause && TERMINATORS.indexOf(c) < 0) {
        continue;
      }
      int j = afterClosing(i + 1);
      boolean abbreviation = c == '.' && isAbbreviation(i);
      if (j == length) {
        // The text ends here: cut at once only where no digit or abbreviation can follow.
        boolean afterLetter = Character.isLetter(buffer.charAt(i - 1));
        boolean afterInitial =
            i < 2
                || !Character.isLetterOrDigit(buffer.charAt(i - 2))
                || buffer.charAt(i - 2) == '.';
        return afterLetter && !abbreviation && !(c == '.' && afterInitial) ? j : 0;
      }
      if (Character.isWhitespace(buffer.charAt(j)) && !abbreviation) {
        return j;
      }
      i = j - 1;
    }
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
      atFirst = false;
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
