package dev.genaiprocessors.examples.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.live.realtime.RealtimeSession;
import dev.genaiprocessors.live.realtime.RealtimeVoice;
import dev.genaiprocessors.offline.realtime.LocalRealtimeProvider;
import dev.genaiprocessors.offline.tts.FreeTtsSynthesizer;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The facade suite on the local provider: FreeTTS and the rate limiter for real, with a rule-based
 * responder in place of the offline responder (whose MiniLM model these tests need not load) that
 * answers as the suite expects, calls functions, and talks on until interrupted.
 */
class LocalRealtimeVoiceTest extends RealtimeVoiceSuite {
  private final List<String> results = new CopyOnWriteArrayList<>();
  private volatile String function = "get_weather";
  private volatile boolean talkWhileCalling;

  @Override
  RealtimeVoice.Builder voice(RealtimeConfig config) {
    LocalRealtimeProvider local =
        LocalRealtimeProvider.builder().responder(c -> new RuleResponder()).build();
    return RealtimeVoice.builder().provider(local).environment(Map.of()).config(config);
  }

  @Override
  String providerName() {
    return "local";
  }

  @Override
  Map<String, String> selectingEnvironment() {
    return Map.of();
  }

  @Override
  void expectGreeting() {}

  @Override
  void expectFunctionCall(String function, String resultText) {
    this.function = function;
  }

  @Override
  void expectFunctionCallWhileTalking(String function) {
    this.function = function;
    this.talkWhileCalling = true;
  }

  @Override
  boolean modelTalksWhileAFunctionRuns() {
    return true;
  }

  @Override
  List<String> functionResultsReceived() {
    return results;
  }

  @Override
  void expectEndlessAnswer() {}

  @Override
  Flux<byte[]> spokenGreeting() {
    // FreeTTS (16 kHz) saying it in 20 ms pieces, then 1.5 s of silence for the VAD to end it.
    return Mono.fromCallable(
            () -> {
              ByteArrayOutputStream pcm = new ByteArrayOutputStream();
              try (FreeTtsSynthesizer tts = FreeTtsSynthesizer.kevin16()) {
                tts.synthesize(
                    "Hello there.",
                    (bytes, rate) -> {
                      pcm.writeBytes(bytes);
                      return true;
                    });
              }
              return pcm.toByteArray();
            })
        .subscribeOn(Schedulers.boundedElastic())
        .flatMapMany(
            all ->
                Flux.range(0, all.length / 640)
                    .map(i -> Arrays.copyOfRange(all, i * 640, i * 640 + 640)))
        .concatWith(Flux.range(0, 75).map(i -> new byte[640]));
  }

  @Override
  RealtimeConfig.Builder withUnsupportedSetting(RealtimeConfig.Builder config) {
    return config.silenceDuration(java.time.Duration.ofMillis(700));
  }

  @Override
  String unsupportedSettingLabel() {
    return "silence duration";
  }

  @Test
  void interruptCutsTheAnswerUnderWay() throws Exception {
    Recorder rec = new Recorder();
    try (RealtimeSession session = rec.attach(voice(config().build())).build().connect()) {
      session.sendText(STORY_REQUEST);
      rec.awaitDelta(WAIT);
      session.interrupt();
      rec.awaitInterruption(WAIT);
      session.sendText("Hello there");
      assertThat(rec.nextAssistantFinal(WAIT)).isEqualTo(GREETING);
    }
  }

  /** Answers the last thing in its prompt: a function result, a weather question, a story request, a greeting. */
  private final class RuleResponder implements Processor {
    @Override
    public Flux<Part> apply(Flux<Part> prompt) {
      return prompt
          .filter(
              p ->
                  p.isFunctionResponse()
                      || (p.isText() && "user".equals(p.role()) && !p.text().isBlank()))
          .last(Part.text(""))
          .flatMapMany(
              last -> {
                if (last.isFunctionResponse()) {
                  var response = last.functionResponse();
                  results.add(response.response().toString());
                  return Flux.just(
                      Part.text("The answer is " + response.response().get("result").asString())
                          .withRole("model"));
                }
                String text = last.text();
                if (text.equals(WEATHER_QUESTION)) {
                  Part call =
                      Part.functionCall(
                          function, JsonNodeFactory.instance.objectNode().put("city", "Paris"));
                  return talkWhileCalling
                      ? Flux.just(call, Part.text(WHILE_WAITING).withRole("model"))
                      : Flux.just(call);
                }
                if (text.equals(STORY_REQUEST)) {
                  return Flux.concat(
                      Flux.just(Part.text("Once upon a time.").withRole("model")), Flux.never());
                }
                return Flux.just(Part.text(GREETING).withRole("model"));
              });
    }
  }
}
