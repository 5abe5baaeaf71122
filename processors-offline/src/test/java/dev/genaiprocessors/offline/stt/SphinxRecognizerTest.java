package dev.genaiprocessors.offline.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.offline.OfflineMetadata;
import dev.genaiprocessors.offline.SyntheticSpeech;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sphinx4 in grammar mode on synthetic speech: exact on the phrases it knows. */
class SphinxRecognizerTest {

  private static final Logger log = LoggerFactory.getLogger(SphinxRecognizerTest.class);
  static final List<String> PHRASES =
      List.of(
          "Hello there!",
          "What is the weather like today?",
          "Tell me a joke.",
          "What time is it?",
          "Goodbye.");

  private static SphinxRecognizer sphinx;

  @BeforeAll
  static void load() {
    sphinx = SphinxRecognizer.grammar(PHRASES);
    long start = System.nanoTime();
    sphinx.load().block();
    log.info("Sphinx4 grammar mode loaded in {} ms", (System.nanoTime() - start) / 1_000_000);
  }

  @AfterAll
  static void close() {
    sphinx.close();
  }

  @Test
  void recognisesEachKnownPhraseExactlyAsWritten() throws IOException {
    for (String phrase :
        List.of("What is the weather like today?", "Tell me a joke.", "Goodbye.")) {
      byte[] audio = SyntheticSpeech.pcm(phrase, 0.3, 1.0);
      List<String> interims = new ArrayList<>();
      long start = System.nanoTime();
      String text = sphinx.recognize(new ByteArrayInputStream(audio), interims::add);
      log.info(
          "'{}': {} s of audio decoded in {} ms, interims {}",
          text,
          audio.length / 32000.0,
          (System.nanoTime() - start) / 1_000_000,
          interims);
      assertThat(text).isEqualTo(phrase);
      assertThat(interims).isNotEmpty().last().isEqualTo(phrase);
    }
  }

  @Test
  void hearsNothingInSilence() throws IOException {
    assertThat(sphinx.recognize(new ByteArrayInputStream(new byte[32000]), s -> {})).isEmpty();
  }

  @Test
  void saysWhatItIsInItsMetadata() {
    assertThat(sphinx.metadata())
        .containsEntry(OfflineMetadata.MODEL, "sphinx4 en-us (JSGF grammar of 5 phrases)")
        .doesNotContainKey(OfflineMetadata.QUALITY);
    assertThat(SphinxRecognizer.languageModel().metadata())
        .containsEntry(OfflineMetadata.QUALITY, "demo");
    assertThat(sphinx.sampleRate()).isEqualTo(16000);
  }

  @Test
  void rejectsPhrasesWithWordsOutsideTheDictionaryNamingThem() {
    assertThatThrownBy(
            () -> SphinxRecognizer.grammar(List.of("hello xyzzyq", "meet me at 3", "...")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("xyzzyq")
        .hasMessageContaining("3")
        .hasMessageContaining("phrase '...' has no words")
        .hasMessageContaining("spell numbers as words");
    assertThatThrownBy(() -> SphinxRecognizer.grammar(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one phrase");
  }

  @Test
  void failsClearlyOnceClosed() {
    SphinxRecognizer closed = SphinxRecognizer.grammar(List.of("hello"));
    closed.close();
    assertThatThrownBy(() -> closed.recognize(new ByteArrayInputStream(new byte[0]), s -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
