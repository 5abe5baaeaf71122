package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.gemini.live.ClientMessages.Outgoing;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnTrackerTest {
  static final Part ANY = Part.text("").withRole("model");

  static ServerEvent handle(String h) {
    return new ServerEvent.Resumption(ANY, h, true);
  }

  @Test
  void aSwitchWaitsForTheTurnsEndAndAHandleIssuedAfterIt() {
    TurnTracker t = new TurnTracker(null);
    assertThat(t.atResumablePoint()).isFalse(); // no handle yet
    t.received(handle("h1"));
    assertThat(t.atResumablePoint()).isTrue();
    t.sent(
        ClientMessages.encode(
            Part.text("hi"), ClientMessagesTest.settings(ModelProfile.CLASSIC, false)));
    assertThat(t.turnInProgress()).isTrue();
    assertThat(t.atResumablePoint()).isFalse();
    t.received(new ServerEvent.Content(Part.text("A")));
    t.received(new ServerEvent.Signal(Part.endOfTurn(), ServerEvent.SignalKind.TURN_COMPLETE));
    assertThat(t.atResumablePoint()).as("the handle predates the turn").isFalse();
    t.received(new ServerEvent.Resumption(ANY, "", false));
    assertThat(t.atResumablePoint()).as("a non-resumable update does not count").isFalse();
    t.received(handle("h2"));
    assertThat(t.atResumablePoint()).isTrue();
    assertThat(t.handle()).isEqualTo("h2");
  }

  @Test
  void audioDoesNotMakeTheHandleStaleButOpenCallsBlockTheSwitch() {
    TurnTracker t = new TurnTracker("h0");
    t.received(handle("h1"));
    t.sent(
        ClientMessages.encode(
            Part.audio(new byte[2], 16000),
            ClientMessagesTest.settings(ModelProfile.CLASSIC, false)));
    assertThat(t.atResumablePoint()).isTrue();
    t.received(new ServerEvent.ToolCall(ANY, "fc-1"));
    t.received(new ServerEvent.Signal(Part.endOfTurn(), ServerEvent.SignalKind.TURN_COMPLETE));
    t.received(handle("h2"));
    assertThat(t.atResumablePoint()).as("fc-1 is open").isFalse();
    t.received(new ServerEvent.ToolCancel(ANY, List.of("fc-1")));
    assertThat(t.atResumablePoint()).isTrue();
  }

  @Test
  void contentAfterAnInterruptionIsStaleUntilTheTurnEnds() {
    TurnTracker t = new TurnTracker(null);
    assertThat(t.received(new ServerEvent.Content(Part.text("A")))).isTrue();
    t.received(new ServerEvent.Signal(Part.interrupted(), ServerEvent.SignalKind.INTERRUPTED));
    assertThat(t.received(new ServerEvent.Content(Part.text("stale")))).isFalse();
    assertThat(t.staleDropped()).isEqualTo(1);
    t.received(new ServerEvent.Signal(Part.endOfTurn(), ServerEvent.SignalKind.TURN_COMPLETE));
    assertThat(t.received(new ServerEvent.Content(Part.text("B")))).isTrue();
  }

  @Test
  void aToolResponseThatFinishesACallClosesIt() {
    TurnTracker t = new TurnTracker(null);
    t.received(new ServerEvent.ToolCall(ANY, "fc-1"));
    t.received(new ServerEvent.Signal(Part.endOfTurn(), ServerEvent.SignalKind.TURN_COMPLETE));
    Outgoing response =
        ClientMessages.encode(
            Part.functionResult("fc-1", "f", Wire.NODES.stringNode("x")),
            ClientMessagesTest.settings(ModelProfile.CLASSIC, false));
    t.sent(response);
    t.received(new ServerEvent.Signal(Part.endOfTurn(), ServerEvent.SignalKind.TURN_COMPLETE));
    t.received(handle("h"));
    assertThat(t.atResumablePoint()).isTrue();
  }

  @Test
  void aTurnInterruptedByATextAnswersTheTextBeforeAndTheNextTurnAnswersTheText() {
    TurnTracker t = new TurnTracker(null);
    GeminiLiveSettings s = ClientMessagesTest.settings(ModelProfile.CLASSIC, false);
    t.sent(ClientMessages.encode(Part.text("story"), s));
    t.received(new ServerEvent.Content(Part.text("Once")));
    t.sent(ClientMessages.encode(Part.text("time?"), s));
    t.received(new ServerEvent.Signal(Part.interrupted(), ServerEvent.SignalKind.INTERRUPTED));
    t.received(new ServerEvent.Signal(Part.endOfTurn(), ServerEvent.SignalKind.TURN_COMPLETE));
    assertThat(t.turnInProgress()).as("the second text is not answered yet").isTrue();
    t.received(new ServerEvent.Content(Part.text("noon")));
    t.received(new ServerEvent.Signal(Part.endOfTurn(), ServerEvent.SignalKind.TURN_COMPLETE));
    assertThat(t.turnInProgress()).isFalse();
  }

  @Test
  void aBlockingCallsResponseContinuesItsTurnAndAnEmptyTurnAnswersTheEndOfTheAudioStream() {
    TurnTracker t = new TurnTracker(null);
    GeminiLiveSettings s = ClientMessagesTest.settings(ModelProfile.CLASSIC, false);
    t.sent(ClientMessages.encode(Part.audioStreamEnd(), s));
    assertThat(t.turnInProgress()).isTrue();
    t.received(new ServerEvent.ToolCall(ANY, "fc-1"));
    t.sent(ClientMessages.encode(Part.functionResult("fc-1", "f", Wire.NODES.stringNode("x")), s));
    t.received(new ServerEvent.Signal(Part.endOfTurn(), ServerEvent.SignalKind.TURN_COMPLETE));
    assertThat(t.turnInProgress()).isFalse();
    t.sent(ClientMessages.encode(Part.audioStreamEnd(), s));
    t.received(new ServerEvent.Signal(Part.endOfTurn(), ServerEvent.SignalKind.TURN_COMPLETE));
    assertThat(t.turnInProgress()).isFalse();
  }

  @Test
  void twoTriggersSentBeforeTheFirstTurnWaitForTwoTurnsAndATurnTheServerBeganAnswersNothingLater() {
    TurnTracker t = new TurnTracker(null);
    GeminiLiveSettings s = ClientMessagesTest.settings(ModelProfile.CLASSIC, false);
    t.sent(ClientMessages.encode(Part.text("one"), s));
    t.sent(ClientMessages.encode(Part.text("two"), s));
    t.received(new ServerEvent.Content(Part.text("A")));
    t.received(new ServerEvent.Signal(Part.endOfTurn(), ServerEvent.SignalKind.TURN_COMPLETE));
    assertThat(t.turnInProgress()).isTrue();
    t.received(new ServerEvent.Signal(Part.endOfTurn(), ServerEvent.SignalKind.TURN_COMPLETE));
    assertThat(t.turnInProgress()).isFalse();

    t.received(new ServerEvent.Content(Part.text("voice activity turn")));
    t.sent(ClientMessages.encode(Part.text("three"), s));
    t.received(new ServerEvent.Signal(Part.interrupted(), ServerEvent.SignalKind.INTERRUPTED));
    t.received(new ServerEvent.Signal(Part.endOfTurn(), ServerEvent.SignalKind.TURN_COMPLETE));
    assertThat(t.turnInProgress()).as("that turn began before \"three\"").isTrue();
  }
}
