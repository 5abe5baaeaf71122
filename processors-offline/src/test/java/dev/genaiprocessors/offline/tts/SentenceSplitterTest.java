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
}
