package dev.genaiprocessors.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrowserCodecTest {
  private final BrowserCodec codec =
      new BrowserCodec(
          new ConnectionInfo(
              "c-1", new HandshakeRequest("/ws", Map.of(), Map.of(), "127.0.0.1:1"), "anonymous"));

  private static String text(WireFrame frame) {
    return ((WireFrame.Text) frame).text();
  }

  @Test
  void startAgreesTheRateAndAudioFollowsAtIt() {
    Decoded ready = codec.decode(WireFrame.text("{\"type\":\"start\",\"sampleRate\":16000}"));
    assertThat(ready.parts()).isEmpty();
    assertThat(text(ready.replies().get(0)))
        .isEqualTo("{\"type\":\"ready\",\"conversation\":\"c-1\",\"sampleRate\":16000}");

    Decoded audio = codec.decode(WireFrame.binary(new byte[] {1, 2, 3, 4}));
    assertThat(audio.parts())
        .containsExactly(Part.audio(new byte[] {1, 2, 3, 4}, 16000).withRole("user"));
    assertThat(audio.parts().get(0).mimeType()).isEqualTo("audio/pcm;rate=16000");
  }

  @Test
  void controlMessagesBecomeTheLiveContractsParts() {
    codec.decode(WireFrame.text("{\"type\":\"start\",\"sampleRate\":24000}"));
    assertThat(codec.decode(WireFrame.text("{\"type\":\"text\",\"text\":\"hi\"}")).parts())
        .containsExactly(
            Part.text("hi").withRole("user").withMetadata(PartMetadata.TURN_COMPLETE, true));
    assertThat(
            codec.decode(WireFrame.text("{\"type\":\"interrupt\"}")).parts().get(0).isInterrupted())
        .isTrue();
    assertThat(
            codec.decode(WireFrame.text("{\"type\":\"end_of_turn\"}")).parts().get(0).isEndOfTurn())
        .isTrue();
    assertThat(codec.decode(WireFrame.text("{\"type\":\"stop\"}")).endOfInput()).isTrue();
    assertThat(text(codec.decode(WireFrame.text("{\"type\":\"ping\"}")).replies().get(0)))
        .isEqualTo("{\"type\":\"pong\"}");
  }

  @Test
  void badFramesSayWhatWasWrong() {
    assertThatThrownBy(() -> codec.decode(WireFrame.binary(new byte[2])))
        .isInstanceOf(BadFrameException.class)
        .hasMessageContaining("audio before start");
    assertThatThrownBy(() -> codec.decode(WireFrame.text("{\"type\":\"text\",\"text\":\"x\"}")))
        .hasMessageContaining("the first message must be");
    assertThatThrownBy(() -> codec.decode(WireFrame.text("not json")))
        .hasMessageContaining("not JSON");
    assertThatThrownBy(
            () -> codec.decode(WireFrame.text("{\"type\":\"start\",\"sampleRate\":4000}")))
        .hasMessageContaining("8000 to 48000");
    codec.decode(WireFrame.text("{\"type\":\"start\",\"sampleRate\":16000}"));
    assertThatThrownBy(() -> codec.decode(WireFrame.binary(new byte[3])))
        .hasMessageContaining("half a sample")
        .satisfies(
            e ->
                assertThat(((BadFrameException) e).closeCode())
                    .isEqualTo(CloseCodes.UNSUPPORTED_DATA));
    assertThatThrownBy(() -> codec.decode(WireFrame.text("{\"type\":\"dance\"}")))
        .hasMessageContaining("unknown message type \"dance\"");
  }

  @Test
  void outputAnnouncesItsRateAndTheStateAndFlushesOnInterruption() {
    List<WireFrame> first = codec.encode(Part.audio(new byte[4], 24000).withRole("model"));
    assertThat(first).hasSize(3);
    assertThat(text(first.get(0))).isEqualTo("{\"type\":\"audio_format\",\"sampleRate\":24000}");
    assertThat(text(first.get(1))).isEqualTo("{\"type\":\"state\",\"state\":\"speaking\"}");
    assertThat(first.get(2)).isInstanceOf(WireFrame.Binary.class);
    assertThat(codec.encode(Part.audio(new byte[4], 24000).withRole("model"))).hasSize(1);

    List<WireFrame> cut = codec.encode(Part.interrupted());
    assertThat(cut)
        .extracting(BrowserCodecTest::text)
        .containsExactly(
            "{\"type\":\"interrupted\"}",
            "{\"type\":\"state\",\"state\":\"interrupted\"}",
            "{\"type\":\"state\",\"state\":\"listening\"}");

    assertThat(codec.encode(Part.inputTranscription("what time is it", true)))
        .extracting(BrowserCodecTest::text)
        .containsExactly(
            "{\"type\":\"transcript\",\"role\":\"user\",\"text\":\"what time is it\",\"final\":true}",
            "{\"type\":\"state\",\"state\":\"processing\"}");
    assertThat(codec.encode(Part.outputTranscription("It is noon.", false)))
        .extracting(BrowserCodecTest::text)
        .containsExactly(
            "{\"type\":\"transcript\",\"role\":\"assistant\",\"text\":\"It is noon.\",\"final\":false}");
    assertThat(codec.encode(Part.endOfTurn().withRole("model")))
        .extracting(BrowserCodecTest::text)
        .containsExactly("{\"type\":\"turn_complete\"}", "{\"type\":\"state\",\"state\":\"idle\"}");
    assertThat(codec.encodeError(1003, "bad"))
        .extracting(BrowserCodecTest::text)
        .containsExactly("{\"type\":\"error\",\"code\":1003,\"message\":\"bad\"}");
  }
}
