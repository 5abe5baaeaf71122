package dev.genaiprocessors.openai;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The Chat Completions stream decoder under hostile chunks: only its documented typed errors may come
 * out ({@link ModelProtocolException}, {@link ModelException}, or the plain {@link IOException}
 * of a stream that ended unfinished). Seeded and bounded: 2,000 tries of up to five chunks each.
 */
class OpenAiResponsesFuzzTest {

  static final ApiKey KEY = ApiKey.of("skFAKEkey0123456789abcdefghij");

  static final List<String> VALID =
      List.of(
          "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}",
          "{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"think\"}}]}",
          "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"t1\",\"type\":\"function\","
              + "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":\"}}]}}]}",
          "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"1}\"}}]}}]}",
          "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
          "{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5,"
              + "\"completion_tokens_details\":{\"reasoning_tokens\":1}}}",
          "{\"error\":{\"code\":500,\"type\":\"server_error\",\"message\":\"boom\"}}");

  @Provide
  Arbitrary<List<String>> answers() {
    return Arbitraries.randomValue(
        random -> {
          List<String> events = new ArrayList<>();
          int count = 1 + random.nextInt(5);
          for (int i = 0; i < count; i++) {
            String valid = VALID.get(random.nextInt(VALID.size()));
            events.add(random.nextInt(6) == 0 ? valid : HostileJson.mutate(valid, random));
          }
          if (random.nextBoolean()) {
            events.add("[DONE]");
          }
          return events;
        });
  }

  @Property(tries = 2000, seed = "20261207")
  void onlyTypedErrorsComeOutOfTheDecoder(@ForAll("answers") List<String> events) {
    OpenAiResponses decoder = new OpenAiResponses("m", "127.0.0.1", KEY, 1);
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
      ModelException e = OpenAiResponses.error(503, body, null, 1, "m", "127.0.0.1", KEY::redact);
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Test
  void aUsageCountOfTwoToTheSixtyThirdIsAMalformedResponse() throws IOException {
    OpenAiResponses decoder = new OpenAiResponses("m", "127.0.0.1", KEY, 1);
    decoder.onEvent(
        "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":18446744073709551616}}");
    assertThatThrownBy(decoder::onEnd)
        .isInstanceOf(ModelProtocolException.class)
        .hasMessageContaining("usage")
        .hasMessageContaining(".prompt_tokens")
        .hasMessageContaining("64-bit");
  }

  @Test
  void fieldsOfTheWrongTypeAreMalformedResponsesNotJacksonErrors() {
    for (String event :
        List.of(
            "{\"choices\":[7]}",
            "{\"choices\":[{\"index\":0,\"delta\":\"x\"}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[\"x\"]}}]}",
            "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":[]}]}}]}")) {
      OpenAiResponses decoder = new OpenAiResponses("m", "127.0.0.1", KEY, 1);
      assertThatThrownBy(() -> decoder.onEvent(event))
          .as(event)
          .isInstanceOf(ModelProtocolException.class);
    }
  }

  @Test
  void toolCallIndexesAreBoundedSoAServerCannotOpenAMillionCalls() throws IOException {
    OpenAiResponses decoder = new OpenAiResponses("m", "127.0.0.1", KEY, 1);
    StringBuilder calls = new StringBuilder();
    for (int i = 0; i <= OpenAiResponses.MAX_TOOL_CALLS; i++) {
      calls
          .append(i == 0 ? "" : ",")
          .append("{\"index\":")
          .append(i)
          .append(",\"function\":{\"name\":\"f\"}}");
    }
    assertThatThrownBy(
            () ->
                decoder.onEvent(
                    "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[" + calls + "]}}]}"))
        .isInstanceOf(ModelProtocolException.class)
        .hasMessageContaining("more than 1024 tool calls");
  }

  @Test
  void anErrorEventWithAHugeCodeIsStillAModelException() {
    OpenAiResponses decoder = new OpenAiResponses("m", "127.0.0.1", KEY, 1);
    assertThatThrownBy(
            () -> decoder.onEvent("{\"error\":{\"code\":99999999999999999999,\"message\":[]}}"))
        .isInstanceOf(ModelException.class);
  }
}
