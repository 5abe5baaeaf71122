package dev.genaiprocessors.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Counts against known values of OpenAI's encodings: "hello world" is 2 tokens in cl100k_base, and OpenAI's
 * tiktoken cookbook counts "tiktoken is great!" and "antidisestablishmentarianism" as 6 tokens each in
 * cl100k_base.
 */
class TiktokenCounterTest {

  private static final TiktokenCounter CL100K = TiktokenCounter.cl100k();
  private static final TiktokenCounter O200K = TiktokenCounter.o200k();

  @Test
  void knownCountsOfCl100kBase() {
    assertThat(CL100K.encodingName()).isEqualTo("cl100k_base");
    assertThat(CL100K.count("hello world")).isEqualTo(2);
    assertThat(CL100K.count("tiktoken is great!")).isEqualTo(6);
    assertThat(CL100K.count("")).isZero();
  }

  @Test
  void o200kBaseIsAnotherEncoding() {
    assertThat(O200K.encodingName()).isEqualTo("o200k_base");
    assertThat(O200K.count("hello world")).isEqualTo(2);
  }

  @Test
  void partsAreCountedByTheirTextAndMediaAtTheEstimatesFixedCost() {
    assertThat(CL100K.count(Part.text("hello world").withRole("user"))).isEqualTo(2);
    assertThat(CL100K.count(Part.audio(new byte[32000], 16000)))
        .isEqualTo(TokenCounter.BYTES_PART_TOKENS);
    Part call =
        Part.functionCall(
            "c1", "get_weather", JsonNodeFactory.instance.objectNode().put("city", "Paris"));
    assertThat(CL100K.count(call)).isEqualTo(CL100K.count(call.content().toString())).isPositive();
  }

  @Test
  void specialTokensInUserTextCountAsOrdinaryTextInsteadOfFailing() {
    assertThat(CL100K.count("<|endoftext|>")).isGreaterThan(1);
  }

  @Test
  void theTokenizerAndTheEstimateDifferOnRealText() {
    // The estimate reads 4 characters a token; the tokenizer knows the words.
    String text = "antidisestablishmentarianism";
    assertThat(TokenCounter.estimate().count(Part.text(text))).isEqualTo(7);
    assertThat(CL100K.count(text)).isEqualTo(6); // as the tiktoken cookbook counts it
  }
}
