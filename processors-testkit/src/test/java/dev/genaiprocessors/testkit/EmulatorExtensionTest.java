package dev.genaiprocessors.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.genaiprocessors.testkit.gemini.GeminiApiEmulator;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.gemini.Reply;
import dev.genaiprocessors.testkit.gemini.Script;
import dev.genaiprocessors.testkit.openai.OpenAiApiEmulator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * {@link EmulatorExtension} runs sample test classes through JUnit Platform's EngineTestKit: the
 * samples are static nested classes, which surefire does not run by itself.
 */
class EmulatorExtensionTest {

  /** Every emulator a sample saw, with its port, to check after the run that it was closed. */
  static final List<Emulator> SEEN = new CopyOnWriteArrayList<>();

  static final List<Integer> PORTS = new CopyOnWriteArrayList<>();

  static void saw(Emulator e) {
    SEEN.add(e);
    PORTS.add(e.uri().getPort());
  }

  static Events run(Class<?> sample) {
    SEEN.clear();
    PORTS.clear();
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(sample))
        .execute()
        .testEvents();
  }

  static String failureMessage(Event failed) {
    return failed
        .getPayload(TestExecutionResult.class)
        .flatMap(TestExecutionResult::getThrowable)
        .map(Throwable::getMessage)
        .orElse("");
  }

  static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  @Test
  void aRegisteredExtensionStartsOneEmulatorPerTestAndClosesItAfter() {
    Events events = run(FieldSample.class);

    events.assertStatistics(s -> s.started(2).succeeded(2).failed(0));
    assertThat(SEEN).hasSize(4); // two looks per test: from @BeforeEach and from the test
    assertThat(SEEN.get(0)).isSameAs(SEEN.get(1));
    assertThat(SEEN.get(2)).isSameAs(SEEN.get(3)).isNotSameAs(SEEN.get(0));
    assertThat(PORTS).allSatisfy(port -> assertThat(listening(port)).isFalse());
  }

  @Test
  void aPassingTestWithScriptLeftFailsSayingWhatWasLeft() {
    Events events = run(LeftoverSample.class);

    events.assertStatistics(s -> s.started(1).failed(1));
    String message = failureMessage(events.failed().list().get(0));
    assertThat(message)
        .contains("GeminiApiEmulator script was not used up")
        .contains("1 scripted entry never played")
        .contains("never asked");
    assertThat(listening(PORTS.get(0))).isFalse();
  }

  @Test
  void aFailingTestKeepsItsOwnFailure() {
    Events events = run(FailingSample.class);

    events.assertStatistics(s -> s.started(1).failed(1));
    assertThat(failureMessage(events.failed().list().get(0))).isEqualTo("the test's own failure");
    assertThat(listening(PORTS.get(0))).isFalse();
  }

  @Test
  void parametersGetDefaultBuiltStartedEmulatorsThatAreCheckedToo() {
    Events events = run(ParameterSample.class);

    events.assertStatistics(s -> s.started(2).succeeded(1).failed(1));
    String message = failureMessage(events.failed().list().get(0));
    assertThat(message)
        .contains("GeminiLiveEmulator script was not used up")
        .contains("Text[text=unplayed]");
    assertThat(PORTS).hasSize(4).allSatisfy(port -> assertThat(listening(port)).isFalse());
  }

  @Test
  void getOutsideATestSaysHowToUseTheExtension() {
    EmulatorExtension<GeminiApiEmulator> unused =
        EmulatorExtension.of(() -> GeminiApiEmulator.builder().build());
    org.assertj.core.api.Assertions.assertThatThrownBy(unused::get)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outside a test");
    org.assertj.core.api.Assertions.assertThatThrownBy(new EmulatorExtension<>()::get)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("EmulatorExtension.of");
  }

  // ---------------------------------------------------------------- samples, run by EngineTestKit
  // only

  static class FieldSample {
    @RegisterExtension
    final EmulatorExtension<GeminiApiEmulator> gemini =
        EmulatorExtension.of(() -> GeminiApiEmulator.builder().apiKey("sample-key").build());

    @BeforeEach
    void before() {
      saw(gemini.get());
    }

    @Test
    void aScriptThatIsPlayedPasses() {
      saw(gemini.get());
      gemini.get().enqueue(GeminiApiEmulator.text("hello"));
      var answer =
          EmulatorProtocolTest.post(
              gemini.get().uri() + "/v1beta/models/m:streamGenerateContent?alt=sse",
              Map.of("x-goog-api-key", gemini.get().apiKey()),
              "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");
      assertThat(answer.getT2()).contains("hello");
    }

    @Test
    void noScriptPasses() {
      saw(gemini.get());
      assertThat(gemini.get().apiKey()).isEqualTo("sample-key");
    }
  }

  static class LeftoverSample {
    @RegisterExtension
    final EmulatorExtension<GeminiApiEmulator> gemini =
        EmulatorExtension.of(() -> GeminiApiEmulator.builder().build());

    @Test
    void scriptsAnAnswerNobodyAsksFor() {
      saw(gemini.get());
      gemini.get().enqueue(GeminiApiEmulator.text("never asked"));
    }
  }

  static class FailingSample {
    @RegisterExtension
    final EmulatorExtension<GeminiApiEmulator> gemini =
        EmulatorExtension.of(() -> GeminiApiEmulator.builder().build());

    @Test
    void failsWithScriptLeft() {
      saw(gemini.get());
      gemini.get().enqueue(GeminiApiEmulator.text("never asked"));
      throw new AssertionError("the test's own failure");
    }
  }

  @ExtendWith(EmulatorExtension.class)
  static class ParameterSample {
    @Test
    void injected(GeminiApiEmulator gemini, OpenAiApiEmulator openAi, GeminiLiveEmulator live) {
      saw(gemini);
      saw(openAi);
      saw(live);
      assertThat(openAi.uri().toString()).endsWith("/v1");
      assertThat(live.apiKey()).isEqualTo("emulator-key");
    }

    @Test
    void injectedWithScriptLeft(GeminiLiveEmulator live) {
      saw(live);
      live.enqueue(Script.builder().turn(Reply.text("unplayed"), Reply.turnComplete()).build());
    }
  }
}
