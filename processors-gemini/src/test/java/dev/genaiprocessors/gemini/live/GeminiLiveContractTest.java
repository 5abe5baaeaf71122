package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.live.LiveProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GeminiLiveProcessor speaks the provider-neutral part vocabulary of {@link LiveProcessor}. */
class GeminiLiveContractTest {

  @Test
  void itIsALiveProviderWithItsRates() {
    LiveProcessor live =
        GeminiLiveProcessor.builder().apiKey("k").model("gemini-live-2.5-flash-preview").build();
    assertThat(live.provider()).isEqualTo("gemini");
    assertThat(live.inputSampleRate()).isEqualTo(16_000);
    assertThat(live.outputSampleRate()).isEqualTo(24_000);
  }

  @Test
  void usageIsTheNeutralUsagePartWithTheRawObjectBeside() throws Exception {
    List<Part> parts =
        ServerMessagesTest.parts(
            "{\"usageMetadata\":{\"promptTokenCount\":12,\"responseTokenCount\":\"30\","
                + "\"totalTokenCount\":42}}");
    Part usage = parts.stream().filter(LiveParts::isUsage).findFirst().orElseThrow();
    assertThat(LiveParts.usageOf(usage)).contains(new LiveParts.Usage(12, 30, 42));
    assertThat(GeminiLiveParts.isUsage(usage)).isTrue();
  }

  @Test
  void goAwayIsTheNeutralGoingAwayEvent() throws Exception {
    List<Part> parts = ServerMessagesTest.parts("{\"goAway\":{\"timeLeft\":\"50s\"}}");
    assertThat(parts)
        .anySatisfy(
            p ->
                assertThat(LiveParts.sessionEventOf(p))
                    .contains(LiveParts.SessionEvent.GOING_AWAY));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
