package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor.MediaResolution;
import dev.genaiprocessors.gemini.live.GeminiLiveProcessor.ThinkingLevel;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;

/** Every setting of the builder, checked in the setup frame it produces (or the connection it makes). */
class GeminiLiveSettingsTest {
  static final String KEY = GeminiLiveProcessorBuilderTest.KEY;

  static JsonNode setup(GeminiLiveProcessor.Builder b) {
    return GeminiLiveProcessorBuilderTest.setup(b.build(), null).path("setup");
  }

  static GeminiLiveProcessor.Builder base() {
    return GeminiLiveProcessor.builder()
        .model("gemini-live-2.5-flash-preview")
        .apiKey(KEY)
        .sessionResumption(false);
  }

  @Test
  void generationSettingsLandInGenerationConfig() {
    JsonNode setup =
        setup(
            base()
                .temperature(0.7)
                .topP(0.9)
                .topK(40)
                .maxOutputTokens(256)
                .seed(7)
                .mediaResolution(MediaResolution.LOW)
                .thinkingBudget(1024)
                .thinkingLevel(ThinkingLevel.LOW)
                .includeThoughts(true)
                .enableAffectiveDialog(true));
    assertThat(setup.path("generationConfig"))
        .isEqualTo(
            Wire.JSON.readTree(
                """
        {"temperature": 0.7, "topP": 0.9, "topK": 40, "maxOutputTokens": 256, "seed": 7,
         "mediaResolution": "MEDIA_RESOLUTION_LOW",
         "thinkingConfig": {"includeThoughts": true, "thinkingBudget": 1024, "thinkingLevel": "LOW"},
         "enableAffectiveDialog": true}"""));
    assertThat(setup.has("enableAffectiveDialog")).as("not at the setup's root").isFalse();
    assertThatThrownBy(() -> base().temperature(2.5)).hasMessageContaining("temperature");
    assertThatThrownBy(() -> base().topP(-0.1)).hasMessageContaining("topP");
    assertThatThrownBy(() -> base().topK(0)).hasMessageContaining("topK");
    assertThatThrownBy(() -> base().thinkingBudget(-2)).hasMessageContaining("thinkingBudget");
  }

  @Test
  void proactivitySafetyAndBuiltInToolsLandAtTheSetupsRoot() {
    JsonNode setup =
        setup(
            base()
                .proactiveAudio(true)
                .safetySettings(
                    new SafetySetting(
                        SafetySetting.Category.HARASSMENT, SafetySetting.Threshold.BLOCK_ONLY_HIGH),
                    new SafetySetting(
                        SafetySetting.Category.DANGEROUS_CONTENT, SafetySetting.Threshold.OFF))
                .functionDeclaration(Wire.object().put("name", "f"), false)
                .builtInTools(
                    BuiltInTool.GOOGLE_SEARCH,
                    BuiltInTool.CODE_EXECUTION,
                    BuiltInTool.URL_CONTEXT));
    assertThat(setup.path("proactivity"))
        .isEqualTo(Wire.JSON.readTree("{\"proactiveAudio\": true}"));
    assertThat(setup.path("safetySettings"))
        .isEqualTo(
            Wire.JSON.readTree(
                """
        [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"},
         {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "threshold": "OFF"}]"""));
    assertThat(setup.path("tools"))
        .isEqualTo(
            Wire.JSON.readTree(
                """
        [{"functionDeclarations": [{"name": "f"}]}, {"googleSearch": {}}, {"codeExecution": {}}, {"urlContext": {}}]"""));
  }

  @Test
  void affectiveDialogAndProactivityAreRefusedForThe31Generation() {
    GeminiLiveProcessor.Builder b =
        GeminiLiveProcessor.builder().model("gemini-3.1-flash-live-preview").apiKey(KEY);
    assertThatThrownBy(() -> b.enableAffectiveDialog(true).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("enableAffectiveDialog");
    assertThatThrownBy(() -> b.enableAffectiveDialog(false).proactiveAudio(true).build())
        .hasMessageContaining("proactivity");
  }

  @Test
  void vadPresetsSetBothSensitivitiesPaddingAndSilence() {
    assertThat(
            setup(base().activityDetection(ActivityDetection.preset(ActivityDetection.Preset.LOW)))
                .path("realtimeInputConfig"))
        .isEqualTo(
            Wire.JSON.readTree(
                """
            {"automaticActivityDetection": {"startOfSpeechSensitivity": "START_SENSITIVITY_LOW",
              "endOfSpeechSensitivity": "END_SENSITIVITY_LOW", "prefixPaddingMs": 300, "silenceDurationMs": 1000}}"""));
    assertThat(
            setup(base().activityDetection(ActivityDetection.preset(ActivityDetection.Preset.HIGH)))
                .at("/realtimeInputConfig/automaticActivityDetection/silenceDurationMs")
                .asInt())
        .isEqualTo(300);
    assertThat(ActivityDetection.preset(ActivityDetection.Preset.MEDIUM).endSensitivity())
        .isEqualTo(ActivityDetection.EndSensitivity.LOW);
  }

  @Test
  void theApiVersionAndAnEphemeralTokenChooseThePath() {
    assertThat(base().apiVersion(ApiVersion.V1).build().settings.uri)
        .isEqualTo(
            URI.create(
                "wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1.GenerativeService.BidiGenerateContent"));
    assertThat(base().apiKey("auth_tokens/abc").apiVersion(ApiVersion.V1ALPHA).build().settings.uri)
        .isEqualTo(
            URI.create(
                "wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1alpha.GenerativeService"
                    + ".BidiGenerateContentConstrained"));
    URI proxy = URI.create("ws://127.0.0.1:9/my/proxy");
    assertThat(base().uri(proxy).apiVersion(ApiVersion.V1).build().settings.uri).isEqualTo(proxy);
    assertThat(base().apiKey("auth_tokens/abc").build().toString())
        .doesNotContain("auth_tokens/abc");
  }

  @Test
  void theFirstConnectionIsRetriedWithBackoffOnTheScheduler() throws Exception {
    Semaphore accepted = new Semaphore(0);
    DisposableServer refuser =
        TcpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (in, out) -> {
                  accepted.release();
                  return Mono.empty(); // closes at once: the upgrade never gets an answer
                })
            .bindNow();
    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    Disposable session = null;
    try {
      GeminiLiveProcessor processor =
          base()
              .uri(
                  URI.create(
                      "ws://127.0.0.1:"
                          + refuser.port()
                          + "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"))
              .scheduler(clock)
              .keepAlive(Duration.ZERO)
              .connectRetry(2, Duration.ofMinutes(1), Duration.ofMinutes(2))
              .build();
      session = processor.apply(Flux.<Part>never()).subscribe(p -> {}, errors::add);
      assertThat(accepted.tryAcquire(10, TimeUnit.SECONDS)).as("first attempt").isTrue();
      assertThat(accepted.tryAcquire(200, TimeUnit.MILLISECONDS))
          .as("no retry before the clock moves")
          .isFalse();
      for (int retry = 1; retry <= 2; retry++) {
        boolean again = false;
        for (int i = 0; i < 200 && !again; i++) {
          clock.advanceTimeBy(Duration.ofSeconds(30));
          again = accepted.tryAcquire(20, TimeUnit.MILLISECONDS);
        }
        assertThat(again)
            .as(
                "retry %d, errors %s",
                retry, errors.isEmpty() ? "" : String.valueOf(errors.get(0).getCause()))
            .isTrue();
      }
      for (int i = 0; i < 200 && errors.isEmpty(); i++) {
        clock.advanceTimeBy(Duration.ofMinutes(5));
        accepted.tryAcquire(20, TimeUnit.MILLISECONDS);
      }
      assertThat(errors)
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(ModelException.class)
                      .hasMessageContaining("could not open")
                      .hasMessageContaining("3 attempts"));
      assertThat(accepted.availablePermits()).as("no fourth attempt").isZero();
    } finally {
      if (session != null) {
        session.dispose();
      }
      refuser.disposeNow();
    }
  }

  @Test
  void theEmulatorAnswersV1AndAnEphemeralTokenOnTheConstrainedMethodAndGivesASessionId() {
    try (dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator server =
        dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator.builder().build().start()) {
      GeminiLiveProcessor v1 =
          GeminiLiveProcessor.builder()
              .uri(server.uri())
              .apiKey(server.apiKey())
              .model("gemini-live-2.5-flash-preview")
              .apiVersion(ApiVersion.V1)
              .build();
      reactor.test.StepVerifier.create(v1.apply(Flux.just(Part.text("hi"))))
          .assertNext(p -> assertThat(GeminiLiveParts.sessionId(p)).contains("emulated-session-1"))
          .thenConsumeWhile(p -> true)
          .expectComplete()
          .verify(Duration.ofSeconds(10));
      GeminiLiveProcessor token =
          GeminiLiveProcessor.builder()
              .uri(server.uri("v1alpha"))
              .apiKey(server.ephemeralToken())
              .model("gemini-live-2.5-flash-preview")
              .build();
      reactor.test.StepVerifier.create(
              GeminiLiveProcessorTest.content(token.apply(Flux.just(Part.text("hi")))))
          .expectNext(Part.text("hi").withRole("model"))
          .thenConsumeWhile(p -> true)
          .expectComplete()
          .verify(Duration.ofSeconds(10));
      GeminiLiveProcessor wrong = token.toBuilder().apiKey("auth_tokens/wrong").build();
      reactor.test.StepVerifier.create(wrong.apply(Flux.just(Part.text("hi"))))
          .expectErrorSatisfies(
              e -> {
                assertThat(((ModelException) e).closeCode()).isEqualTo(1007);
                assertThat(e.getMessage()).doesNotContain("auth_tokens/wrong");
              })
          .verify(Duration.ofSeconds(10));
    }
  }
}
