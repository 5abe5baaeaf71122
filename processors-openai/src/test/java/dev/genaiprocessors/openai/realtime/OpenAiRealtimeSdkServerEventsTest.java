package dev.genaiprocessors.openai.realtime;

import static dev.genaiprocessors.openai.realtime.RealtimeTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.JsonValue;
import com.openai.models.realtime.ConversationItemInputAudioTranscriptionCompletedEvent;
import com.openai.models.realtime.InputAudioBufferSpeechStartedEvent;
import com.openai.models.realtime.RateLimitsUpdatedEvent;
import com.openai.models.realtime.RealtimeResponse;
import com.openai.models.realtime.RealtimeResponseUsage;
import com.openai.models.realtime.ResponseAudioDeltaEvent;
import com.openai.models.realtime.ResponseAudioTranscriptDoneEvent;
import com.openai.models.realtime.ResponseCreatedEvent;
import com.openai.models.realtime.ResponseDoneEvent;
import com.openai.models.realtime.ResponseFunctionCallArgumentsDoneEvent;
import com.openai.models.realtime.ResponseTextDeltaEvent;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.live.OutOfBandRequest;
import dev.genaiprocessors.testkit.openai.SdkJudge;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/** Server events built with the official SDK's types, sent by a loopback server, reach the right parts. */
class OpenAiRealtimeSdkServerEventsTest {
  DisposableServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.disposeNow();
    }
  }

  static String json(Object sdkEvent) {
    try {
      return SdkJudge.SDK.writeValueAsString(sdkEvent);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> events() {
    return List.of(
        json(
            InputAudioBufferSpeechStartedEvent.builder()
                .eventId("e1")
                .audioStartMs(0)
                .itemId("item_u1")
                .build()),
        json(
            ConversationItemInputAudioTranscriptionCompletedEvent.builder()
                .eventId("e2")
                .itemId("item_u1")
                .contentIndex(0)
                .transcript("Weather?")
                .usage(
                    ConversationItemInputAudioTranscriptionCompletedEvent.Usage
                        .TranscriptTextUsageDuration.builder()
                        .seconds(1.5)
                        .build())
                .build()),
        json(
            ResponseCreatedEvent.builder()
                .eventId("e3")
                .response(
                    RealtimeResponse.builder()
                        .id("resp_1")
                        .conversationId("conv_1")
                        .status(RealtimeResponse.Status.IN_PROGRESS)
                        .build())
                .build()),
        json(
            ResponseAudioDeltaEvent.builder()
                .eventId("e4")
                .responseId("resp_1")
                .itemId("item_a1")
                .outputIndex(0)
                .contentIndex(0)
                .delta(Base64.getEncoder().encodeToString(new byte[480]))
                .build()),
        json(
            ResponseAudioTranscriptDoneEvent.builder()
                .eventId("e5")
                .responseId("resp_1")
                .itemId("item_a1")
                .outputIndex(0)
                .contentIndex(0)
                .transcript("Sunny.")
                .build()),
        json(
            ResponseFunctionCallArgumentsDoneEvent.builder()
                .eventId("e6")
                .responseId("resp_1")
                .itemId("item_f1")
                .outputIndex(1)
                .callId("call_1")
                .name("weather")
                .arguments("{\"city\":\"Paris\"}")
                .build()),
        json(
            RateLimitsUpdatedEvent.builder()
                .eventId("e7")
                .addRateLimit(
                    RateLimitsUpdatedEvent.RateLimit.builder()
                        .name(RateLimitsUpdatedEvent.RateLimit.Name.REQUESTS)
                        .limit(100)
                        .remaining(99)
                        .resetSeconds(1.5)
                        .build())
                .build()),
        json(
            ResponseDoneEvent.builder()
                .eventId("e8")
                .response(
                    RealtimeResponse.builder()
                        .id("resp_1")
                        .conversationId("conv_1")
                        .status(RealtimeResponse.Status.COMPLETED)
                        .usage(
                            RealtimeResponseUsage.builder()
                                .inputTokens(10)
                                .outputTokens(5)
                                .totalTokens(15)
                                .build())
                        .build())
                .build()),
        json(
            ResponseCreatedEvent.builder()
                .eventId("e9")
                .response(
                    RealtimeResponse.builder()
                        .id("resp_2")
                        .status(RealtimeResponse.Status.IN_PROGRESS)
                        .metadata(
                            RealtimeResponse.Metadata.builder()
                                .putAdditionalProperty("purpose", JsonValue.from("classify"))
                                .putAdditionalProperty("out_of_band_id", JsonValue.from("oob-7"))
                                .build())
                        .build())
                .build()),
        json(
            ResponseTextDeltaEvent.builder()
                .eventId("e10")
                .responseId("resp_2")
                .itemId("item_t2")
                .outputIndex(0)
                .contentIndex(0)
                .delta("booking")
                .build()),
        json(
            ResponseDoneEvent.builder()
                .eventId("e11")
                .response(
                    RealtimeResponse.builder()
                        .id("resp_2")
                        .status(RealtimeResponse.Status.COMPLETED)
                        .build())
                .build()));
  }

  @Test
  void serverEventsBuiltWithTheSdkReachTheirParts() {
    List<String> events = events();
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(
                routes ->
                    routes.ws(
                        "/v1/realtime",
                        (in, out) -> {
                          // the events follow the session.update; the inbound side is read to its
                          // end
                          reactor.core.publisher.Sinks.One<Boolean> updated =
                              reactor.core.publisher.Sinks.one();
                          return reactor.core.publisher.Mono.when(
                              in.receive().doOnNext(b -> updated.tryEmitValue(true)).then(),
                              out.sendString(
                                  updated
                                      .asMono()
                                      .thenMany(Flux.fromIterable(events))
                                      .concatWith(Flux.never())));
                        }))
            .bindNow();
    OpenAiRealtimeProcessor model =
        OpenAiRealtimeProcessor.builder()
            .uri(URI.create("ws://127.0.0.1:" + server.port() + "/v1/realtime"))
            .apiKey("loopback-key")
            .build();
    List<Part> parts = new ArrayList<>();
    StepVerifier.create(model.apply(Flux.never()))
        .recordWith(() -> parts)
        .thenConsumeWhile(p -> !(p.isEndOfTurn() && OutOfBandRequest.isOutOfBand(p)))
        .expectNextMatches(p -> p.isEndOfTurn() && OutOfBandRequest.isOutOfBand(p))
        .thenCancel()
        .verify(WAIT);
    assertThat(parts.stream().map(RealtimeTestSupport::kind).toList())
        .containsExactly(
            "speech_started",
            "in_transcript",
            "audio",
            "out_transcript",
            "call",
            "rate_limits",
            "generation_complete",
            "usage",
            "end_of_turn",
            "text",
            "generation_complete",
            "end_of_turn");
    assertThat(parts.get(1).text()).isEqualTo("Weather?");
    assertThat(parts.get(2).byteSize()).isEqualTo(480);
    assertThat(parts.get(2).metadata(RealtimeParts.ITEM_ID)).isEqualTo("item_a1");
    assertThat(parts.get(2).metadata(LiveParts.ANSWER_ID)).isEqualTo("item_a1");
    assertThat(parts.get(3).text()).isEqualTo("Sunny.");
    assertThat(parts.get(4).functionCall().id()).isEqualTo("call_1");
    assertThat(parts.get(4).functionCall().args().path("city").asString()).isEqualTo("Paris");
    assertThat(RealtimeParts.rateLimitsOf(parts.get(5)).orElseThrow().get(0))
        .containsEntry("name", "requests")
        .containsEntry("remaining", 99L);
    assertThat(parts.get(6).metadata(RealtimeParts.RESPONSE_STATUS)).isEqualTo("completed");
    assertThat(LiveParts.usageOf(parts.get(7))).contains(new LiveParts.Usage(10, 5, 15));
    assertThat(parts.get(9).text()).isEqualTo("booking");
    // an answer to no request of this session: marked with what the server echoed
    assertThat(parts.get(9).metadata(OutOfBandRequest.OUT_OF_BAND)).isEqualTo("oob-7");
    assertThat(parts.get(9).metadata(OutOfBandRequest.REQUEST_METADATA))
        .isEqualTo(Map.of("purpose", "classify"));
    assertThat(parts.subList(0, 9)).noneMatch(OutOfBandRequest::isOutOfBand);
    assertThat(parts.subList(9, 12)).allMatch(OutOfBandRequest::isOutOfBand);
  }
}
