package dev.genaiprocessors.offline.tts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

  private static List<String> split(int maxChars, String... pieces) {
    SentenceSplitter splitter = new SentenceSplitter(maxChars);
    List<String> out = new ArrayList<>();
    for (String piece : pieces) {
      out.addAll(splitter.add(piece));
    }
    String rest = splitter.flush();
    if (!rest.isEmpty()) {
      out.add(rest);
    }
    return out;
  }

  @Test
  void cutsSentencesThatArriveWordByWord() {
    SentenceSplitter splitter = new SentenceSplitter(400);
    assertThat(splitter.add("Hello")).isEmpty();
    assertThat(splitter.add(" there.")).isEmpty(); // "there." may yet be "there.5"
    assertThat(splitter.add(" How")).containsExactly("Hello there.");
    assertThat(splitter.add(" are you?\"")).isEmpty();
    assertThat(splitter.add(" Fine")).containsExactly("How are you?\"");
    assertThat(splitter.flush()).isEqualTo("Fine");
    assertThat(splitter.isEmpty()).isTrue();
  }

  @Test
  void keepsNumbersAbbreviationsAndInitialsTogether() {
    assertThat(
            split(
                400,
                "It costs 3.50 today. Dr. Smith and J. R. Tolkien met, e.g. at noon! Really?! Yes."))
        .containsExactly(
            "It costs 3.50 today.",
            "Dr. Smith and J. R. Tolkien met, e.g. at noon!",
            "Really?!",
            "Yes.");
  }

  @Test
  void endsSentencesAtLineBreaksAndWideStops() {
    assertThat(split(400, "- first item\n- second item\n", "你好。再见！"))
        .containsExactly("- first item", "- second item", "你好。", "再见！");
  }

  @Test
  void dropsPiecesWithNothingToSayAndCutsOverlongTextAtASpace() {
    assertThat(split(400, "... ", "!! ", "ok")).containsExactly("ok");
    assertThat(split(20, "one two three four five six seven"))
        .containsExactly("one two three four", "five six seven");
  }

  @Test
  void firstClauseIsCutAtItsBreakThenSentencesAsBefore() {
    SentenceSplitter splitter = new SentenceSplitter(400, true);
    assertThat(splitter.add("Right")).isEmpty();
    assertThat(splitter.add(",")).containsExactly("Right,"); // ends after a word: no wait
    assertThat(splitter.add(" I heard a card,")).isEmpty(); // only the first clause is cut early
    assertThat(splitter.add(" yes.")).isEmpty();
    assertThat(splitter.add(" Next")).containsExactly("I heard a card, yes.");
    assertThat(splitter.flush()).isEqualTo("Next");
    // A flush starts the next answer: its first clause is cut early again.
    assertThat(splitter.add("Thank you, that")).containsExactly("Thank you,");
    splitter.clear();
    assertThat(splitter.add("Hello!")).containsExactly("Hello!");
  }

  @Test
  void firstClauseWaitsWhereADigitOrAnAbbreviationMayFollow() {
    SentenceSplitter splitter = new SentenceSplitter(400, true);
    assertThat(splitter.add("It costs 3.")).isEmpty(); // may be 3.50
    assertThat(splitter.add("50 now, you")).containsExactly("It costs 3.50 now,");
    splitter.clear();
    assertThat(splitter.add("Dr.")).isEmpty();
    assertThat(splitter.add(" Smith e.g.")).isEmpty();
    assertThat(splitter.add(" J.")).isEmpty();
    assertThat(splitter.add(" R. Tolkien: yes")).containsExactly("Dr. Smith e.g. J. R. Tolkien:");
    splitter.clear();
    assertThat(splitter.add("1,")).isEmpty(); // may be 1,000
    assertThat(splitter.add("000 cards.")).containsExactly("1,000 cards.");
  }

  @Test
  void withoutFirstClauseAClauseBreakDoesNotCut() {
    SentenceSplitter splitter = new SentenceSplitter(400);
    assertThat(splitter.add("Right, I heard")).isEmpty();
    assertThat(splitter.add(" it!")).isEmpty();
  }
}
