package dev.genaiprocessors.openai.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.client.internal.WireJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The audio frames both ways without a tree: {@code input_audio_buffer.append} written from a view is the
 * tree's text byte for byte, and {@code response.output_audio.delta} read by the streaming parser gives what
 * the tree holds, or is left to the tree.
 */
class AudioFramesTest {
  static byte[] pcm(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void anAppendIsTheTreesTextForEveryLengthAndBuffer() {
    for (int n : new int[] {0, 1, 2, 3, 4, 959, 960, 961, 4800}) {
      byte[] data = pcm(n);
      byte[] tree = WireJson.write(ClientEvents.append(data)).getBytes(StandardCharsets.UTF_8);
      assertThat(ClientEvents.append(ByteBuffer.wrap(data).asReadOnlyBuffer()))
          .as("%d bytes", n)
          .isEqualTo(tree);
      ByteBuffer direct = ByteBuffer.allocateDirect(n + 3);
      direct.put(new byte[3]).put(data).flip().position(3);
      assertThat(ClientEvents.append(direct)).isEqualTo(tree);
      assertThat(direct.position()).isEqualTo(3);
    }
  }

  static String delta(String data) {
    return "{\"type\":\"response.output_audio.delta\",\"event_id\":\"e1\",\"response_id\":\"r1\","
        + "\"item_id\":\"i1\",\"output_index\":0,\"content_index\":0,\"delta\":\""
        + data
        + "\"}";
  }

  static AudioDelta read(String json) {
    return AudioDelta.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aDeltaIsReadWithItsIdsAndAudioOfAnyLength() {
    for (int n : new int[] {0, 1, 2, 3, 4800}) {
      byte[] data = pcm(n);
      AudioDelta d = read(delta(Base64.getEncoder().encodeToString(data)));
      AudioDelta unpadded = read(delta(Base64.getEncoder().withoutPadding().encodeToString(data)));
      assertThat(unpadded.audio())
          .as("unpadded, as the tree path's decoder takes it")
          .isEqualTo(data);
      assertThat(d).isNotNull();
      assertThat(d.audio()).isEqualTo(data);
      assertThat(d.responseId()).isEqualTo("r1");
      assertThat(d.itemId()).isEqualTo("i1");
    }
    AudioDelta noIds =
        read(
            "{\"type\":\"response.output_audio.delta\",\"response_id\":\"\",\"extra\":{\"a\":[1,{}]},"
                + "\"delta\":\"AAE=\"}");
    assertThat(noIds.responseId()).as("empty reads as absent, as WireJson.text does").isNull();
    assertThat(noIds.itemId()).isNull();
    assertThat(noIds.audio()).containsExactly(0, 1);
  }

  @Test
  void everyOtherShapeIsLeftToTheTree() {
    String ok = Base64.getEncoder().encodeToString(pcm(10));
    String frame = delta(ok);
    List<String> others =
        List.of(
            frame.replace("response.output_audio.delta", "response.output_audio_transcript.delta"),
            "{\"event_id\":\"e\"," + frame.substring(1), // type not first
            frame.replace("}", ",\"type\":\"error\"}"),
            frame.replace("}", ",\"delta\":\"AAAA\"}"),
            frame.replace("\"r1\"", "7"),
            frame.replace("\"i1\"", "null"),
            frame.replace(",\"delta\":\"" + ok + "\"", ""),
            delta(ok.replace('+', '-').replace('/', '_') + "-_"), // URL-safe
            delta(ok.substring(0, 4) + " " + ok.substring(4)), // white space
            delta("\\u0041" + ok.substring(1)), // an escape
            delta("not base64!"),
            frame + " {}",
            "{\"type\":",
            "[]");
    for (String other : others) {
      assertThat(read(other)).as(other).isNull();
    }
  }
}
