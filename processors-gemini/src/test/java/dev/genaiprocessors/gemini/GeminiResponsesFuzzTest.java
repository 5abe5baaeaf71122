package dev.genaiprocessors.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.client.internal.ApiKey;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelProtocolException;
import dev.genaiprocessors.core.testing.HostileJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The Gemini answer decoder under hostile events: only its documented typed errors may come out
 * ({@link ModelProtocolException}, {@link ModelException}, or the plain {@link IOException} of a
 * stream that ended unfinished). Seeded and bounded: 2,000 tries of up to four events each.
 */
class GeminiResponsesFuzzTest {

  static final ApiKey KEY = ApiKey.of("AIzaFAKEkey0123456789abcdef");

  static final List<String> VALID =
      List.of(
          "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hello\",\"thoughtSignature\":\"c2ln\"}]},"
              + "\"index\":0}],\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}",
          "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm;rate=24000\",\"data\":\"AAAA\"}}]}}]}",
          "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"id\":\"c1\",\"name\":\"f\",\"args\":{\"a\":1}}},"
              + "{\"executableCode\":{\"code\":\"x\"}},{\"text\":\"t\",\"thought\":true}]}}]}",
          "{\"candidates\":[{\"content\":{\"parts\":[]},\"finishReason\":\"STOP\"}],"
              + "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":5,\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":3}]}}",
          "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"totalTokenCount\":1}}",
          "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\",\"message\":\"slow down\","
              + "\"details\":[{\"retryDelay\":\"2s\"},{\"reason\":\"API_KEY_INVALID\"}]}}");

  @Provide
  Arbitrary<List<String>> answers() {
    return Arbitraries.randomValue(
        random -> {
          List<String> events = new ArrayList<>();
          int count = 1 + random.nextInt(4);
          for (int i = 0; i < count; i++) {
            String valid = VALID.get(random.nextInt(VALID.size()));
            events.add(random.nextInt(6) == 0 ? valid : HostileJson.mutate(valid, random));
          }
          return events;
        });
  }

  @Property(tries = 2000, seed = "20261207")
  void onlyTypedErrorsComeOutOfTheDecoder(@ForAll("answers") List<String> events) {
    GeminiResponses decoder = new GeminiResponses("gemini-2.5-flash", KEY, 1);
    try {
      List<Part> parts = new ArrayList<>();
      for (String event : events) {
        parts.addAll(decoder.onEvent(event));
      }
      parts.addAll(decoder.onEnd());
      assertThat(parts).doesNotContainNull();
    } catch (IOException | ModelException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain(KEY.value());
    }
  }

  @Property(tries = 2000, seed = "20261207")
  void errorBodiesAlwaysBecomeAModelException(@ForAll("answers") List<String> bodies) {
    for (String body : bodies) {
      ModelException e = GeminiResponses.error(500, body, null, 1, "gemini-2.5-flash", KEY::redact);
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Test
  void aUsageCountOfTwoToTheSixtyThirdIsAMalformedResponse() throws IOException {
    GeminiResponses decoder = new GeminiResponses("gemini-2.5-flash", KEY, 1);
    decoder.onEvent(
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hi\"}]},\"finishReason\":\"STOP\"}],"
            + "\"usageMetadata\":{\"promptTokenCount\":9223372036854775808}}");
    assertThatThrownBy(decoder::onEnd)
        .isInstanceOf(ModelProtocolException.class)
        .hasMessageContaining("usage_metadata")
        .hasMessageContaining(".promptTokenCount")
        .hasMessageContaining("64-bit");
  }

  @Test
  void aUsageCountThatIsNotFiniteIsAMalformedResponse() throws IOException {
    GeminiResponses decoder = new GeminiResponses("gemini-2.5-flash", KEY, 1);
    decoder.onEvent(
        "{\"candidates\":[{\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"x\":[1e400]}}");
    assertThatThrownBy(decoder::onEnd)
        .isInstanceOf(ModelProtocolException.class)
        .hasMessageContaining("not finite")
        .hasMessageContaining(".x[0]");
  }

  @Test
  void fieldsOfTheWrongTypeAreMalformedResponsesNotJacksonErrors() {
    for (String event :
        List.of(
            "{\"candidates\":[\"x\"]}",
            "{\"candidates\":[{\"content\":7}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":{}}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":[]}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":5}}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\";;\",\"data\":\"AAAA\"}}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":\"f\"}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\";\":{}}]}}]}")) {
      GeminiResponses decoder = new GeminiResponses("gemini-2.5-flash", KEY, 1);
      assertThatThrownBy(() -> decoder.onEvent(event))
          .as(event)
          .isInstanceOf(ModelProtocolException.class);
    }
  }

  @Test
  void anErrorEventWithAHugeCodeIsStillAModelException() {
    GeminiResponses decoder = new GeminiResponses("gemini-2.5-flash", KEY, 1);
    assertThatThrownBy(
            () -> decoder.onEvent("{\"error\":{\"code\":99999999999999999999,\"message\":{}}}"))
        .isInstanceOf(ModelException.class);
  }

  /** Keeps a reference to Random so a failing seed can be replayed by hand in a debugger. */
  static String replay(String valid, long seed) {
    return HostileJson.mutate(valid, new Random(seed));
  }
}
