package dev.genaiprocessors.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.node.JsonNodeFactory;

class HistoryCompressionTest {

  private static List<Part> messages(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> Part.text("m" + i).withRole(i % 2 == 0 ? "user" : "model"))
        .toList();
  }

  private static List<Part> compress(HistoryPolicy policy, List<Part> history) {
    List<Part> out = new ArrayList<>();
    StepVerifier.create(policy.compress(history, 0)).consumeNextWith(out::addAll).verifyComplete();
    return out;
  }

  @Test
  void belowEightyPercentOfThePartBudgetAndTheTokenBudgetNothingChanges() {
    HistoryCompression policy = HistoryCompression.builder(10).keepRecent(2).build();
    List<Part> seven = messages(7);
    assertThat(compress(policy, seven)).isEqualTo(seven);
    assertThat(policy.needsCompression(messages(8))).isTrue();
  }

  @Test
  void theTokenBudgetTriggersCompressionWithTheEstimateOfFourCharactersPerToken() {
    HistoryCompression policy = HistoryCompression.builder(1000).tokenBudget(10).build();
    assertThat(policy.needsCompression(List.of(Part.text("x".repeat(36))))).isFalse(); // 9 tokens
    assertThat(policy.needsCompression(List.of(Part.text("x".repeat(37))))).isTrue(); // 10 tokens
    assertThat(TokenCounter.estimate().count(Part.image(new byte[100_000], "image/png")))
        .isEqualTo(TokenCounter.BYTES_PART_TOKENS);
    HistoryCompression counted =
        HistoryCompression.builder(1000).tokenBudget(5).tokenCounter(p -> 1).build();
    assertThat(counted.needsCompression(messages(4))).isFalse();
    assertThat(counted.needsCompression(messages(5))).isTrue();
  }

  @Test
  void withoutASummarizerOlderPartsBecomeAnExtractiveSystemSummary() {
    HistoryCompression policy = HistoryCompression.builder(10).keepRecent(2).build();
    List<Part> out = compress(policy, messages(8));
    assertThat(out)
        .extracting(Part::text)
        .containsExactly("user: m0\n[... 4 messages ...]\nmodel: m5", "m6", "m7");
    assertThat(out.get(0).role()).isEqualTo("system");
    assertThat(out.get(0).metadata(HistoryCompression.COMPRESSED)).isEqualTo(6L);
  }

  @Test
  void importantPartsAreNeverCompressed() {
    List<Part> history =
        List.of(
            Part.text("be brief").withRole("system"),
            Part.text("m1").withRole("user"),
            Part.text("my address is 5 Main St").withRole("user"),
            Part.text("remember this").withRole("user").withMetadata("important", true),
            Part.functionCall("c1", "lookup", JsonNodeFactory.instance.objectNode()),
            Part.functionResult("c1", "lookup", JsonNodeFactory.instance.objectNode()),
            Part.text("m2").withRole("model"),
            Part.text("m3").withRole("user"),
            Part.text("recent").withRole("model"));
    HistoryCompression policy =
        HistoryCompression.builder(10).keepRecent(1).keywords("ADDRESS").build();
    List<Part> out = compress(policy, history);
    assertThat(out.get(0).metadata(HistoryCompression.COMPRESSED)).isEqualTo(3L);
    assertThat(out.get(0).text()).isEqualTo("user: m1\n[... 1 messages ...]\nuser: m3");
    assertThat(out.subList(1, out.size()))
        .containsExactly(
            history.get(0),
            history.get(2),
            history.get(3),
            history.get(4),
            history.get(5),
            history.get(8));
  }

  @Test
  void aSummarizersAnswerReplacesOlderPartsAndItsFailureFallsBackToTheExtractiveSummary() {
    HistoryCompression summarised =
        HistoryCompression.builder(10)
            .keepRecent(2)
            .summarizer(in -> in.count().map(n -> Part.text("they talked (" + n + ")")).flux())
            .build();
    List<Part> out = compress(summarised, messages(8));
    assertThat(out.get(0).text()).isEqualTo("Summary of the conversation so far: they talked (7)");
    assertThat(out.get(0).role()).isEqualTo("system");
    assertThat(out.get(0).metadata(HistoryCompression.COMPRESSED)).isEqualTo(6L);
    for (HistoryCompression failing :
        List.of(
            HistoryCompression.builder(10)
                .keepRecent(2)
                .summarizer(in -> Flux.error(new IllegalStateException("down")))
                .build(),
            HistoryCompression.builder(10).keepRecent(2).summarizer(in -> Flux.empty()).build())) {
      assertThat(compress(failing, messages(8)))
          .extracting(Part::text)
          .containsExactly("user: m0\n[... 4 messages ...]\nmodel: m5", "m6", "m7");
    }
  }

  @Test
  void aRollingPromptCompressesWithItAtFinalize() {
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    RollingPrompt prompt =
        new RollingPrompt(HistoryCompression.builder(10).keepRecent(1).build(), clock, 100);
    messages(9).forEach(prompt::add);
    StepVerifier.create(prompt.finalizePending()).verifyComplete();
    assertThat(prompt.history()).hasSize(2);
    assertThat(prompt.history().get(0).metadata(HistoryCompression.COMPRESSED)).isEqualTo(8L);
  }

  @Test
  void badSettingsAreRejected() {
    assertThatThrownBy(() -> HistoryCompression.builder(0)).hasMessageContaining("maxParts");
    assertThatThrownBy(() -> HistoryCompression.builder(10).tokenBudget(0))
        .hasMessageContaining("tokenBudget");
    assertThatThrownBy(() -> HistoryCompression.builder(10).keywords(" "))
        .hasMessageContaining("keywords");
    assertThatThrownBy(() -> HistoryCompression.builder(10).keepRecent(-1))
        .hasMessageContaining("keepRecent");
  }
}
