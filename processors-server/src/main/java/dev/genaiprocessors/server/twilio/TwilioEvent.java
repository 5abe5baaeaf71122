package dev.genaiprocessors.server.twilio;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message Twilio sends on a Media Streams WebSocket, parsed by {@link TwilioWire#parse(String)}: {@code
 * connected} first, then {@code start}, then {@code media}, {@code mark} and {@code dtmf} in any order, and
 * {@code stop} last. Immutable values.
 */
public sealed interface TwilioEvent {

  /**
   * The first message of every stream: the WebSocket is connected.
   *
   * @param protocol the protocol name ({@code Call})
   * @param version the protocol version (such as {@code 1.0.0})
   */
  record Connected(String protocol, String version) implements TwilioEvent {
    /**
     * Checks the fields.
     *
     * @param protocol see the record
     * @param version see the record
     * @throws NullPointerException when a field is null
     */
    public Connected {
      Objects.requireNonNull(protocol, "protocol");
      Objects.requireNonNull(version, "version");
    }
  }

  /**
   * The stream started: who calls, on which stream, with which audio.
   *
   * @param streamSid the stream's id; every later message carries it, and every message sent back must
   * @param callSid the call's id
   * @param accountSid the Twilio account's id
   * @param tracks the tracks streamed ({@code inbound}, {@code outbound})
   * @param encoding the media encoding; {@code audio/x-mulaw} is the only one Twilio sends
   * @param sampleRate samples per second; 8000
   * @param channels channels; 1
   * @param customParameters the {@code <Parameter>}s of the TwiML {@code <Stream>}, in order
   */
  record Start(
      String streamSid,
      String callSid,
      String accountSid,
      List<String> tracks,
      String encoding,
      int sampleRate,
      int channels,
      Map<String, String> customParameters)
      implements TwilioEvent {
    /**
     * Checks the fields and copies the collections.
     *
     * @param streamSid see the record
     * @param callSid see the record
     * @param accountSid see the record
     * @param tracks see the record
     * @param encoding see the record
     * @param sampleRate see the record
     * @param channels see the record
     * @param customParameters see the record
     * @throws NullPointerException when a field is null
     */
    public Start {
      Objects.requireNonNull(streamSid, "streamSid");
      Objects.requireNonNull(callSid, "callSid");
      Objects.requireNonNull(accountSid, "accountSid");
      Objects.requireNonNull(encoding, "encoding");
      tracks = List.copyOf(tracks);
      customParameters = Map.copyOf(customParameters);
    }
  }

  /**
   * A chunk of audio from the call.
   *
   * @param streamSid the stream's id
   * @param track {@code inbound} (the caller) or {@code outbound} (what the call plays)
   * @param chunk the chunk's number, from 1
   * @param timestampMillis milliseconds since the stream started
   * @param ulaw the audio, μ-law at 8 kHz, decoded from the base64 payload (owned by this event: not
   *     copied, do not change it)
   */
  record Media(String streamSid, String track, long chunk, long timestampMillis, byte[] ulaw)
      implements TwilioEvent {
    /**
     * Checks the fields.
     *
     * @param streamSid see the record
     * @param track see the record
     * @param chunk see the record
     * @param timestampMillis see the record
     * @param ulaw see the record
     * @throws NullPointerException when a field is null
     */
    public Media {
      Objects.requireNonNull(streamSid, "streamSid");
      Objects.requireNonNull(track, "track");
      Objects.requireNonNull(ulaw, "ulaw");
    }

    /**
     * Whether this is the caller's audio.
     *
     * @return true for the {@code inbound} track
     */
    public boolean isInbound() {
      return "inbound".equals(track);
    }

    @Override
    public String toString() {
      return "Media[streamSid="
          + streamSid
          + ", track="
          + track
          + ", chunk="
          + chunk
          + ", timestampMillis="
          + timestampMillis
          + ", bytes="
          + ulaw.length
          + "]";
    }
  }

  /**
   * A mark sent back: the audio sent before the mark of that name has been played, or a {@code clear}
   * dropped it.
   *
   * @param streamSid the stream's id
   * @param name the mark's name, as sent
   */
  record Mark(String streamSid, String name) implements TwilioEvent {
    /**
     * Checks the fields.
     *
     * @param streamSid see the record
     * @param name see the record
     * @throws NullPointerException when a field is null
     */
    public Mark {
      Objects.requireNonNull(streamSid, "streamSid");
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * The caller pressed a key.
   *
   * @param streamSid the stream's id
   * @param digit the key: {@code 0}-{@code 9}, {@code *} or {@code #}
   */
  record Dtmf(String streamSid, String digit) implements TwilioEvent {
    /**
     * Checks the fields.
     *
     * @param streamSid see the record
     * @param digit see the record
     * @throws NullPointerException when a field is null
     */
    public Dtmf {
      Objects.requireNonNull(streamSid, "streamSid");
      Objects.requireNonNull(digit, "digit");
    }
  }

  /**
   * The stream ended (the call hung up, or the TwiML moved on); the last message.
   *
   * @param streamSid the stream's id
   */
  record Stop(String streamSid) implements TwilioEvent {
    /**
     * Checks the field.
     *
     * @param streamSid see the record
     * @throws NullPointerException when it is null
     */
    public Stop {
      Objects.requireNonNull(streamSid, "streamSid");
    }
  }
}
