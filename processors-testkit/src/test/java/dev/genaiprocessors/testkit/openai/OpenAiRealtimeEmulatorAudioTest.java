package dev.genaiprocessors.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The input audio buffer, scripted server VAD, barge-in, truncation and the conversation's items. */
class OpenAiRealtimeEmulatorAudioTest extends EmulatorTestSupport {

  @Test
  void scriptedSpeechGivesVadEventsTheCommittedItemAResponseAndALateTranscript() throws Exception {
    server.enqueue(
        Script.builder()
            .on("input_audio_buffer.append", Reply.speechStarted())
            .on(
                "input_audio_buffer.append",
                Reply.speechStopped(),
                Reply.response(Output.audio(pcm(100), "Hi!")),
                Reply.inputTranscript("Hello there"))
            .build());
    RawRealtimeClient client = session();
    client.send(
        "{\"type\": \"session.update\", \"session\": {\"type\": \"realtime\","
            + " \"audio\": {\"input\": {\"transcription\": {\"model\": \"gpt-4o-mini-transcribe\"}}}}}");
    client.next("session.updated");
    client.send(append(200));
    client.send(append(300));
    JsonNode started = client.next("input_audio_buffer.speech_started");
    assertThat(started.path("audio_start_ms").asLong()).isZero();
    String userItem = started.path("item_id").asString();
    JsonNode stopped = client.next("input_audio_buffer.speech_stopped");
    assertThat(stopped.path("audio_end_ms").asLong()).isEqualTo(500);
    assertThat(stopped.path("item_id").asString()).isEqualTo(userItem);
    assertThat(client.next("input_audio_buffer.committed").path("item_id").asString())
        .isEqualTo(userItem);
    JsonNode added = client.next("conversation.item.added");
    assertThat(added.get("item"))
        .isEqualTo(
            json(
                "{\"id\": \""
                    + userItem
                    + "\", \"type\": \"message\","
                    + " \"object\": \"realtime.item\", \"status\": \"completed\", \"role\": \"user\","
                    + " \"content\": [{\"type\": \"input_audio\", \"transcript\": null}]}"));
    client.next("conversation.item.done");
    List<JsonNode> response = client.until("response.done");
    assertThat(response.get(0).path("type").asString()).isEqualTo("response.created");
    // the input transcription arrives after the answer started
    assertThat(
            client
                .next("conversation.item.input_audio_transcription.delta")
                .path("delta")
                .asString())
        .isEqualTo("Hello ");
    assertThat(
            client
                .next("conversation.item.input_audio_transcription.delta")
                .path("delta")
                .asString())
        .isEqualTo("there");
    JsonNode completed = client.next("conversation.item.input_audio_transcription.completed");
    assertThat(completed.path("item_id").asString()).isEqualTo(userItem);
    assertThat(completed.path("transcript").asString()).isEqualTo("Hello there");
    assertThat(completed.at("/usage/seconds").asDouble()).isEqualTo(0.5);
    client.send("{\"type\": \"conversation.item.retrieve\", \"item_id\": \"" + userItem + "\"}");
    assertThat(
            client.next("conversation.item.retrieved").at("/item/content/0/transcript").asString())
        .isEqualTo("Hello there");
    server.assertScriptUsedUp();
  }

  @Test
  void speechOverAnActiveResponseCancelsItWithTurnDetectedThenTruncationMatchesWhatWasHeard()
      throws Exception {
    server.enqueue(
        Script.builder()
            .on("input_audio_buffer.append", Reply.speechStarted())
            .on(
                "input_audio_buffer.append",
                Reply.speechStopped(),
                Reply.openResponse(Output.audio(pcm(1000), "A long story")))
            .on("input_audio_buffer.append", Reply.speechStarted())
            .build());
    RawRealtimeClient client = session();
    client.send(append(100)).send(append(100));
    List<JsonNode> streamed = client.until("response.output_audio_transcript.delta");
    String assistantItem =
        streamed.stream()
            .filter(e -> e.path("type").asString().equals("response.output_item.added"))
            .findFirst()
            .orElseThrow()
            .at("/item/id")
            .asString();
    client.until("response.output_audio_transcript.delta");
    client.until("response.output_audio_transcript.delta");

    client.send(append(100)); // the user talks over the answer
    JsonNode started = client.next("input_audio_buffer.speech_started");
    assertThat(started.path("audio_start_ms").asLong()).isEqualTo(200);
    List<JsonNode> cancel = client.until("response.done");
    JsonNode done = cancel.get(cancel.size() - 1).get("response");
    assertThat(done.path("status").asString()).isEqualTo("cancelled");
    assertThat(done.get("status_details"))
        .isEqualTo(json("{\"type\": \"cancelled\", \"reason\": \"turn_detected\"}"));
    assertThat(done.at("/output/0/status").asString()).isEqualTo("incomplete");

    client.send(
        "{\"type\": \"conversation.item.truncate\", \"item_id\": \""
            + assistantItem
            + "\","
            + " \"content_index\": 0, \"audio_end_ms\": 420}");
    JsonNode truncated = client.next("conversation.item.truncated");
    assertThat(truncated.path("item_id").asString()).isEqualTo(assistantItem);
    assertThat(truncated.path("audio_end_ms").asLong()).isEqualTo(420);
    assertThat(truncated.path("content_index").asInt()).isZero();
    client.send(
        "{\"type\": \"conversation.item.retrieve\", \"item_id\": \"" + assistantItem + "\"}");
    assertThat(
            client.next("conversation.item.retrieved").at("/item/content/0/transcript").asString())
        .isEmpty();
    // truncated to 420 ms: more is now beyond the audio
    client.send(
        "{\"type\": \"conversation.item.truncate\", \"item_id\": \""
            + assistantItem
            + "\","
            + " \"content_index\": 0, \"audio_end_ms\": 500}");
    assertThat(client.next("error").at("/error/message").asString())
        .isEqualTo("Audio content of 420ms is already shorter than 500ms");
  }

  @Test
  void truncationBeyondTheAudioOrOfANonAudioItemIsAnError() throws Exception {
    server.enqueue(
        Script.builder()
            .on("response.create", Reply.response(Output.audio(pcm(300), "Three")))
            .build());
    RawRealtimeClient client = session();
    client.send("{\"type\": \"response.create\"}");
    List<JsonNode> events = client.until("response.done");
    String item = events.get(events.size() - 1).at("/response/output/0/id").asString();

    client.send(
        "{\"type\": \"conversation.item.truncate\", \"event_id\": \"evt_t\", \"item_id\": \""
            + item
            + "\","
            + " \"content_index\": 0, \"audio_end_ms\": 301}");
    assertThat(client.next("error").get("error"))
        .isEqualTo(
            json(
                "{\"type\": \"invalid_request_error\","
                    + " \"code\": \"invalid_value\", \"message\": \"Audio content of 300ms is already shorter than 301ms\","
                    + " \"param\": \"audio_end_ms\", \"event_id\": \"evt_t\"}"));
    client.send(
        "{\"type\": \"conversation.item.truncate\", \"item_id\": \"item_missing\", \"content_index\": 0,"
            + " \"audio_end_ms\": 10}");
    assertThat(client.next("error").at("/error/code").asString())
        .isEqualTo("item_truncate_invalid_item_id");
    client.send(
        "{\"type\": \"conversation.item.create\", \"item\": {\"type\": \"message\", \"role\": \"user\","
            + " \"content\": [{\"type\": \"input_text\", \"text\": \"hi\"}]}}");
    String userItem = client.next("conversation.item.added").at("/item/id").asString();
    client.next("conversation.item.done");
    client.send(
        "{\"type\": \"conversation.item.truncate\", \"item_id\": \""
            + userItem
            + "\", \"content_index\": 0,"
            + " \"audio_end_ms\": 0}");
    assertThat(client.next("error").at("/error/param").asString()).isEqualTo("content_index");
    client.send(
        "{\"type\": \"conversation.item.truncate\", \"item_id\": \""
            + item
            + "\", \"content_index\": 0,"
            + " \"audio_end_ms\": 300}");
    assertThat(client.next("conversation.item.truncated").path("audio_end_ms").asLong())
        .isEqualTo(300);
  }

  @Test
  void commitNeedsAtLeast100msAndClearEmptiesTheBuffer() throws Exception {
    RawRealtimeClient client = session();
    client.send(append(50));
    client.send("{\"type\": \"input_audio_buffer.commit\", \"event_id\": \"evt_c\"}");
    JsonNode error = client.next("error").get("error");
    assertThat(error.path("code").asString()).isEqualTo("input_audio_buffer_commit_empty");
    assertThat(error.path("message").asString())
        .contains("Expected at least 100ms of audio, but buffer only has 50.00ms");
    assertThat(error.path("event_id").asString()).isEqualTo("evt_c");
    client.send(append(100));
    client.send("{\"type\": \"input_audio_buffer.commit\"}");
    JsonNode committed = client.next("input_audio_buffer.committed");
    assertThat(client.next("conversation.item.added").at("/item/id").asString())
        .isEqualTo(committed.path("item_id").asString());
    client.next("conversation.item.done");
    client.send(append(200));
    client.send("{\"type\": \"input_audio_buffer.clear\"}");
    client.next("input_audio_buffer.cleared");
    client.send("{\"type\": \"input_audio_buffer.commit\"}");
    assertThat(client.next("error").at("/error/code").asString())
        .isEqualTo("input_audio_buffer_commit_empty");
  }

  @Test
  void anInputTranscriptNeedsTranscriptionInTheSession() throws Exception {
    server.enqueue(
        Script.builder()
            .on(
                "input_audio_buffer.append",
                Reply.speechStarted(),
                Reply.speechStopped(),
                Reply.inputTranscript("Hi"))
            .build());
    RawRealtimeClient client = session();
    client.send(append(200));
    assertThat(types(client.until("conversation.item.done")))
        .doesNotContain(
            "conversation.item.input_audio_transcription.delta",
            "conversation.item.input_audio_transcription.completed");
    assertThat(client.anyEventWithin(Duration.ofMillis(300))).isFalse();
  }

  @Test
  void speechStepsDoNothingWhenTurnDetectionIsOff() throws Exception {
    server.enqueue(
        Script.builder()
            .on("input_audio_buffer.append", Reply.speechStarted(), Reply.speechStopped())
            .build());
    RawRealtimeClient client = session();
    client.send(
        "{\"type\": \"session.update\", \"session\": {\"type\": \"realtime\","
            + " \"audio\": {\"input\": {\"turn_detection\": null}}}}");
    client.next("session.updated");
    client.send(append(200));
    assertThat(client.anyEventWithin(Duration.ofMillis(300))).isFalse();
    server.assertScriptUsedUp();
  }

  @Test
  void itemsAreCreatedInPlaceRetrievedAndDeleted() throws Exception {
    RawRealtimeClient client = session();
    client.send(
        "{\"type\": \"conversation.item.create\", \"item\": {\"id\": \"a\", \"type\": \"message\","
            + " \"role\": \"user\", \"content\": [{\"type\": \"input_text\", \"text\": \"one\"}]}}");
    assertThat(client.next("conversation.item.added").get("previous_item_id").isNull()).isTrue();
    client.next("conversation.item.done");
    client.send(
        "{\"type\": \"conversation.item.create\", \"previous_item_id\": \"root\", \"item\": {\"id\": \"b\","
            + " \"type\": \"message\", \"role\": \"system\", \"content\": [{\"type\": \"input_text\", \"text\": \"zero\"}]}}");
    assertThat(client.next("conversation.item.added").get("previous_item_id").isNull()).isTrue();
    client.next("conversation.item.done");
    client.send(
        "{\"type\": \"conversation.item.create\", \"previous_item_id\": \"b\", \"item\": {\"type\": \"message\","
            + " \"role\": \"user\", \"content\": [{\"type\": \"input_audio\", \"audio\": \""
            + java.util.Base64.getEncoder().encodeToString(pcm(100))
            + "\"}]}}");
    JsonNode added = client.next("conversation.item.added");
    assertThat(added.path("previous_item_id").asString()).isEqualTo("b");
    assertThat(added.at("/item/content/0"))
        .isEqualTo(json("{\"type\": \"input_audio\", \"transcript\": null}"));
    client.next("conversation.item.done");
    client.send(
        "{\"type\": \"conversation.item.create\", \"item\": {\"id\": \"a\", \"type\": \"message\","
            + " \"role\": \"user\", \"content\": [{\"type\": \"input_text\", \"text\": \"again\"}]}}");
    assertThat(client.next("error").at("/error/code").asString())
        .isEqualTo("item_id_already_exists");
    client.send("{\"type\": \"conversation.item.delete\", \"item_id\": \"a\"}");
    assertThat(client.next("conversation.item.deleted").path("item_id").asString()).isEqualTo("a");
    client.send("{\"type\": \"conversation.item.retrieve\", \"item_id\": \"a\"}");
    assertThat(client.next("error").at("/error/code").asString())
        .isEqualTo("item_retrieve_invalid_item_id");
    client.send("{\"type\": \"conversation.item.delete\", \"item_id\": \"a\"}");
    assertThat(client.next("error").at("/error/code").asString())
        .isEqualTo("item_delete_invalid_item_id");
  }
}
