package dev.genaiprocessors.testkit.twilio;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happened on one emulated call, from the caller's side: what the server sent, what the caller
 * played, and how the call ended. Immutable; times are on the caller's scheduler clock, in milliseconds
 * from the call's start.
 *
 * @param streamSid the stream's id the caller gave in {@code start}
 * @param received the server's messages in arrival order ({@code media} ones included); without details
 *     only the {@code clear} ones
 * @param receivedPcm all audio the server sent, decoded to 16-bit PCM at 8 kHz (owned by this record); empty
 *     when the caller was told not to keep it
 * @param receivedMillis how much audio the server sent, at 8 kHz (counted whether kept or not)
 * @param playedMillis how much of it the caller played before it ended or was cleared
 * @param sentAudioMillis how much caller audio was sent (speech and silence)
 * @param marksEchoed the marks sent back, in order, each when its audio had played or on a {@code clear}
 *     (empty without details)
 * @param mediaCount the {@code media} messages received
 * @param markCount the {@code mark} messages received
 * @param marksEchoedCount the marks sent back
 * @param protocolErrors what the server sent that Twilio would refuse, one sentence each
 * @param closeCode the WebSocket close code the server sent, or -1 when it sent none
 * @param closeReason the close reason the server sent, or null
 */
public record TwilioCallRecord(
    String streamSid,
    List<Received> received,
    byte[] receivedPcm,
    long receivedMillis,
    long playedMillis,
    long sentAudioMillis,
    List<String> marksEchoed,
    long mediaCount,
    long markCount,
    long marksEchoedCount,
    List<String> protocolErrors,
    int closeCode,
    @Nullable String closeReason) {

  /**
   * Copies the lists.
   *
   * @param streamSid see the record
   * @param received see the record
   * @param receivedPcm see the record
   * @param receivedMillis see the record
   * @param playedMillis see the record
   * @param sentAudioMillis see the record
   * @param marksEchoed see the record
   * @param mediaCount see the record
   * @param markCount see the record
   * @param marksEchoedCount see the record
   * @param protocolErrors see the record
   * @param closeCode see the record
   * @param closeReason see the record
   * @throws NullPointerException when a field other than the reason is null
   */
  public TwilioCallRecord {
    Objects.requireNonNull(streamSid, "streamSid");
    Objects.requireNonNull(receivedPcm, "receivedPcm");
    received = List.copyOf(received);
    marksEchoed = List.copyOf(marksEchoed);
    protocolErrors = List.copyOf(protocolErrors);
  }

  /**
   * A message the server sent.
   *
   * @param event {@code media}, {@code mark} or {@code clear}
   * @param markName the mark's name, or null for other events
   * @param bytes the media's μ-law byte count (one per sample), 0 for other events
   * @param atMillis when it arrived
   * @param playedBeforeMillis how much audio the caller had played when it arrived
   */
  public record Received(
      String event, @Nullable String markName, int bytes, long atMillis, long playedBeforeMillis) {
    /**
     * Checks the event name.
     *
     * @param event see the record
     * @param markName see the record
     * @param bytes see the record
     * @param atMillis see the record
     * @param playedBeforeMillis see the record
     * @throws NullPointerException when it is null
     */
    public Received {
      Objects.requireNonNull(event, "event");
    }
  }

  /**
   * The {@code clear} messages, in order.
   *
   * @return them
   */
  public List<Received> clears() {
    return received.stream().filter(r -> r.event().equals("clear")).toList();
  }

  /**
   * The marks the server sent, in order (empty without details).
   *
   * @return their names
   */
  public List<String> marksReceived() {
    return received.stream()
        .filter(r -> r.event().equals("mark"))
        .map(r -> Objects.requireNonNull(r.markName()))
        .toList();
  }

  @Override
  public String toString() {
    return "TwilioCallRecord[streamSid="
        + streamSid
        + ", received="
        + received.size()
        + " messages, "
        + receivedMillis()
        + " ms audio, played="
        + playedMillis
        + " ms, sent="
        + sentAudioMillis
        + " ms, clears="
        + clears().size()
        + ", marks="
        + markCount
        + ", marksEchoed="
        + marksEchoedCount
        + ", protocolErrors="
        + protocolErrors
        + ", close="
        + closeCode
        + " "
        + closeReason
        + "]";
  }
}
