package dev.genaiprocessors.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.testkit.gemini.GeminiApiEmulator;
import dev.genaiprocessors.testkit.openai.OpenAiApiEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.util.function.Tuple2;
import reactor.util.function.Tuples;

/** The emulators answer protocol errors as the real APIs do, and play their scripts faithfully. */
class EmulatorProtocolTest {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  static Tuple2<Integer, String> post(String url, Map<String, String> headers, String body) {
    return HttpClient.create()
        .headers(h -> headers.forEach(h::set))
        .post()
        .uri(url)
        .send(ByteBufFlux.fromString(Mono.just(body)))
        .responseSingle(
            (res, content) ->
                content
                    .asString(StandardCharsets.UTF_8)
                    .defaultIfEmpty("")
                    .map(text -> Tuples.of(res.status().code(), text)))
        .block(TIMEOUT);
  }

  @Test
  void geminiChecksPathStreamingKeyModelAndBody() {
    try (GeminiApiEmulator server =
        GeminiApiEmulator.builder().apiKey("k").models("gemini-2.5-flash").build().start()) {
      String base = server.uri() + "/v1beta/models/";
      String ok = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";
      Map<String, String> key = Map.of("x-goog-api-key", "k");

      assertThat(post(base + "gemini-2.5-flash:generateContent", key, ok).getT1()).isEqualTo(501);
      assertThat(post(base + "gemini-2.5-flash:streamGenerateContent", key, ok).getT2())
          .contains("alt=sse");
      Tuple2<Integer, String> noKey =
          post(base + "gemini-2.5-flash:streamGenerateContent?alt=sse", Map.of(), ok);
      assertThat(noKey.getT1()).isEqualTo(403);
      assertThat(noKey.getT2()).contains("PERMISSION_DENIED");
      Tuple2<Integer, String> wrongKey =
          post(
              base + "gemini-2.5-flash:streamGenerateContent?alt=sse",
              Map.of("x-goog-api-key", "other"),
              ok);
      assertThat(wrongKey.getT1()).isEqualTo(400);
      assertThat(wrongKey.getT2()).contains("API_KEY_INVALID");
      assertThat(post(base + "gemini-x:streamGenerateContent?alt=sse", key, ok).getT2())
          .contains("NOT_FOUND");
      assertThat(
              post(
                      base + "gemini-2.5-flash:streamGenerateContent?alt=sse",
                      key,
                      "{\"contents\":[]}")
                  .getT1())
          .isEqualTo(400);
      assertThat(
              post(base + "gemini-2.5-flash:streamGenerateContent?alt=sse&key=k", Map.of(), "nope")
                  .getT2())
          .contains("Invalid JSON");
      Tuple2<Integer, String> unscripted =
          post(base + "gemini-2.5-flash:streamGenerateContent?alt=sse", key, ok);
      assertThat(unscripted.getT1()).isEqualTo(501);
      assertThat(unscripted.getT2()).contains("no scripted response");

      server.dispatcher(
          request -> GeminiApiEmulator.text("echo " + GeminiApiEmulator.modelOf(request)));
      String streamed =
          post(base + "gemini-2.5-flash:streamGenerateContent?alt=sse", key, ok).getT2();
      assertThat(streamed)
          .startsWith("data: {")
          .contains("echo gemini-2.5-flash")
          .contains("\"finishReason\":\"STOP\"");
      assertThat(server.requestCount()).isEqualTo(9);
    }
  }

  @Test
  void openAiChecksPathKeyModelBodyAndStreaming() {
    try (OpenAiApiEmulator server =
        OpenAiApiEmulator.builder().apiKey("sk-1").models("llama3.2").build().start()) {
      String url = server.uri() + "/chat/completions";
      Map<String, String> key = Map.of("authorization", "Bearer sk-1");
      String ok =
          "{\"model\":\"llama3.2\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

      assertThat(post(server.uri() + "/completions", key, ok).getT2()).contains("Invalid URL");
      Tuple2<Integer, String> noKey = post(url, Map.of(), ok);
      assertThat(noKey.getT1()).isEqualTo(401);
      assertThat(noKey.getT2()).contains("didn't provide an API key");
      Tuple2<Integer, String> wrongKey = post(url, Map.of("authorization", "Bearer sk-2"), ok);
      assertThat(wrongKey.getT1()).isEqualTo(401);
      assertThat(wrongKey.getT2()).contains("invalid_api_key");
      assertThat(post(url, key, "{\"stream\":true,\"messages\":[]}").getT2())
          .contains("model parameter");
      assertThat(post(url, key, ok.replace("llama3.2", "gpt-x")).getT2())
          .contains("model_not_found");
      assertThat(post(url, key, ok.replace("true", "false")).getT2())
          .contains("streaming requests only");

      server.enqueue(
          ScriptedResponse.builder()
              .event(OpenAiApiEmulator.textChunk("a"))
              .delay(Duration.ofMillis(5))
              .event(OpenAiApiEmulator.DONE)
              .build());
      Tuple2<Integer, String> streamed = post(url, key, ok);
      assertThat(streamed.getT1()).isEqualTo(200);
      assertThat(streamed.getT2()).endsWith("data: [DONE]\r\n\r\n");
      RecordedRequest last = null;
      for (RecordedRequest r = server.takeRequest(TIMEOUT);
          r != null;
          r = server.takeRequest(Duration.ofMillis(1))) {
        last = r;
      }
      assertThat(last.bodyJson().path("model").asString()).isEqualTo("llama3.2");
      assertThat(last.toString()).contains("authorization=[hidden]").doesNotContain("sk-1");
    }
  }

  @Test
  void scriptedResponsesValidateAndDescribeThemselves() {
    assertThatThrownBy(() -> ScriptedResponse.builder().status(99))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScriptedResponse.builder().delay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    ScriptedResponse r = ScriptedResponse.builder().event("a\nb").build();
    assertThat(r.bodyText()).isEqualTo("data: a\r\ndata: b\r\n\r\n");
    assertThat(r.headers()).containsEntry("content-type", "text/event-stream");
    assertThat(ScriptedResponse.json(400, "{}").headers().get("content-type"))
        .startsWith("application/json");
  }
}
