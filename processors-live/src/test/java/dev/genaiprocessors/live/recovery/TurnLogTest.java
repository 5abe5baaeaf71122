package dev.genaiprocessors.live.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.TokenCounter;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnLogTest {

  @Test
  void completedTurnsComeFromUserTextTranscriptionsAndTheModelsEndOfTurn() {
    TurnLog log = TurnLog.builder().build();
    log.observeInput(Part.text("typed question").withRole("user"));
    log.observeInput(Part.audio(new byte[320], 16000));
    log.observeOutput(Part.inputTranscription("spoken question", false));
    log.observeOutput(Part.inputTranscription("spoken question", true));
    log.observeOutput(Part.outputTranscription("The ans", false));
    log.observeOutput(Part.outputTranscription("wer", false));
    log.observeOutput(Part.audio(new byte[480], 24000).withRole("model"));
    log.observeOutput(Part.endOfTurn().withRole("model"));
    log.observeOutput(Part.text("Plain text").withRole("model"));
    log.observeOutput(Part.outputTranscription("Final words", true));
    log.observeOutput(Part.endOfTurn().withRole("model"));
    assertThat(log.turns())
        .containsExactly(
            new TurnLog.Turn("user", "typed question"),
            new TurnLog.Turn("user", "spoken question"),
            new TurnLog.Turn("model", "The answer"),
            new TurnLog.Turn("model", "Final words"));
  }

  @Test
  void anInterruptedAnswerIsLoggedAsFarAsItCameWithANote() {
    TurnLog log = TurnLog.builder().build();
    log.observeOutput(Part.text("Let me tell you about").withRole("model"));
    log.observeOutput(Part.interrupted());
    log.observeOutput(Part.endOfTurn().withRole("model"));
    assertThat(log.turns())
        .containsExactly(
            new TurnLog.Turn("model", "Let me tell you about " + TurnLog.INTERRUPTED_NOTE));
  }

  @Test
  void theOldestTurnsAreDroppedPastTheTokenBudget() {
    // Each turn costs 10 tokens with a counter of one token per character.
    TokenCounter perChar = part -> part.text().length();
    TurnLog log = TurnLog.builder().maxTokens(25).tokenCounter(perChar).build();
    for (String t : List.of("aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc")) {
      log.observeInput(Part.text(t).withRole("user"));
    }
    assertThat(log.turns())
        .extracting(TurnLog.Turn::text)
        .containsExactly("bbbbbbbbbb", "cccccccccc");
    assertThat(log.tokens()).isEqualTo(20);
  }

  @Test
  void aLongTurnKeepsItsEnd() {
    TurnLog log = TurnLog.builder().build();
    log.observeInput(Part.text("x".repeat(TurnLog.MAX_CHARS) + "END").withRole("user"));
    assertThat(log.turns().get(0).text()).hasSize(TurnLog.MAX_CHARS).endsWith("END");
  }
}
