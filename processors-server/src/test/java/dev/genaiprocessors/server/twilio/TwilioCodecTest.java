package dev.genaiprocessors.server.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PlaybackListener;
import dev.genaiprocessors.server.BadFrameException;
import dev.genaiprocessors.server.CloseCodes;
import dev.genaiprocessors.server.ConnectionCodec;
import dev.genaiprocessors.server.ConnectionInfo;
import dev.genaiprocessors.server.Decoded;
import dev.genaiprocessors.server.WireFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Twilio Media Streams as the server's per-connection codec. */
class TwilioCodecTest {
  private static final String START =
      "{\"event\":\"start\",\"start\":{\"accountSid\":\"AC1\",\"streamSid\":\"MZ1\",\"callSid\":\"CA1\","
          + "\"tracks\":[\"inbound\"],\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,"
          + "\"channels\":1}},\"streamSid\":\"MZ1\"}";

  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
  private final TwilioCodec codec =
      (TwilioCodec) TwilioCodec.factory(16000, clock).create(connection());

  private static ConnectionInfo connection() {
    // The factory does not look at the connection.
    return null;
  }

  @Test
  void mediaBecomesPartsAndStopEndsTheInput() {
    assertThat(codec.decode(WireFrame.text(START))).isEqualTo(Decoded.nothing());
    assertThat(codec.call().started().callSid()).isEqualTo("CA1");
    Decoded media = codec.decode(WireFrame.text(TwilioCallTest.media("MZ1", new byte[160])));
    assertThat(media.parts()).hasSize(1);
    assertThat(media.endOfInput()).isFalse();
    assertThat(codec.decode(WireFrame.text(TwilioCallTest.stop("MZ1"))).endOfInput()).isTrue();
  }

  @Test
  void protocolErrorsAndBinaryFramesCloseWithUnsupportedData() {
    assertThatThrownBy(() -> codec.decode(WireFrame.text("{\"event\":\"nope\"}")))
        .isInstanceOf(BadFrameException.class)
        .hasMessageContaining("unknown Media Streams event 'nope'")
        .satisfies(
            e ->
                assertThat(((BadFrameException) e).closeCode())
                    .isEqualTo(CloseCodes.UNSUPPORTED_DATA));
    assertThatThrownBy(() -> codec.decode(WireFrame.binary(new byte[4])))
        .isInstanceOf(BadFrameException.class)
        .hasMessageContaining("text frames")
        .satisfies(
            e ->
                assertThat(((BadFrameException) e).closeCode())
                    .isEqualTo(CloseCodes.UNSUPPORTED_DATA));
  }

  @Test
  void interruptedIsClearAndMarksReachThePlaybackListenerSetLater() {
    List<Part> heard = new ArrayList<>();
    codec.playback(
        new PlaybackListener() {
          @Override
          public void released(Part chunk, long playbackStartMillis, double durationMillis) {
            heard.add(chunk);
          }
        });
    codec.decode(WireFrame.text(START));
    List<WireFrame> frames = codec.encode(Part.audio(new byte[1600], 8000));
    assertThat(frames).hasSize(2).allSatisfy(f -> assertThat(f).isInstanceOf(WireFrame.Text.class));
    codec.decode(WireFrame.text(TwilioCallTest.markBack("a1")));
    assertThat(heard).hasSize(1);
    assertThat(codec.encode(Part.interrupted()))
        .containsExactly(WireFrame.text("{\"event\":\"clear\",\"streamSid\":\"MZ1\"}"));
    assertThat(codec.encode(Part.inputTranscription("hi", true))).isEmpty();
  }

  @Test
  void theFactoryChecksTheRateAtOnce() {
    assertThatThrownBy(() -> TwilioCodec.factory(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
    ConnectionCodec.Factory f = TwilioCodec.factory(24000);
    assertThat(f.create(connection())).isNotSameAs(f.create(connection()));
  }
}
