package dev.genaiprocessors.offline.responder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WordPieceTokenizerTest {

  private static final WordPieceTokenizer TOKENIZER =
      WordPieceTokenizer.fromTokenizerJson(
          MiniLmEmbedder.verifiedResource(
              MiniLmEmbedder.TOKENIZER_RESOURCE, MiniLmEmbedder.TOKENIZER_SHA256));

  /** A text of the fixture, the ids the Hugging Face tokenizer gave for it. */
  record Case(String text, long[] ids) {}

  static List<Case> huggingFaceCases() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = WordPieceTokenizerTest.class.getResourceAsStream("hf-token-ids.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int tab = line.lastIndexOf('\t');
        String text =
            line.substring(0, tab)
                .replace("\\t", "\t")
                .replace("\\n", "\n")
                .replace("\\u0000", "\u0000");
        String list = line.substring(tab + 1).replaceAll("[\\[\\] ]", "");
        cases.add(
            new Case(text, Arrays.stream(list.split(",")).mapToLong(Long::parseLong).toArray()));
      }
    }
    return cases;
  }

  @Test
  void givesTheIdsTheHuggingFaceTokenizerGivesForEveryFixtureText() throws IOException {
    List<Case> cases = huggingFaceCases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(19);
    for (Case c : cases) {
      assertThat(TOKENIZER.encode(c.text(), 1000))
          .as("ids of %s", c.text())
          .containsExactly(c.ids());
    }
  }

  @Test
  void cutsLongTextsToTheGivenNumberOfPiecesAndKeepsTheSpecialTokens() {
    String text = Arrays.stream(new String[300]).map(s -> "word").collect(Collectors.joining(" "));

    long[] ids = TOKENIZER.encode(text, 254);

    assertThat(ids).hasSize(256);
    assertThat(ids[0]).isEqualTo(101);
    assertThat(ids[255]).isEqualTo(102);
    assertThat(TOKENIZER.encode("", 254)).containsExactly(101, 102);
  }

  @Test
  void refusesAFileThatIsNotAWordPieceTokenizer() {
    assertThatThrownBy(
            () ->
                WordPieceTokenizer.fromTokenizerJson(
                    "{\"model\":{\"type\":\"BPE\"}}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WordPiece");
    assertThatThrownBy(
            () -> WordPieceTokenizer.fromTokenizerJson("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(
            () ->
                WordPieceTokenizer.fromTokenizerJson(
                    "{\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"a\":1}}}"
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[UNK]");
  }
}
