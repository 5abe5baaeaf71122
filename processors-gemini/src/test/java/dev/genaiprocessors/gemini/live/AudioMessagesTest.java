package dev.genaiprocessors.gemini.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.client.internal.SecretRedactor;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming path for model audio gives what the tree path gives, and leaves every other frame to it. */
class AudioMessagesTest {
  static byte[] pcm(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  static String audio(String mimeType, String data) {
    return "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\""
        + mimeType
        + "\",\"data\":\""
        + data
        + "\"}}]}}}";
  }

  static List<ServerEvent> fast(String json) {
    return AudioMessages.decode(json.getBytes(StandardCharsets.UTF_8), 256);
  }

  static List<ServerEvent> tree(String json) {
    return ServerMessages.decodeTree(
        json.getBytes(StandardCharsets.UTF_8), 256, SecretRedactor.none());
  }

  @Test
  void modelAudioOfAnyLengthGivesTheTreesEvents() {
    for (int n : new int[] {0, 1, 2, 3, 959, 960, 961, 48_000}) {
      byte[] data = pcm(n);
      String frame = audio("audio/pcm;rate=24000", Base64.getEncoder().encodeToString(data));
      List<ServerEvent> events = fast(frame);
      assertThat(events).as("%d bytes", n).isNotNull().isEqualTo(tree(frame));
      assertThat(events)
          .singleElement()
          .satisfies(
              e -> {
                Part p = e.part();
                assertThat(p.bytes()).isEqualTo(data);
                assertThat(p.role()).isEqualTo("model");
                assertThat(p.mimeType()).isEqualTo("audio/pcm;rate=24000");
              });
    }
  }

  @Test
  void snakeCaseARoleSeveralPartsDataFirstAndPrettyPrintingAreTakenToo() {
    String b64 = Base64.getEncoder().encodeToString(pcm(10));
    String frame =
        "{\n \"server_content\": {\"model_turn\": {\"role\": \"model\", \"parts\": [\n"
            + "  {\"inline_data\": {\"data\": \""
            + b64
            + "\", \"mime_type\": \"audio/l16\"}},\n"
            + "  {\"inlineData\": {\"mimeType\": \"image/png\", \"data\": \""
            + b64
            + "\"}}]}}}\n";
    assertThat(fast(frame)).isNotNull().hasSize(2).isEqualTo(tree(frame));
    assertThat(fast(frame).get(0).part().mimeType()).isEqualTo("audio/pcm;rate=24000");
  }

  @Test
  void everyOtherShapeIsLeftToTheTree() {
    String ok = Base64.getEncoder().encodeToString(pcm(10));
    String frame = audio("audio/pcm;rate=24000", ok);
    assertThat(fast(frame)).isNotNull();
    List<String> others =
        List.of(
            frame.replace("}}]}}}", "}}]},\"turnComplete\":true}}"),
            frame.replace("}}]}}}", "}}]}},\"usageMetadata\":{}}"),
            frame.replace("}}]}}}", "}}]}},\"unknownField\":1}"),
            frame.replace("\"parts\":[", "\"parts\":[{\"text\":\"hi\"},"),
            frame.replace("}}]}}}", "}}]}}} {}"),
            frame.replace("{\"serverContent\"", "{\"serverContent\":{},\"serverContent\""),
            frame.replace("\"mimeType\":\"audio/pcm;rate=24000\",", ""),
            frame.replace("\"audio/pcm;rate=24000\"", "null"),
            audio("audio/pcm", ok.replace('+', '-').replace('/', '_') + "-_"), // URL-safe
            audio("audio/pcm", ok.substring(0, 4) + " " + ok.substring(4)), // white space
            audio("audio/pcm", "\\u0041" + ok.substring(1)), // an escape
            "[1]",
            "{\"serverContent\":",
            "not json");
    for (String other : others) {
      assertThat(fast(other)).as(other).isNull();
    }
    assertThat(
            AudioMessages.decode(
                frame
                    .replace(
                        "}}]}}}", "},{\"inlineData\":{\"mimeType\":\"a/b\",\"data\":\"\"}}]}}}")
                    .getBytes(StandardCharsets.UTF_8),
                1))
        .as("more parts than maxEvents")
        .isNull();
  }

  @Test
  void unpaddedBase64IsTakenAsTheTreePathTakesIt() {
    byte[] data = pcm(10);
    String unpadded = Base64.getEncoder().withoutPadding().encodeToString(data);
    String frame = audio("audio/pcm;rate=24000", unpadded);
    assertThat(fast(frame)).isNotNull().isEqualTo(tree(frame));
    assertThat(fast(frame).get(0).part().bytes()).isEqualTo(data);
  }

  @Test
  void whatTheTreePathRefusesIsStillRefusedThroughDecode() {
    String ok = Base64.getEncoder().encodeToString(pcm(10));
    assertThatThrownBy(
            () ->
                ServerMessages.decode(
                    audio("audio/pcm", ok.substring(0, 4) + " " + ok.substring(4))
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ModelProtocolException.class)
        .hasMessageContaining("wrong shape");
    assertThat(
            ServerMessages.decode(
                audio("audio/pcm", ok.replace('+', '-').replace('/', '_'))
                    .getBytes(StandardCharsets.UTF_8)))
        .singleElement()
        .satisfies(e -> assertThat(e.part().bytes()).isEqualTo(pcm(10)));
  }
}
