package dev.genaiprocessors.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Responses: text, audio, function calls, one active response at a time, cancel, out-of-band. */
class OpenAiRealtimeEmulatorResponseTest extends EmulatorTestSupport {
  static final String TEXT_ONLY =
      "{\"type\": \"session.update\", \"session\": {\"type\": \"realtime\","
          + " \"output_modalities\": [\"text\"]}}";
  static final String USER_HELLO =
      "{\"type\": \"conversation.item.create\", \"item\": {\"type\": \"message\","
          + " \"role\": \"user\", \"content\": [{\"type\": \"input_text\", \"text\": \"Hello\"}]}}";

  @Test
  void aTextResponseStreamsItsEventsInTheServersOrder() throws Exception {
    server.enqueue(
        Script.builder().on("response.create", Reply.response(Output.text("Hello there"))).build());
    RawRealtimeClient client = session();
    client.send(TEXT_ONLY).next("session.updated");
    client.send(USER_HELLO);
    JsonNode added = client.next("conversation.item.added");
    assertThat(added.at("/item/role").asString()).isEqualTo("user");
    assertThat(added.at("/item/content/0/text").asString()).isEqualTo("Hello");
    String userItem = added.at("/item/id").asString();
    assertThat(client.next("conversation.item.done").at("/item/id").asString()).isEqualTo(userItem);

    client.send("{\"type\": \"response.create\"}");
    List<JsonNode> events = client.until("response.done");
    assertThat(types(events))
        .containsExactly(
            "response.created",
            "rate_limits.updated",
            "response.output_item.added",
            "conversation.item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "conversation.item.done",
            "response.done");
    JsonNode created = events.get(0).get("response");
    assertThat(created.path("status").asString()).isEqualTo("in_progress");
    assertThat(created.path("conversation_id").asString()).startsWith("conv_");
    assertThat(events.get(3).path("previous_item_id").asString()).isEqualTo(userItem);
    assertThat(events.get(5).path("delta").asString() + events.get(6).path("delta").asString())
        .isEqualTo("Hello there");
    assertThat(events.get(7).path("text").asString()).isEqualTo("Hello there");
    JsonNode done = events.get(11).get("response");
    assertThat(done.path("status").asString()).isEqualTo("completed");
    assertThat(done.at("/output/0/content/0"))
        .isEqualTo(json("{\"type\": \"output_text\", \"text\": \"Hello there\"}"));
    JsonNode usage = done.get("usage");
    assertThat(usage.path("total_tokens").asLong())
        .isEqualTo(usage.path("input_tokens").asLong() + usage.path("output_tokens").asLong())
        .isPositive();
    server.assertScriptUsedUp();
  }

  @Test
  void anAudioResponseCarriesTheScriptedPcmInDeltasOfAtMost100msAndItsTranscript()
      throws Exception {
    byte[] audio = pcm(250);
    server.enqueue(
        Script.builder()
            .on("response.create", Reply.response(Output.audio(audio, "It is sunny.")))
            .build());
    RawRealtimeClient client = session();
    client.send("{\"type\": \"response.create\"}");
    List<JsonNode> events = client.until("response.done");
    ByteArrayOutputStream heard = new ByteArrayOutputStream();
    StringBuilder transcript = new StringBuilder();
    int audioDeltas = 0;
    for (JsonNode e : events) {
      switch (e.path("type").asString()) {
        case "response.output_audio.delta" -> {
          byte[] chunk = Base64.getDecoder().decode(e.path("delta").asString());
          assertThat(chunk.length).isLessThanOrEqualTo(4800);
          heard.writeBytes(chunk);
          audioDeltas++;
        }
        case "response.output_audio_transcript.delta" ->
            transcript.append(e.path("delta").asString());
        default -> {}
      }
    }
    assertThat(heard.toByteArray()).isEqualTo(audio);
    assertThat(audioDeltas).isEqualTo(3);
    assertThat(transcript).hasToString("It is sunny.");
    assertThat(types(events))
        .contains("response.output_audio.done", "response.output_audio_transcript.done")
        .doesNotContain("response.output_text.delta");
    JsonNode done = events.get(events.size() - 1).get("response");
    assertThat(done.at("/output/0/content/0"))
        .isEqualTo(json("{\"type\": \"output_audio\", \"transcript\": \"It is sunny.\"}"));
    assertThat(done.at("/usage/output_token_details/audio_tokens").asLong()).isEqualTo(5);
  }

  @Test
  void aFunctionCallStreamsItsArgumentsAndTheNextResponseFollowsTheOutput() throws Exception {
    server.enqueue(
        Script.builder()
            .on(
                "response.create",
                Reply.response(
                    Output.functionCall("call_abc123", "get_weather", "{\"city\":\"Paris\"}")))
            .on("response.create", Reply.response(Output.text("Sunny in Paris.")))
            .build());
    RawRealtimeClient client = session();
    client.send(TEXT_ONLY).next("session.updated");
    client.send("{\"type\": \"response.create\"}");
    List<JsonNode> events = client.until("response.done");
    List<JsonNode> deltas =
        events.stream()
            .filter(e -> e.path("type").asString().equals("response.function_call_arguments.delta"))
            .toList();
    assertThat(deltas).hasSize(2);
    assertThat(deltas.get(0).path("delta").asString() + deltas.get(1).path("delta").asString())
        .isEqualTo("{\"city\":\"Paris\"}");
    JsonNode argsDone =
        events.stream()
            .filter(e -> e.path("type").asString().equals("response.function_call_arguments.done"))
            .findFirst()
            .orElseThrow();
    assertThat(argsDone.path("call_id").asString()).isEqualTo("call_abc123");
    assertThat(argsDone.path("name").asString()).isEqualTo("get_weather");
    assertThat(argsDone.path("arguments").asString()).isEqualTo("{\"city\":\"Paris\"}");
    JsonNode call = events.get(events.size() - 1).at("/response/output/0");
    assertThat(call.path("type").asString()).isEqualTo("function_call");
    assertThat(call.path("arguments").asString()).isEqualTo("{\"city\":\"Paris\"}");

    client.send(
        "{\"type\": \"conversation.item.create\", \"item\": {\"type\": \"function_call_output\","
            + " \"call_id\": \"call_abc123\", \"output\": \"{\\\"tempC\\\":21}\"}}");
    assertThat(client.next("conversation.item.added").at("/item/output").asString())
        .isEqualTo("{\"tempC\":21}");
    client.next("conversation.item.done");
    client.send("{\"type\": \"response.create\"}");
    List<JsonNode> second = client.until("response.done");
    assertThat(second.get(second.size() - 1).at("/response/output/0/content/0/text").asString())
        .isEqualTo("Sunny in Paris.");
    server.assertScriptUsedUp();
  }

  @Test
  void aSecondResponseWhileOneIsActiveIsRefusedAndCancelEndsTheActiveOne() throws Exception {
    server.enqueue(
        Script.builder()
            .on("response.create", Reply.openResponse(Output.text("Thinking...")))
            .build());
    RawRealtimeClient client = session();
    client.send(TEXT_ONLY).next("session.updated");
    client.send("{\"type\": \"response.cancel\"}");
    assertThat(client.next("error").at("/error/code").asString())
        .isEqualTo("response_cancel_not_active");

    client.send("{\"type\": \"response.create\"}");
    String responseId = client.next("response.created").at("/response/id").asString();
    client.until("response.output_text.delta");
    client.send("{\"type\": \"response.create\", \"event_id\": \"evt_2\"}");
    JsonNode error = client.next("error");
    assertThat(error.get("error"))
        .isEqualTo(
            json(
                "{\"type\": \"invalid_request_error\","
                    + " \"code\": \"conversation_already_has_active_response\", \"message\": \"Conversation already has an active"
                    + " response in progress: "
                    + responseId
                    + ". Wait until the response is finished before creating a new one.\","
                    + " \"param\": null, \"event_id\": \"evt_2\"}"));

    client.send("{\"type\": \"response.cancel\"}");
    List<JsonNode> end = client.until("response.done");
    JsonNode done = end.get(end.size() - 1).get("response");
    assertThat(done.path("id").asString()).isEqualTo(responseId);
    assertThat(done.path("status").asString()).isEqualTo("cancelled");
    assertThat(done.get("status_details"))
        .isEqualTo(json("{\"type\": \"cancelled\", \"reason\": \"client_cancelled\"}"));
    assertThat(done.at("/output/0/status").asString()).isEqualTo("incomplete");
    client.send("{\"type\": \"response.cancel\"}");
    assertThat(client.next("error").at("/error/code").asString())
        .isEqualTo("response_cancel_not_active");
  }

  @Test
  void anOutOfBandResponseRunsBesideTheDefaultOneAddsNothingToTheConversationAndEchoesItsMetadata()
      throws Exception {
    // As OpenAiRealtimeProcessor sends an OutOfBandRequest: its id rides in the metadata, to route
    // the
    // answer back.
    server.enqueue(
        Script.builder()
            .on("response.create", Reply.openResponse(Output.text("Long answer")))
            .on("response.create", Reply.response(Output.text("booking")))
            .build());
    RawRealtimeClient client = session();
    client.send(TEXT_ONLY).next("session.updated");
    client.send(USER_HELLO);
    String userItem = client.next("conversation.item.added").at("/item/id").asString();
    client.next("conversation.item.done");
    client.send("{\"type\": \"response.create\"}");
    client.until("response.output_text.delta");
    client.until("response.output_text.delta");

    client.send(
        "{\"type\": \"response.create\", \"response\": {\"conversation\": \"none\", \"output_modalities\": [\"text\"],"
            + " \"metadata\": {\"purpose\": \"classify\", \"out_of_band_id\": \"oob-1\"},"
            + " \"instructions\": \"Classify the user's intent in one word.\","
            + " \"input\": [{\"type\": \"item_reference\", \"id\": \""
            + userItem
            + "\"}, {\"type\": \"message\","
            + " \"role\": \"user\", \"content\": [{\"type\": \"input_text\", \"text\": \"book a flight\"}]}]}}");
    List<JsonNode> events = client.until("response.done");
    assertThat(types(events))
        .doesNotContain("conversation.item.added", "conversation.item.done", "error");
    JsonNode created = events.get(0).get("response");
    assertThat(created.get("metadata"))
        .isEqualTo(json("{\"purpose\": \"classify\", \"out_of_band_id\": \"oob-1\"}"));
    assertThat(created.get("conversation_id").isNull()).isTrue();
    JsonNode done = events.get(events.size() - 1).get("response");
    assertThat(done.get("metadata"))
        .isEqualTo(json("{\"purpose\": \"classify\", \"out_of_band_id\": \"oob-1\"}"));
    assertThat(done.at("/output/0/content/0/text").asString()).isEqualTo("booking");

    client.send(
        "{\"type\": \"response.create\", \"response\": {\"conversation\": \"none\","
            + " \"input\": [{\"type\": \"item_reference\", \"id\": \"item_nope\"}]}}");
    assertThat(client.next("error").at("/error/param").asString())
        .isEqualTo("response.input[0].id");

    // the default response is still the active one
    client.send("{\"type\": \"response.cancel\"}");
    assertThat(client.until("response.done").get(0).path("type").asString())
        .isEqualTo("response.output_text.done");
  }

  @Test
  void aFailedOutOfBandResponseEndsAtOnceWithItsErrorInStatusDetailsAsTheSdkReadsIt()
      throws Exception {
    server.enqueue(
        Script.builder()
            .on(
                "response.create",
                Reply.failedResponse(
                    "server_error",
                    "internal_error",
                    "The server had an error while processing your request."))
            .on("response.create", Reply.response(Output.text("Hello")))
            .build());
    RawRealtimeClient client = session();
    client.send(TEXT_ONLY).next("session.updated");
    client.send(
        "{\"type\": \"response.create\", \"event_id\": \"out_of_band_oob-1\", \"response\":"
            + " {\"conversation\": \"none\", \"metadata\": {\"out_of_band_id\": \"oob-1\"},"
            + " \"input\": []}}");
    List<JsonNode> events = client.until("response.done");
    assertThat(types(events))
        .containsExactly("response.created", "rate_limits.updated", "response.done");
    JsonNode done = events.get(2).get("response");
    assertThat(done.path("status").asString()).isEqualTo("failed");
    assertThat(done.get("status_details"))
        .isEqualTo(
            json(
                "{\"type\": \"failed\", \"error\": {\"type\": \"server_error\", \"code\":"
                    + " \"internal_error\", \"message\": \"The server had an error while processing"
                    + " your request.\"}}"));
    assertThat(done.get("output")).isEmpty();
    assertThat(done.get("conversation_id").isNull()).isTrue();
    assertThat(done.at("/metadata/out_of_band_id").asString()).isEqualTo("oob-1");
    // The SDK reads the error where the server puts it (every event is judged after the test too).
    var sdk =
        SdkJudge.SDK.readValue(
            RealtimeWire.write(events.get(2)), com.openai.models.realtime.ResponseDoneEvent.class);
    var error = sdk.response().statusDetails().orElseThrow().error().orElseThrow();
    assertThat(error.type()).contains("server_error");
    assertThat(error.code()).contains("internal_error");
    assertThat(error.message()).contains("The server had an error while processing your request.");

    // The failure ended that response only: the next one runs.
    client.send("{\"type\": \"response.create\"}");
    List<JsonNode> next = client.until("response.done");
    assertThat(next.get(next.size() - 1).at("/response/status").asString()).isEqualTo("completed");
    server.assertScriptUsedUp();
  }

  @Test
  void anIncompleteResponseSendsItsOutputThenEndsIncompleteWithItsReason() throws Exception {
    server.enqueue(
        Script.builder()
            .on(
                "response.create",
                Reply.incompleteResponse("max_output_tokens", Output.text("Once upon")))
            .build());
    RawRealtimeClient client = session();
    client.send(TEXT_ONLY).next("session.updated");
    client.send("{\"type\": \"response.create\"}");
    List<JsonNode> events = client.until("response.done");
    assertThat(types(events)).contains("response.output_text.delta", "response.output_item.done");
    JsonNode done = events.get(events.size() - 1).get("response");
    assertThat(done.path("status").asString()).isEqualTo("incomplete");
    assertThat(done.get("status_details"))
        .isEqualTo(json("{\"type\": \"incomplete\", \"reason\": \"max_output_tokens\"}"));
    assertThat(done.at("/output/0/status").asString()).isEqualTo("incomplete");
    assertThat(done.at("/output/0/content/0/text").asString()).isEqualTo("Once upon");
    server.assertScriptUsedUp();
  }

  @Test
  void anIncompleteResponseTakesOnlyTheReasonsTheServerGives() {
    assertThatThrownBy(() -> Reply.incompleteResponse("turn_detected"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max_output_tokens or content_filter");
  }

  @Test
  void aResponseCreateNoStepWaitsForGetsTheFallback() throws Exception {
    RawRealtimeClient client = session();
    client.send("{\"type\": \"response.create\"}");
    List<JsonNode> events = client.until("response.done");
    assertThat(
            events.get(events.size() - 1).at("/response/output/0/content/0/transcript").asString())
        .isEqualTo("OK");
    client.send(TEXT_ONLY).next("session.updated");
    client.send("{\"type\": \"response.create\"}");
    events = client.until("response.done");
    assertThat(events.get(events.size() - 1).at("/response/output/0/content/0/text").asString())
        .isEqualTo("OK");
  }

  @Test
  void g711OutputAudioIsCutIn100msDeltasOf800Bytes() throws Exception {
    server.enqueue(
        Script.builder()
            .on("response.create", Reply.response(Output.audio(new byte[2000], "Hi")))
            .build());
    RawRealtimeClient client = session();
    client.send(
        "{\"type\": \"session.update\", \"session\": {\"type\": \"realtime\","
            + " \"audio\": {\"output\": {\"format\": {\"type\": \"audio/pcmu\"}}}}}");
    assertThat(client.next("session.updated").at("/session/audio/output/format"))
        .isEqualTo(json("{\"type\": \"audio/pcmu\"}"));
    client.send("{\"type\": \"response.create\"}");
    List<JsonNode> events = client.until("response.done");
    List<Integer> sizes =
        events.stream()
            .filter(e -> e.path("type").asString().equals("response.output_audio.delta"))
            .map(e -> Base64.getDecoder().decode(e.path("delta").asString()).length)
            .toList();
    assertThat(sizes).containsExactly(800, 800, 400);
    assertThat(events.get(0).at("/response/audio/output/format/type").asString())
        .isEqualTo("audio/pcmu");
  }
}
