package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.client.internal.SecretRedactor;
import dev.genaiprocessors.core.error.ModelProtocolException;
import dev.genaiprocessors.core.testing.HostileJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The Gemini Live server-message decoder under hostile frames: only {@link ModelProtocolException} may come
 * out, and its message never holds the key. Seeded and bounded: 2,000 tries.
 */
class ServerMessagesFuzzTest {
  static final String KEY = "AIzaFAKEkey0123456789abcdefghijklmn";
  static final SecretRedactor REDACTOR = SecretRedactor.of(KEY);

  static final List<String> VALID =
      List.of(
          "{\"setupComplete\":{\"sessionId\":\"s-1\"}}",
          "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"text\":\"Hello\"},{\"inlineData\":{\"mimeType\":\"audio/pcm;rate=24000\","
              + "\"data\":\"AAAA\"}},{\"executableCode\":{\"code\":\"x\"}},{\"codeExecutionResult\":{\"output\":\"1\"}},"
              + "{\"text\":\"t\",\"thought\":true}]}}}",
          "{\"serverContent\":{\"inputTranscription\":{\"text\":\"hi\",\"finished\":true,\"languageCode\":\"en-US\"},"
              + "\"interimInputTranscription\":{\"text\":\"h\"},\"outputTranscription\":{\"text\":\"yo\"},"
              + "\"groundingMetadata\":{\"webSearchQueries\":[\"q\"]},\"urlContextMetadata\":{\"urlMetadata\":[]}}}",
          "{\"serverContent\":{\"interrupted\":true,\"generationComplete\":true,\"waitingForInput\":true,"
              + "\"turnComplete\":true,\"turnCompleteReason\":\"NEED_MORE_INPUT\",\"interactionStatus\":\"IDLE\"}}",
          "{\"toolCall\":{\"functionCalls\":[{\"id\":\"fc-1\",\"name\":\"f\",\"args\":{\"a\":[1,2]},\"willContinue\":true},"
              + "{\"id\":\"fc-2\",\"name\":\"g\"}]}}",
          "{\"toolCallCancellation\":{\"ids\":[\"fc-1\",\"fc-2\"]}}",
          "{\"goAway\":{\"timeLeft\":\"50.250s\"}}",
          "{\"sessionResumptionUpdate\":{\"newHandle\":\"h-1\",\"resumable\":true}}",
          "{\"voiceActivity\":{\"voiceActivityType\":\"ACTIVITY_START\"},\"voiceActivityDetectionSignal\":{\"vadSignalType\":\"X\"}}",
          "{\"usageMetadata\":{\"promptTokenCount\":3,\"responseTokenCount\":5,\"totalTokenCount\":8}}");

  @Provide
  Arbitrary<String> frames() {
    return Arbitraries.randomValue(
        random -> {
          String valid = VALID.get(random.nextInt(VALID.size()));
          String frame = random.nextInt(6) == 0 ? valid : HostileJson.mutate(valid, random);
          // One time in four, the key (or a long piece of it) rides along, as a server echoing it
          // would.
          return random.nextInt(4) == 0
              ? frame.replaceFirst(
                  "\"", "\"" + KEY.substring(0, 8 + random.nextInt(KEY.length() - 8)))
              : frame;
        });
  }

  @Property(tries = 2000, seed = "20261207")
  void onlyModelProtocolExceptionsComeOutAndNeverTheKey(@ForAll("frames") String frame) {
    try {
      List<ServerEvent> events =
          ServerMessages.decode(frame.getBytes(StandardCharsets.UTF_8), 256, REDACTOR);
      assertThat(events).doesNotContainNull();
    } catch (ModelProtocolException e) {
      assertThat(e.getMessage())
          .isNotBlank()
          .doesNotContain(KEY.substring(0, 8))
          .doesNotContain(KEY.substring(10, 18));
      assertThat(e.closeCode()).isIn(1007, 1009);
    }
  }

  static void assertMalformed(String frame, String... fragments) {
    assertThatThrownBy(() -> ServerMessages.decode(frame.getBytes(StandardCharsets.UTF_8)))
        .as(frame)
        .isInstanceOf(ModelProtocolException.class)
        .hasMessageContainingAll(fragments);
  }

  @Test
  void cancellationIdsThatAreNotStringsAreMalformedFrames() {
    assertMalformed("{\"toolCallCancellation\":{\"ids\":[{}]}}", "ids holds a OBJECT");
    assertMalformed("{\"toolCallCancellation\":{\"ids\":[[]]}}", "ids holds a ARRAY");
    assertMalformed(
        "{\"toolCallCancellation\":{\"ids\":{\"a\":\"b\"}}}", "ids is a OBJECT, not an array");
  }

  @Test
  void knownMessagesOfTheWrongShapeAreMalformedFrames() {
    assertMalformed("{\"toolCall\":{\"functionCalls\":[\"f\"]}}", "functionCalls[] is a STRING");
    assertMalformed(
        "{\"toolCall\":{\"functionCalls\":[{\"name\":\"f\",\"args\":[1]}]}}", "args is a ARRAY");
    assertMalformed(
        "{\"serverContent\":{\"modelTurn\":{\"parts\":{\"text\":\"x\"}}}}", "parts is a OBJECT");
    assertMalformed("{\"serverContent\":[]}", "serverContent is a ARRAY");
    assertMalformed("{\"goAway\":\"soon\"}", "goAway is a STRING");
  }

  @Test
  void aTimeLeftBeyondAnyDurationIsTakenAsAbsentNotAnArithmeticException()
      throws ModelProtocolException {
    for (String timeLeft :
        List.of("99999999999999999999s", "315576000001s", "9223372036854775807.999999999s")) {
      ServerEvent.GoAway goAway =
          (ServerEvent.GoAway)
              ServerMessages.decode(
                      ("{\"goAway\":{\"timeLeft\":\"" + timeLeft + "\"}}")
                          .getBytes(StandardCharsets.UTF_8))
                  .get(0);
      assertThat(goAway.timeLeft()).as(timeLeft).isNull();
    }
    ServerEvent.GoAway max =
        (ServerEvent.GoAway)
            ServerMessages.decode(
                    "{\"goAway\":{\"timeLeft\":\"315576000000.5s\"}}"
                        .getBytes(StandardCharsets.UTF_8))
                .get(0);
    assertThat(max.timeLeft()).isEqualTo(Duration.ofSeconds(315_576_000_000L, 500_000_000));
  }

  @Test
  void aMessageWithMorePartsThanTheLimitIsRefusedAndSaysHowMany() {
    String parts = "{\"text\":\"x\"},".repeat(300);
    assertMalformed(
        "{\"serverContent\":{\"modelTurn\":{\"parts\":[" + parts + "{\"text\":\"x\"}]}}}",
        "301 parts",
        "at most 256 per message");
  }

  @Test
  void aFrameOfMillionsOfEmptyPartsIsRefusedWhileParsing() {
    // 15 MB of empty parts: refused at 100,000 tokens, before a tree of millions of nodes is built.
    String frame =
        "{\"serverContent\":{\"modelTurn\":{\"parts\":[" + "{},".repeat(5_000_000) + "{}]}}}";
    assertMalformed(frame, "more than 100000 JSON tokens");
  }

  @Test
  void theKeyInAMalformedFrameIsMaskedInTheMessage() {
    String prefix = KEY.substring(0, 30);
    for (String frame :
        List.of(
            "{\"text\": \"" + KEY + "\" oops",
            "not json " + prefix,
            "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\""
                + KEY
                + "\",\"data\":\"AA\"}}]}}}")) {
      assertThatThrownBy(
              () -> ServerMessages.decode(frame.getBytes(StandardCharsets.UTF_8), 256, REDACTOR))
          .isInstanceOf(ModelProtocolException.class)
          .satisfies(
              e ->
                  assertThat(e.getMessage())
                      .doesNotContain(prefix)
                      .doesNotContain(KEY.substring(20)));
    }
  }
}
