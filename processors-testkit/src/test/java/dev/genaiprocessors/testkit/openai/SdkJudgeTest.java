package dev.genaiprocessors.testkit.openai;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The judge can fail: it refuses what the SDK does not know, so its passing on the emulator's events means something. */
class SdkJudgeTest {

  @Test
  void aServerEventTheSdkKnowsPasses() {
    assertThatCode(
            () ->
                SdkJudge.assertServerEvent(
                    "{\"type\": \"input_audio_buffer.speech_started\","
                        + " \"event_id\": \"event_2\", \"audio_start_ms\": 1200, \"item_id\": \"item_u1\"}"))
        .doesNotThrowAnyException();
  }

  @Test
  void aFieldTheSdkDeclaresButAlsoListsAsALegacyAdditionalPropertyPassesAndAMisspeltOneFails() {
    // openai-java lists status_details.error.message among the additional properties too
    // (legacyAdditionalProperties), though RealtimeResponseStatus.Error declares it.
    String failed =
        "{\"type\": \"response.done\", \"event_id\": \"e\", \"response\": {\"id\": \"r\","
            + " \"status\": \"failed\", \"status_details\": {\"type\": \"failed\", \"error\":"
            + " {\"type\": \"server_error\", \"code\": null, \"%s\": \"Oops\"}}}}";
    assertThatCode(() -> SdkJudge.assertServerEvent(failed.formatted("message")))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> SdkJudge.assertServerEvent(failed.formatted("messages")))
        .hasMessageContaining("statusDetails.error.messages");
  }

  @Test
  void aMisspeltFieldAnUnknownTypeAndAMissingFieldFail() {
    assertThatThrownBy(
            () ->
                SdkJudge.assertServerEvent(
                    "{\"type\": \"input_audio_buffer.speech_started\","
                        + " \"event_id\": \"event_2\", \"audio_start_ms\": 1200, \"item_id\": \"item_u1\", \"audio_start_msec\": 1}"))
        .hasMessageContaining("audio_start_msec");
    assertThatThrownBy(
            () ->
                SdkJudge.assertServerEvent(
                    "{\"type\": \"response.audio.delta\", \"event_id\": \"e\","
                        + " \"response_id\": \"r\", \"item_id\": \"i\", \"output_index\": 0, \"content_index\": 0, \"delta\": \"AA==\"}"))
        .hasMessageContaining("does not know");
    assertThatThrownBy(
            () ->
                SdkJudge.assertServerEvent(
                    "{\"type\": \"input_audio_buffer.speech_started\","
                        + " \"event_id\": \"event_2\", \"item_id\": \"item_u1\"}"))
        .hasMessageContaining("invalid");
  }

  @Test
  void aClientEventWithABetaFieldFailsAndItemReferencesMustBeExactlyTypeAndId() {
    assertThatThrownBy(
            () ->
                SdkJudge.assertClientEvent(
                    "{\"type\": \"session.update\", \"session\": {\"type\":"
                        + " \"realtime\", \"voice\": \"alloy\"}}"))
        .hasMessageContaining("voice");
    assertThatCode(
            () ->
                SdkJudge.assertClientEvent(
                    "{\"type\": \"response.create\", \"response\": {\"conversation\":"
                        + " \"none\", \"input\": [{\"type\": \"item_reference\", \"id\": \"item_1\"}]}}"))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () ->
                SdkJudge.assertClientEvent(
                    "{\"type\": \"response.create\", \"response\": {\"input\":"
                        + " [{\"type\": \"item_reference\", \"item_id\": \"item_1\"}]}}"))
        .hasMessageContaining("item_reference");
  }
}
