package dev.genaiprocessors.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The frame written from a view is, byte for byte, what the mapper writes for the same message's tree. */
class Base64JsonTest {
  static ObjectNode message(ObjectNode blob) {
    ObjectNode m = WireJson.MAPPER.createObjectNode();
    m.putObject("realtimeInput").set("audio", blob);
    return m;
  }

  static ObjectNode blob() {
    return WireJson.MAPPER.createObjectNode().put("mimeType", "audio/pcm;rate=16000");
  }

  /** The old path: the bytes copied, Base64 as a String, a tree, its text. */
  static byte[] viaTree(byte[] data) {
    ObjectNode blob = blob().put("data", Base64.getEncoder().encodeToString(data));
    return WireJson.write(message(blob)).getBytes(StandardCharsets.UTF_8);
  }

  static Base64Json frame() {
    ObjectNode blob = blob();
    return Base64Json.of(message(blob), blob, "data");
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void everyLengthFromEmptyToOddGivesTheTreesTextExactlySized() {
    Base64Json frame = frame();
    for (int n : new int[] {0, 1, 2, 3, 4, 5, 639, 640, 641, 642, 4097}) {
      byte[] data = random(n);
      byte[] sent = frame.frame(ByteBuffer.wrap(data).asReadOnlyBuffer());
      assertThat(sent).as("%d bytes", n).isEqualTo(viaTree(data));
      assertThat(sent.length).isEqualTo(viaTree(data).length);
    }
    assertThat(new String(frame.frame(ByteBuffer.allocate(0)), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"realtimeInput\":{\"audio\":{\"mimeType\":\"audio/pcm;rate=16000\",\"data\":\"\"}}}");
  }

  @Test
  void directWritableAndSlicedBuffersGiveTheSameTextAndKeepTheirPosition() {
    Base64Json frame = frame();
    byte[] data = random(641);
    ByteBuffer direct = ByteBuffer.allocateDirect(700);
    direct.put(new byte[30]).put(data).flip().position(30);
    assertThat(frame.frame(direct)).isEqualTo(viaTree(data));
    assertThat(direct.position()).isEqualTo(30);
    assertThat(direct.limit()).isEqualTo(671);

    byte[] padded = new byte[700];
    System.arraycopy(data, 0, padded, 59, data.length);
    ByteBuffer slice = ByteBuffer.wrap(padded, 50, 650).slice().position(9).limit(9 + 641);
    assertThat(slice.hasArray()).isTrue();
    assertThat(frame.frame(slice)).isEqualTo(viaTree(data));
    assertThat(frame.frame(ByteBuffer.wrap(data))).isEqualTo(viaTree(data));
  }

  @Test
  void theTemplateIsLeftAsItWasAndAFieldMissingFromTheTextIsRefused() {
    ObjectNode blob = blob().put("data", "kept");
    ObjectNode message = message(blob);
    Base64Json.of(message, blob, "data");
    assertThat(blob.get("data").asString()).isEqualTo("kept");
    ObjectNode elsewhere = WireJson.MAPPER.createObjectNode();
    assertThatThrownBy(() -> Base64Json.of(message, elsewhere, "data"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("data");
    assertThat(elsewhere.has("data")).isFalse();
  }

  @Test
  void encodedLengthIsPaddedBase64s() {
    for (int n = 0; n < 20; n++) {
      assertThat(Base64Json.encodedLength(n))
          .isEqualTo(Base64.getEncoder().encodeToString(new byte[n]).length());
    }
  }

  @Test
  void aStringValueIsDecodedFromTheFrameOrLeftToTheCallerWhenItIsNotPlainBase64() {
    byte[] data = random(641);
    String b64 = Base64.getEncoder().encodeToString(data);
    byte[] frame = ("{\"d\":\"" + b64 + "\",\"x\":1}").getBytes(StandardCharsets.UTF_8);
    assertThat(Base64Json.decodeString(frame, 5)).isEqualTo(data);
    assertThat(Base64Json.decodeString("{\"d\":\"\"}".getBytes(StandardCharsets.UTF_8), 5))
        .isEmpty();
    byte[] unpadded =
        ("\"" + Base64.getEncoder().withoutPadding().encodeToString(random(2)) + "\"")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(Base64Json.decodeString(unpadded, 0)).isEqualTo(random(2));
    for (String bad : new String[] {"\"AA\\u0041A\"", "\"AA A\"", "\"AB-_\"", "\"AAAA", "AAAA\""}) {
      assertThat(Base64Json.decodeString(bad.getBytes(StandardCharsets.UTF_8), 0)).as(bad).isNull();
    }
    assertThat(Base64Json.decodeString(frame, 4)).as("not at a quote").isNull();
    assertThat(Base64Json.decodeString(frame, -1)).isNull();
    assertThat(Base64Json.decodeString(frame, frame.length)).isNull();
  }
}
