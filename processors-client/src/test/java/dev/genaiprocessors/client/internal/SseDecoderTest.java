package dev.genaiprocessors.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.error.ModelProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {

  static List<String> decode(SseDecoder d, byte[]... chunks) throws ModelProtocolException {
    List<String> events = new ArrayList<>();
    for (byte[] c : chunks) {
      events.addAll(d.feed(c));
    }
    events.addAll(d.finish());
    return events;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyLineEndingEndsLinesAndABlankLineEndsAnEvent() throws Exception {
    assertThat(
            decode(new SseDecoder(1000), utf8("data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d\n\n")))
        .containsExactly("a", "b", "c", "d");
  }

  @Test
  void dataLinesJoinWithNewlinesAndOtherFieldsAndCommentsAreIgnored() throws Exception {
    assertThat(
            decode(
                new SseDecoder(1000),
                utf8(": keep-alive\nevent: chunk\nid: 7\ndata: {\"a\":\ndata:1}\nretry: 5\n\n")))
        .containsExactly("{\"a\":\n1}");
  }

  @Test
  void aCharacterSplitAcrossChunksIsDecodedWhole() throws Exception {
    byte[] all = utf8("data: héllo 👋\r\n\r\n");
    List<byte[]> pieces = new ArrayList<>();
    for (int i = 0; i < all.length; i++) {
      pieces.add(Arrays.copyOfRange(all, i, i + 1)); // one byte at a time, CR and LF apart too
    }
    assertThat(decode(new SseDecoder(1000), pieces.toArray(new byte[0][])))
        .containsExactly("héllo 👋");
  }

  @Test
  void aLastEventWithoutABlankLineIsDiscardedAsTheStandardSays() throws Exception {
    assertThat(decode(new SseDecoder(1000), utf8("data: a\n\ndata: [DONE]"))).containsExactly("a");
    assertThat(decode(new SseDecoder(1000), utf8("data: a\n\ndata: {\"half\":\n")))
        .containsExactly("a");
    assertThat(decode(new SseDecoder(1000), utf8("\n\n: only a comment\n"))).isEmpty();
  }

  @Test
  void finishForgetsTheIncompleteEventSoTheDecoderCanBeReused() throws Exception {
    SseDecoder d = new SseDecoder(1000);
    d.feed(utf8("data: cut"));
    assertThat(d.finish()).isEmpty();
    assertThat(d.feed(utf8("data: next\n\n"))).containsExactly("next");
  }

  @Test
  void anEventPastTheLimitIsMalformedAfterTheEventsBeforeIt() throws Exception {
    SseDecoder d = new SseDecoder(64);
    assertThat(d.feed(utf8("data: ok\n\ndata: " + "x".repeat(100)))).containsExactly("ok");
    assertThatThrownBy(() -> d.feed(utf8("more")))
        .isInstanceOf(ModelProtocolException.class)
        .hasMessageContaining("64 bytes");
    assertThatThrownBy(d::finish).isInstanceOf(ModelProtocolException.class);
    SseDecoder lines = new SseDecoder(64);
    assertThat(lines.feed(utf8(("data: " + "y".repeat(20) + "\n").repeat(5)))).isEmpty();
    assertThatThrownBy(lines::finish).isInstanceOf(ModelProtocolException.class);
  }
}
