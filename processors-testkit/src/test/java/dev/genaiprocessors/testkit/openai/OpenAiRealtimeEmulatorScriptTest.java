package dev.genaiprocessors.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Scripts: faults, the order of steps, recorded client events and the used-up check. */
class OpenAiRealtimeEmulatorScriptTest extends EmulatorTestSupport {

  @Test
  void anErrorFaultKeepsTheSocketOpenAndACloseFaultClosesWithItsCode() throws Exception {
    server.enqueue(
        Script.builder()
            .on(
                "input_audio_buffer.append",
                Fault.error("server_error", null, "The server had an error."))
            .on("input_audio_buffer.append", Fault.close(1011, "Internal error"))
            .build());
    RawRealtimeClient client = session();
    client.send(append(100));
    assertThat(client.next("error").get("error"))
        .isEqualTo(
            json(
                "{\"type\": \"server_error\", \"code\": null,"
                    + " \"message\": \"The server had an error.\", \"param\": null, \"event_id\": null}"));
    client.send(append(100));
    WebSocketCloseStatus status = client.awaitEnd();
    assertThat(status.code()).isEqualTo(1011);
    assertThat(status.reasonText()).isEqualTo("Internal error");
    server.assertScriptUsedUp();
  }

  @Test
  void aDropClosesTheTcpConnectionWithoutACloseFrameAfterTheEventsBeforeIt() throws Exception {
    server.enqueue(
        Script.builder()
            .on("response.create", Reply.response(Output.text("partial")), Fault.drop())
            .build());
    RawRealtimeClient client = session();
    client.send("{\"type\": \"response.create\"}");
    client.until("response.done");
    assertThat(client.awaitEnd()).isNull();
  }

  @Test
  void aDelayHoldsTheStepsNextActionsWhileOtherEventsAreStillAnswered() throws Exception {
    server.enqueue(
        Script.builder()
            .on(
                "response.create",
                Fault.delay(Duration.ofMillis(300)),
                Reply.response(Output.text("late")))
            .build());
    RawRealtimeClient client = session();
    client.send("{\"type\": \"response.create\"}");
    client.send("{\"type\": \"session.update\", \"session\": {\"type\": \"realtime\"}}");
    client.next("session.updated"); // answered during the delay
    client.send("{\"type\": \"response.create\"}"); // the delayed response is already active
    assertThat(client.next("error").at("/error/code").asString())
        .isEqualTo("conversation_already_has_active_response");
    List<JsonNode> events = client.until("response.done");
    assertThat(events.get(0).path("type").asString()).isEqualTo("response.created");
    assertThat(events.get(events.size() - 1).at("/response/output/0/content/0/text").asString())
        .isEqualTo("late");
  }

  @Test
  void onlyTheHeadStepWaitsAndEveryClientEventIsRecorded() throws Exception {
    server.enqueue(
        Script.builder()
            .on("response.create", Reply.response(Output.text("first")))
            .on("input_audio_buffer.append", Reply.speechStarted())
            .build());
    RawRealtimeClient client = session();
    client.send(append(100)); // the head waits for response.create: no speech yet
    client.send("{\"type\": \"response.create\", \"event_id\": \"evt_r\"}");
    List<JsonNode> events = client.until("response.done");
    assertThat(types(events)).doesNotContain("input_audio_buffer.speech_started");
    assertThat(server.remainingSteps()).hasSize(1);
    assertThatThrownBy(server::assertScriptUsedUp)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 scripted step(s) never played")
        .hasMessageContaining("input_audio_buffer.append");
    client.send(append(100));
    client.next("input_audio_buffer.speech_started");
    server.assertScriptUsedUp();

    assertThat(server.takeMessage(RawRealtimeClient.WAIT).type())
        .isEqualTo("input_audio_buffer.append");
    ClientMessage create = server.takeMessage("response.create", RawRealtimeClient.WAIT);
    assertThat(create.eventId()).isEqualTo("evt_r");
    assertThat(create.connection()).isEqualTo(1);
    assertThat(server.takeMessage(RawRealtimeClient.WAIT).type())
        .isEqualTo("input_audio_buffer.append");
    assertThat(server.takeMessage(Duration.ofMillis(50))).isNull();
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void aRefusedEventDoesNotUseUpAStep() throws Exception {
    server.enqueue(
        Script.builder()
            .on("session.update", Fault.error("server_error", "x", "scripted"))
            .build());
    RawRealtimeClient client = session();
    client.sendWrong(
        "{\"type\": \"session.update\", \"session\": {\"type\": \"realtime\", \"output_modalities\": [\"video\"]}}");
    assertThat(client.next("error").at("/error/param").asString())
        .isEqualTo("session.output_modalities");
    assertThat(server.remainingSteps()).hasSize(1);
    client.send("{\"type\": \"session.update\", \"session\": {\"type\": \"realtime\"}}");
    client.next("session.updated");
    assertThat(client.next("error").at("/error/message").asString()).isEqualTo("scripted");
  }

  @Test
  void stepsNameOnlyClientEventTypesAndFaultsCheckTheirArguments() {
    assertThatThrownBy(() -> Step.on("response.audio.delta"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'response.audio.delta'");
    assertThatThrownBy(() -> Fault.delay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.close(1000, "x".repeat(124)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OpenAiRealtimeEmulator.builder().sessionDuration(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration");
  }

  @Test
  void anUnknownEventTypeOrBadJsonIsAnErrorAndTheSocketStaysOpen() throws Exception {
    RawRealtimeClient client = session();
    client.sendWrong("{\"type\": \"response.audio.delta\", \"event_id\": \"evt_u\"}");
    JsonNode error = client.next("error").get("error");
    assertThat(error.path("code").asString()).isEqualTo("invalid_value");
    assertThat(error.path("param").asString()).isEqualTo("type");
    assertThat(error.path("event_id").asString()).isEqualTo("evt_u");
    client.sendWrong("{not json");
    assertThat(client.next("error").at("/error/code").asString()).isEqualTo("invalid_json");
    client.send("{\"type\": \"input_audio_buffer.clear\"}");
    client.next("input_audio_buffer.cleared");
  }
}
