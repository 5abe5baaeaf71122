package dev.genaiprocessors.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;

/** Connecting, the session and its updates, strictness and expiry, checked with a bare client. */
class OpenAiRealtimeEmulatorSessionTest extends EmulatorTestSupport {

  @Test
  void sessionCreatedComesFirstWithTheFullGaSession() throws Exception {
    JsonNode created = connect().next("session.created");
    JsonNode s = created.get("session");
    assertThat(created.path("event_id").asString()).isNotEmpty();
    assertThat(s.path("type").asString()).isEqualTo("realtime");
    assertThat(s.path("object").asString()).isEqualTo("realtime.session");
    assertThat(s.path("id").asString()).startsWith("sess_");
    assertThat(s.path("model").asString()).isEqualTo("gpt-realtime");
    assertThat(s.get("output_modalities")).isEqualTo(json("[\"audio\"]"));
    assertThat(s.at("/audio/input/format"))
        .isEqualTo(json("{\"type\": \"audio/pcm\", \"rate\": 24000}"));
    assertThat(s.at("/audio/output/format"))
        .isEqualTo(json("{\"type\": \"audio/pcm\", \"rate\": 24000}"));
    assertThat(s.at("/audio/input/turn_detection/type").asString()).isEqualTo("server_vad");
    assertThat(s.at("/audio/input/turn_detection/create_response").asBoolean()).isTrue();
    assertThat(s.at("/audio/input/turn_detection/interrupt_response").asBoolean()).isTrue();
    assertThat(s.at("/audio/output/voice").asString()).isEqualTo("alloy");
    assertThat(s.path("tool_choice").asString()).isEqualTo("auto");
    assertThat(s.path("max_output_tokens").asString()).isEqualTo("inf");
    assertThat(s.has("instructions")).isTrue();
    assertThat(s.path("tools").isArray()).isTrue();
  }

  @Test
  void sessionUpdateChangesOnlyTheFieldsSentAndNullClears() throws Exception {
    RawRealtimeClient client = session();
    client.send(
        "{\"type\": \"session.update\", \"event_id\": \"evt_1\", \"session\": {\"type\": \"realtime\","
            + " \"instructions\": \"You are terse.\", \"output_modalities\": [\"text\"],"
            + " \"audio\": {\"output\": {\"voice\": \"marin\"}, \"input\": {\"transcription\": {\"model\": \"gpt-4o-mini-transcribe\"}}},"
            + " \"tools\": [{\"type\": \"function\", \"name\": \"get_weather\", \"description\": \"Weather\","
            + " \"parameters\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}}]}}");
    JsonNode s = client.next("session.updated").get("session");
    assertThat(s.path("instructions").asString()).isEqualTo("You are terse.");
    assertThat(s.get("output_modalities")).isEqualTo(json("[\"text\"]"));
    assertThat(s.at("/audio/output/voice").asString()).isEqualTo("marin");
    assertThat(s.at("/audio/output/format/rate").asInt()).isEqualTo(24000);
    assertThat(s.at("/audio/input/transcription/model").asString())
        .isEqualTo("gpt-4o-mini-transcribe");
    assertThat(s.at("/audio/input/turn_detection/type").asString()).isEqualTo("server_vad");
    assertThat(s.at("/tools/0/name").asString()).isEqualTo("get_weather");

    client.send(
        "{\"type\": \"session.update\", \"session\": {\"type\": \"realtime\","
            + " \"audio\": {\"input\": {\"turn_detection\": null}}}}");
    s = client.next("session.updated").get("session");
    assertThat(s.at("/audio/input/turn_detection").isNull()).isTrue();
    assertThat(s.path("instructions").asString()).isEqualTo("You are terse.");

    client.send(
        "{\"type\": \"session.update\", \"session\": {\"type\": \"realtime\","
            + " \"audio\": {\"input\": {\"turn_detection\": {\"type\": \"semantic_vad\", \"eagerness\": \"low\"}}}}}");
    s = client.next("session.updated").get("session");
    assertThat(s.at("/audio/input/turn_detection/type").asString()).isEqualTo("semantic_vad");
    assertThat(s.at("/audio/input/turn_detection/eagerness").asString()).isEqualTo("low");
    assertThat(s.at("/audio/input/turn_detection/threshold").isMissingNode()).isTrue();
  }

  @Test
  void anUnknownFieldAtAnyDepthGetsTheServersUnknownParameterErrorAndChangesNothing()
      throws Exception {
    RawRealtimeClient client = session();
    client.sendWrong(
        "{\"type\": \"session.update\", \"event_id\": \"evt_7\", \"session\": {\"type\": \"realtime\","
            + " \"instructions\": \"changed\", \"audio\": {\"output\": {\"voice\": \"marin\", \"volume\": 3}}}}");
    JsonNode error = client.next("error");
    assertThat(error.get("error"))
        .isEqualTo(
            json(
                "{\"type\": \"invalid_request_error\", \"code\": \"unknown_parameter\","
                    + " \"message\": \"Unknown parameter: 'session.audio.output.volume'.\", \"param\": \"session.audio.output.volume\","
                    + " \"event_id\": \"evt_7\"}"));

    // the beta shape's fields are unknown in GA
    client.sendWrong(
        "{\"type\": \"session.update\", \"session\": {\"type\": \"realtime\", \"voice\": \"alloy\"}}");
    assertThat(client.next("error").at("/error/param").asString()).isEqualTo("session.voice");
    client.sendWrong(
        "{\"type\": \"response.create\", \"response\": {\"input\": [{\"type\": \"message\", \"role\": \"user\","
            + " \"content\": [{\"type\": \"input_text\", \"txt\": \"hi\"}]}]}}");
    assertThat(client.next("error").at("/error/message").asString())
        .isEqualTo("Unknown parameter: 'response.input[0].content[0].txt'.");

    // the SDK's types do not know the field either
    assertThatThrownBy(
            () ->
                SdkJudge.assertClientEvent(
                    "{\"type\": \"session.update\", \"session\": {\"type\":"
                        + " \"realtime\", \"audio\": {\"output\": {\"volume\": 3}}}}"))
        .hasMessageContaining("session.audio.output.volume");

    // the socket stays open and the refused update changed nothing
    client.send("{\"type\": \"session.update\", \"session\": {\"type\": \"realtime\"}}");
    JsonNode s = client.next("session.updated").get("session");
    assertThat(s.path("instructions").asString()).isNotEqualTo("changed");
    assertThat(s.at("/audio/output/voice").asString()).isEqualTo("alloy");
  }

  @Test
  void badValuesAndMissingTypeAreRefusedWithTheParameterNamed() throws Exception {
    RawRealtimeClient client = session();
    client.sendWrong("{\"type\": \"session.update\", \"session\": {\"instructions\": \"x\"}}");
    assertThat(client.next("error").get("error"))
        .isEqualTo(
            json(
                "{\"type\": \"invalid_request_error\","
                    + " \"code\": \"missing_required_parameter\", \"message\": \"Missing required parameter: 'session.type'.\","
                    + " \"param\": \"session.type\", \"event_id\": null}"));
    client.sendWrong(
        "{\"type\": \"session.update\", \"session\": {\"type\": \"realtime\","
            + " \"output_modalities\": [\"audio\", \"text\"]}}");
    assertThat(client.next("error").at("/error/param").asString())
        .isEqualTo("session.output_modalities");
    client.sendWrong(
        "{\"type\": \"session.update\", \"session\": {\"type\": \"realtime\","
            + " \"audio\": {\"input\": {\"format\": {\"type\": \"audio/pcm\", \"rate\": 16000}}}}}");
    assertThat(client.next("error").at("/error/param").asString())
        .isEqualTo("session.audio.input.format.rate");
  }

  @Test
  void theVoiceIsFixedOnceAudioWasSent() throws Exception {
    RawRealtimeClient client = session();
    client.send(
        "{\"type\": \"session.update\", \"session\": {\"type\": \"realtime\", \"audio\": {\"output\": {\"voice\": \"marin\"}}}}");
    client.next("session.updated");
    client.send("{\"type\": \"response.create\"}"); // the fallback: 100 ms of audio
    client.until("response.done");
    client.send(
        "{\"type\": \"session.update\", \"event_id\": \"evt_v\", \"session\": {\"type\": \"realtime\","
            + " \"audio\": {\"output\": {\"voice\": \"cedar\"}}}}");
    assertThat(client.next("error").get("error"))
        .isEqualTo(
            json(
                "{\"type\": \"invalid_request_error\","
                    + " \"code\": \"cannot_update_voice\", \"message\": \"Cannot update a conversation's voice if assistant audio is present.\","
                    + " \"param\": \"session.audio.output.voice\", \"event_id\": \"evt_v\"}"));
    client.send(
        "{\"type\": \"session.update\", \"session\": {\"type\": \"realtime\", \"audio\": {\"output\": {\"voice\": \"marin\"}}}}");
    assertThat(client.next("session.updated").at("/session/audio/output/voice").asString())
        .isEqualTo("marin");
  }

  @Test
  void theBetaHeaderClosesWith4000() throws Exception {
    RawRealtimeClient client =
        track(
            new RawRealtimeClient(
                URI.create(server.uri() + "?model=gpt-realtime"),
                Map.of(
                    "Authorization", "Bearer " + server.apiKey(), "OpenAI-Beta", "realtime=v1")));
    WebSocketCloseStatus status = client.awaitEnd();
    assertThat(status.code()).isEqualTo(4000);
    assertThat(status.reasonText()).isEqualTo("beta_api_shape_disabled");
    assertThat(client.received).isEmpty();
  }

  @Test
  void aWrongKeyGetsInvalidApiKeyAndClose3000WithoutTheKeyInTheMessage() throws Exception {
    RawRealtimeClient client =
        track(
            new RawRealtimeClient(
                URI.create(server.uri() + "?model=gpt-realtime"),
                Map.of("Authorization", "Bearer sk-secret-wrong")));
    JsonNode error = client.next("error");
    assertThat(error.at("/error/type").asString()).isEqualTo("invalid_request_error");
    assertThat(error.at("/error/code").asString()).isEqualTo("invalid_api_key");
    assertThat(error.toString()).doesNotContain("sk-secret-wrong");
    WebSocketCloseStatus status = client.awaitEnd();
    assertThat(status.code()).isEqualTo(3000);
    assertThat(status.reasonText()).isEqualTo("invalid_request_error.invalid_api_key");
  }

  @Test
  void aMissingKeyAndAnUnknownModelAreRefused() throws Exception {
    RawRealtimeClient noKey =
        track(new RawRealtimeClient(URI.create(server.uri() + "?model=gpt-realtime"), Map.of()));
    assertThat(noKey.next("error").at("/error/message").asString())
        .startsWith("You didn't provide an API key.");
    assertThat(noKey.awaitEnd().code()).isEqualTo(3000);
    RawRealtimeClient badModel =
        track(
            new RawRealtimeClient(
                URI.create(server.uri() + "?model=gpt-3"),
                Map.of("Authorization", "Bearer " + server.apiKey())));
    assertThat(badModel.next("error").at("/error/code").asString()).isEqualTo("model_not_found");
    assertThat(badModel.awaitEnd().reasonText()).isEqualTo("invalid_request_error.model_not_found");
  }

  @Nested
  class Expiry extends EmulatorTestSupport {
    @Override
    OpenAiRealtimeEmulator.Builder emulator() {
      return OpenAiRealtimeEmulator.builder().sessionDuration(Duration.ofSeconds(1));
    }

    @Test
    void theSessionExpiresWithSessionExpiredThenClose1001() throws Exception {
      RawRealtimeClient client = connect();
      long expiresAt = client.next("session.created").at("/session/expires_at").asLong();
      JsonNode error = client.next("error");
      assertThat(error.get("error"))
          .isEqualTo(
              json(
                  "{\"type\": \"invalid_request_error\", \"code\": \"session_expired\","
                      + " \"message\": \"Your session hit the maximum duration of 1 second.\", \"param\": null, \"event_id\": null}"));
      WebSocketCloseStatus status = client.awaitEnd();
      assertThat(status.code()).isEqualTo(1001);
      assertThat(expiresAt).isPositive();
    }
  }

  @Nested
  class ExpiryUnderVirtualTime extends EmulatorTestSupport {
    final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

    @Override
    OpenAiRealtimeEmulator.Builder emulator() {
      return OpenAiRealtimeEmulator.builder().timers(clock);
    }

    @Test
    void theDefaultSixtyMinutesPassInVirtualTime() throws Exception {
      RawRealtimeClient client = connect();
      assertThat(client.next("session.created").at("/session/expires_at").asLong()).isEqualTo(3600);
      clock.advanceTimeBy(Duration.ofMinutes(59));
      client.send("{\"type\": \"input_audio_buffer.clear\"}");
      client.next("input_audio_buffer.cleared");
      clock.advanceTimeBy(Duration.ofMinutes(1));
      assertThat(client.next("error").at("/error/message").asString())
          .isEqualTo("Your session hit the maximum duration of 60 minutes.");
      assertThat(client.awaitEnd().code()).isEqualTo(1001);
    }
  }
}
