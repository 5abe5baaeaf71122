package dev.genaiprocessors.offline.stt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SphinxGrammarTest {

  @Test
  void normalisesPhrasesToTheWordsSphinxHears() {
    assertThat(SphinxGrammar.normalise("  What's the TIME, please?! "))
        .isEqualTo("what's the time please");
    assertThat(SphinxGrammar.normalise("'Quoted' well-known words"))
        .isEqualTo("quoted well known words");
    assertThat(SphinxGrammar.normalise("?!")).isEmpty();
  }

  @Test
  void makesOneRuleOfAlternativesAndRestoresThePhraseAsWritten() {
    SphinxGrammar grammar =
        SphinxGrammar.of(List.of("Hello there!", "hello THERE", "What's the time?"));

    assertThat(grammar.size()).isEqualTo(2);
    assertThat(grammar.jsgf())
        .isEqualTo(
            """
        #JSGF V1.0;

        grammar phrases;

        public <phrase> =
            hello there
          | what's the time
          ;
        """);
    assertThat(grammar.restore("hello there")).isEqualTo("Hello there!");
    assertThat(grammar.restore("what's the")).isEqualTo("what's the");
  }
}
