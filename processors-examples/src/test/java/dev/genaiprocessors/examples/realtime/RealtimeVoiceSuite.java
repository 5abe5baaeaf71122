package dev.genaiprocessors.examples.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genaiprocessors.core.error.ModelRequestException;
import dev.genaiprocessors.core.functions.Tool;
import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.live.realtime.RealtimeEvent;
import dev.genaiprocessors.live.realtime.RealtimeSession;
import dev.genaiprocessors.live.realtime.RealtimeVoice;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one facade suite: every test runs on each provider, through {@link RealtimeVoice} only. A provider
 * joins with one subclass (Gemini on its loopback emulator, the local engines, and OpenAI on its emulator
 * once its provider lands) that says how to reach it and what its model answers.
 */
abstract class RealtimeVoiceSuite {
  static final Duration WAIT = Duration.ofSeconds(30);

  /** What the model says to a greeting. */
  static final String GREETING = "Hello from the model.";

  /** What the user asks that makes the model call a function. */
  static final String WEATHER_QUESTION = "What is the weather in Paris?";

  /** What the model says while a function runs. */
  static final String WHILE_WAITING = "Let me check.";

  /** What the user asks that makes the model talk until interrupted. */
  static final String STORY_REQUEST = "Tell me a long story.";

  // ------------------------------------------------------------ what each provider says

  /** The voice builder for this provider with the config (endpoint, key, provider chosen). */
  abstract RealtimeVoice.Builder voice(RealtimeConfig config);

  /** The provider's name. */
  abstract String providerName();

  /** An environment in which this provider is the one selected. */
  abstract Map<String, String> selectingEnvironment();

  /** The next user turn is answered with {@link #GREETING}, spoken. */
  abstract void expectGreeting();

  /**
   * The next user turn ({@link #WEATHER_QUESTION}) makes the model call {@code function} with
   * {@code {"city":"Paris"}}; once answered it says {@code "The answer is " + resultText}.
   */
  abstract void expectFunctionCall(String function, String resultText);

  /** What the model received as function results, as JSON text, in order. */
  abstract List<String> functionResultsReceived() throws InterruptedException;

  /** The next user turn ({@link #STORY_REQUEST}) is answered at length, until the user speaks again. */
  abstract void expectEndlessAnswer();

  /**
   * The next user turn ({@link #WEATHER_QUESTION}) makes the model call {@code function} and go on
   * talking: it says {@link #WHILE_WAITING}, with audio, and ends its turn without waiting for the result.
   */
  abstract void expectFunctionCallWhileTalking(String function);

  /**
   * Whether the provider's model goes on talking while a function of the config runs (false for Gemini
   * Live, where the facade declares functions BLOCKING and the model waits for their results).
   */
  abstract boolean modelTalksWhileAFunctionRuns();

  /**
   * Why a user message sent during an answer does not stop it on this provider, or null when it does
   * (the suite then checks that it does).
   */
  String whyTextDoesNotInterrupt() {
    return null;
  }

  /**
   * Why the end of the microphone stream does not end the user's turn on this provider, or null when it
   * does (the suite then checks the stream form on it).
   */
  String whyTheEndOfTheMicrophoneDoesNotEndTheTurn() {
    return null;
  }

  /** The user saying a greeting, as 16 kHz PCM in pieces, answered with {@link #GREETING}. */
  abstract Flux<byte[]> spokenGreeting();

  /** A setting this provider cannot honour. */
  abstract RealtimeConfig.Builder withUnsupportedSetting(RealtimeConfig.Builder config);

  /** How the provider's message names that setting. */
  abstract String unsupportedSettingLabel();

  // ------------------------------------------------------------ the suite

  RealtimeConfig.Builder config() {
    return RealtimeConfig.builder().inputSampleRate(16000).outputSampleRate(16000);
  }

  @Test
  void textInTranscriptAndAudioOut() throws Exception {
    Recorder rec = new Recorder();
    expectGreeting();
    try (RealtimeSession session = rec.attach(voice(config().build())).build().connect()) {
      assertThat(session.provider()).isEqualTo(providerName());
      session.sendText("Hello there");
      assertThat(rec.nextAssistantFinal(WAIT)).isEqualTo(GREETING);
    }
    assertThat(rec.audioBytes.get()).as("the model's audio, at 16 kHz").isGreaterThan(0);
    assertThat(rec.deltas).isNotEmpty().allMatch(d -> d.startsWith("assistant: "));
    assertThat(rec.callbackThreads).as("callbacks never run on a non-blocking thread").isEmpty();
    assertThat(rec.errors).isEmpty();
  }

  @Test
  void aToolOfTheConfigIsCalledAutomatically() throws Exception {
    List<String> calledOn = new CopyOnWriteArrayList<>();
    Tool weather =
        Tool.of(
            "get_weather",
            "The weather in a city",
            citySchema(),
            args -> {
              calledOn.add(Thread.currentThread().getName());
              return "sunny in " + args.get("city").asString();
            });
    Recorder rec = new Recorder();
    expectFunctionCall("get_weather", "sunny in Paris");
    try (RealtimeSession session =
        rec.attach(voice(config().tools(weather).build())).build().connect()) {
      session.sendText(WEATHER_QUESTION);
      assertThat(rec.nextAssistantFinal(WAIT)).isEqualTo("The answer is sunny in Paris");
    }
    assertThat(calledOn).hasSize(1);
    assertThat(functionResultsReceived()).singleElement().asString().contains("sunny in Paris");
    assertThat(rec.errors).isEmpty();
  }

  @Test
  void aFunctionIsAnsweredByOnToolCall() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    Recorder rec = new Recorder();
    expectFunctionCall("lookup_weather", "rainy");
    RealtimeVoice voice =
        rec.attach(
                voice(
                    config()
                        .function("lookup_weather", "Looks the weather up", citySchema())
                        .build()))
            .onToolCall(
                call -> {
                  assertThat(Schedulers.isInNonBlockingThread()).isFalse();
                  asked.add(call.functionName() + " " + call.arguments());
                  return "rainy";
                })
            .build();
    try (RealtimeSession session = voice.connect()) {
      session.sendText(WEATHER_QUESTION);
      assertThat(rec.nextAssistantFinal(WAIT)).isEqualTo("The answer is rainy");
    }
    assertThat(asked).containsExactly("lookup_weather {\"city\":\"Paris\"}");
    assertThat(functionResultsReceived()).singleElement().asString().contains("rainy");
  }

  @Test
  void aSlowToolNeverHoldsTheAudioBack() throws Exception {
    assumeTrue(modelTalksWhileAFunctionRuns(), "the model waits for the function's result");
    CountDownLatch release = new CountDownLatch(1);
    Tool slow =
        Tool.of(
            "slow_lookup",
            "A lookup that takes its time",
            citySchema(),
            args -> {
              // Blocks until the test has heard the rest of the answer (bounded).
              try {
                release.await(2 * WAIT.toSeconds(), TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return "done";
            });
    Recorder rec = new Recorder();
    expectFunctionCallWhileTalking("slow_lookup");
    try (RealtimeSession session =
        rec.attach(voice(config().tools(slow).build())).build().connect()) {
      session.sendText(WEATHER_QUESTION);
      assertThat(rec.nextAssistantFinal(WAIT)).isEqualTo(WHILE_WAITING);
      assertThat(rec.audioBytes.get()).as("audio while the tool runs").isGreaterThan(0);
      assertThat(release.getCount()).as("the tool is still running").isEqualTo(1);
    } finally {
      release.countDown();
    }
  }

  @Test
  void inManualModeCommitEndsTheTurn() throws Exception {
    Recorder rec = new Recorder();
    expectGreeting();
    RealtimeConfig config = config().vadMode(RealtimeConfig.VadMode.MANUAL).build();
    try (RealtimeSession session = rec.attach(voice(config)).build().connect()) {
      for (byte[] piece : spokenGreeting().collectList().block(WAIT)) {
        session.sendAudio(piece);
      }
      session.commit();
      assertThat(rec.nextAssistantFinal(WAIT)).isEqualTo(GREETING);
    }
  }

  @Test
  void speakingOverAnAnswerInterruptsIt() throws Exception {
    assumeTrue(whyTextDoesNotInterrupt() == null, this::whyTextDoesNotInterrupt);
    Recorder rec = new Recorder();
    expectEndlessAnswer();
    expectGreeting();
    try (RealtimeSession session = rec.attach(voice(config().build())).build().connect()) {
      session.sendText(STORY_REQUEST);
      // The answer has begun once its first words are heard.
      rec.awaitDelta(WAIT);
      session.sendText("Hello there");
      rec.awaitInterruption(WAIT);
      assertThat(rec.nextAssistantFinal(WAIT)).isEqualTo(GREETING);
    }
  }

  @Test
  void aCallbackThatThrowsGoesToOnErrorAndTheSessionGoesOn() throws Exception {
    Recorder rec = new Recorder();
    expectGreeting();
    expectGreeting();
    RealtimeVoice voice =
        rec.attach(voice(config().build()))
            .onAudio(
                pcm -> {
                  throw new IllegalStateException("the speaker is unplugged");
                })
            .build();
    try (RealtimeSession session = voice.connect()) {
      session.sendText("Hello there");
      assertThat(rec.nextAssistantFinal(WAIT)).isEqualTo(GREETING);
      assertThat(rec.nextError(WAIT)).hasMessage("the speaker is unplugged");
      session.sendText("Hello again");
      assertThat(rec.nextAssistantFinal(WAIT)).isEqualTo(GREETING);
    }
  }

  @Test
  void theStreamFormTurnsTheMicrophoneIntoEvents() {
    assumeTrue(
        whyTheEndOfTheMicrophoneDoesNotEndTheTurn() == null,
        this::whyTheEndOfTheMicrophoneDoesNotEndTheTurn);
    expectGreeting();
    List<RealtimeEvent> events =
        voice(config().build()).build().run(spokenGreeting()).collectList().block(WAIT);
    assertThat(events).noneMatch(e -> e instanceof RealtimeEvent.Error);
    assertThat(events)
        .filteredOn(
            e ->
                e instanceof RealtimeEvent.TranscriptDelta t
                    && t.isFinal()
                    && t.speaker() == RealtimeEvent.Speaker.ASSISTANT)
        .singleElement()
        .extracting(e -> ((RealtimeEvent.TranscriptDelta) e).text())
        .isEqualTo(GREETING);
    assertThat(events)
        .filteredOn(e -> e instanceof RealtimeEvent.AudioChunk)
        .last()
        .matches(e -> ((RealtimeEvent.AudioChunk) e).isFinal(), "the final audio marker");
  }

  @Test
  void aSettingTheProviderCannotHonourFailsTheConnection() {
    RealtimeVoice voice = voice(withUnsupportedSetting(config()).build()).build();
    assertThatThrownBy(voice::connect)
        .isInstanceOf(ModelRequestException.class)
        .hasMessageContaining(providerName())
        .hasMessageContaining(unsupportedSettingLabel())
        .hasMessageContaining("unsupportedSettings(WARN)");
  }

  @Test
  void underWarnTheSettingIsReportedAndTheSessionGoesOn() throws Exception {
    Recorder rec = new Recorder();
    expectGreeting();
    RealtimeConfig config =
        withUnsupportedSetting(config())
            .unsupportedSettings(RealtimeConfig.UnsupportedSettings.WARN)
            .build();
    try (RealtimeSession session = rec.attach(voice(config)).build().connect()) {
      assertThat(rec.nextError(WAIT))
          .isInstanceOf(ModelRequestException.class)
          .hasMessageContaining(unsupportedSettingLabel());
      session.sendText("Hello there");
      assertThat(rec.nextAssistantFinal(WAIT)).isEqualTo(GREETING);
    }
  }

  @Test
  void theProviderIsSelectedFromTheEnvironment() {
    assertThat(RealtimeVoice.builder().environment(selectingEnvironment()).build().provider())
        .isEqualTo(providerName());
    assertThat(RealtimeVoice.configuredProviders(selectingEnvironment())).contains(providerName());
    assertThat(RealtimeVoice.availableProviders()).contains(providerName());
  }

  @Test
  void connectRefusesANonBlockingThread() {
    RealtimeVoice voice = voice(config().build()).build();
    Throwable thrown =
        reactor.core.publisher.Mono.fromCallable(
                () -> {
                  try {
                    voice.connect();
                    return null;
                  } catch (IllegalStateException e) {
                    return e;
                  }
                })
            .subscribeOn(Schedulers.parallel())
            .block(WAIT);
    assertThat(thrown).hasMessageContaining("connectAsync()");
  }

  static ObjectNode citySchema() {
    ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
    schema.putObject("properties").putObject("city").put("type", "string");
    schema.putArray("required").add("city");
    return schema;
  }

  static String cityOf(JsonNode args) {
    return args.get("city").asString();
  }
}
