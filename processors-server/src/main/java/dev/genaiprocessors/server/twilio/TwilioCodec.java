package dev.genaiprocessors.server.twilio;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PlaybackListener;
import dev.genaiprocessors.server.BadFrameException;
import dev.genaiprocessors.server.CloseCodes;
import dev.genaiprocessors.server.ConnectionCodec;
import dev.genaiprocessors.server.Decoded;
import dev.genaiprocessors.server.WireFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Twilio Media Streams as a {@link ConnectionCodec}: serve it on a path of the {@code VoiceServer} and
 * point a TwiML {@code <Connect><Stream url="wss://.../twilio"/></Connect>} at it.
 *
 * <pre>{@code
 * VoiceServer.builder()
 *     .endpoint("/twilio", TwilioCodec.factory(16000))
 *     .conversations((connection, codec) -> {
 *       HeardAudio heard = new HeardAudio();
 *       if (codec instanceof TwilioCodec phone) {
 *         phone.playback(heard);            // marks tell what the caller heard
 *       }
 *       return pipelineWith(heard);
 *     })
 * }</pre>
 *
 * <p>Each connection's {@link TwilioCall} does the conversion (see there): text frames in, {@code media}
 * audio to PCM at the input rate; parts out to {@code media} and {@code mark} messages; {@code interrupted}
 * to {@code clear}. {@code stop} ends the pipeline's input. A message that breaks the protocol, or a
 * binary frame, closes the connection with {@link CloseCodes#UNSUPPORTED_DATA} and the reason; Twilio
 * has no error message to send first.
 *
 * <p><b>Threads.</b> As the SPI says: {@code decode} on the event loop, {@code encode} on the output's
 * thread; the call is synchronized, and the listener is set through a volatile field.
 */
public final class TwilioCodec implements ConnectionCodec {

  private final TwilioCall call;
  private volatile PlaybackListener playback = PlaybackListener.NONE;

  private TwilioCodec(int inputSampleRate, Scheduler scheduler) {
    PlaybackListener forward =
        new PlaybackListener() {
          @Override
          public void released(Part chunk, long playbackStartMillis, double durationMillis) {
            playback.released(chunk, playbackStartMillis, durationMillis);
          }

          @Override
          public void dropped(List<Part> parts, long atMillis) {
            playback.dropped(parts, atMillis);
          }
        };
    this.call =
        TwilioCall.builder()
            .inputSampleRate(inputSampleRate)
            .listener(forward)
            .scheduler(scheduler)
            .build();
  }

  /**
   * Makes a codec per connection, with times on {@code Schedulers.parallel()}'s clock.
   *
   * @param inputSampleRate the rate the pipeline takes audio at (the caller's 8 kHz is resampled to it)
   * @return the factory
   * @throws IllegalArgumentException when the rate is out of the resampler's range
   */
  public static ConnectionCodec.Factory factory(int inputSampleRate) {
    return factory(inputSampleRate, Schedulers.parallel());
  }

  /**
   * Makes a codec per connection.
   *
   * @param inputSampleRate the rate the pipeline takes audio at (the caller's 8 kHz is resampled to it)
   * @param scheduler the clock of the playback listener's times: the one the listener compares with
   * @return the factory
   * @throws IllegalArgumentException when the rate is out of the resampler's range
   */
  public static ConnectionCodec.Factory factory(int inputSampleRate, Scheduler scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    TwilioCall.builder().inputSampleRate(inputSampleRate); // checks the rate now
    return connection -> new TwilioCodec(inputSampleRate, scheduler);
  }

  /**
   * Tells a listener which audio the caller heard (its marks came back) and which a {@code clear}
   * dropped: the heard history of the pipeline. Set it when the conversation is made, before audio
   * flows; reports before it go nowhere.
   *
   * @param listener the listener; {@link PlaybackListener#NONE} to stop
   */
  public void playback(PlaybackListener listener) {
    this.playback = Objects.requireNonNull(listener, "listener");
  }

  /**
   * This connection's call: its {@code start} (call and stream ids, custom parameters) once received.
   *
   * @return the call
   */
  public TwilioCall call() {
    return call;
  }

  @Override
  public Decoded decode(WireFrame frame) {
    if (!(frame instanceof WireFrame.Text text)) {
      throw new BadFrameException(
          CloseCodes.UNSUPPORTED_DATA,
          "Media Streams send JSON in text frames; a binary frame is not part of the protocol");
    }
    List<Part> parts;
    try {
      parts = call.receive(text.text());
    } catch (TwilioProtocolException e) {
      throw new BadFrameException(CloseCodes.UNSUPPORTED_DATA, String.valueOf(e.getMessage()));
    }
    return new Decoded(parts, List.of(), call.stopped());
  }

  @Override
  public List<WireFrame> encode(Part part) {
    List<String> messages = call.send(part);
    List<WireFrame> frames = new ArrayList<>(messages.size());
    for (String m : messages) {
      frames.add(WireFrame.text(m));
    }
    return frames;
  }
}
