package dev.genaiprocessors.client.internal;

import dev.genaiprocessors.core.error.ModelProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * For internal use only. Splits a byte stream of server-sent events into the data of each event,
 * following the HTML event-stream format: lines end in LF, CRLF or CR; a blank line ends an event;
 * {@code data:} lines (one space after the colon dropped) are joined with LF; comments ({@code :...}) and
 * other fields ({@code event}, {@code id}, {@code retry}) are ignored. Lines are split on bytes, so a
 * UTF-8 character cut between two network buffers is decoded whole.
 *
 * <p>An event not ended by a blank line when the stream ends is discarded, as the standard says
 * ("If the file ends in the middle of an event, before the final empty line, the incomplete event is
 * not dispatched"): a stream cut mid-event then looks like any other cut, and is retried as one, instead
 * of handing on half an event. One instance decodes one stream; it is not thread-safe, feed it serially.
 */
public final class SseDecoder {

  private final int maxEventBytes;
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean afterCarriageReturn;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;

  /** Set when an event grew past the limit; every later call throws it. */
  private @Nullable ModelProtocolException failure;

  /** @param maxEventBytes the largest event accepted, in bytes; a larger one is a {@link ModelProtocolException} */
  public SseDecoder(int maxEventBytes) {
    if (maxEventBytes <= 0) {
      throw new IllegalArgumentException("maxEventBytes must be positive, was " + maxEventBytes);
    }
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * Feeds bytes; returns the data of every event they complete. When an event grows past the limit,
   * the events completed before it are still returned, and the error comes from the next call (this one's
   * successor, or {@link #finish()}): so the events handed on do not depend on how the network split
   * the bytes.
   *
   * @param bytes the next bytes of the stream, as they came from the network; any length
   * @return the data of each event completed by these bytes, in order; empty when none was completed
   * @throws ModelProtocolException when an event grew past the limit in an earlier call
   */
  public List<String> feed(byte[] bytes) throws ModelProtocolException {
    if (failure != null) {
      throw failure;
    }
    List<String> events = new ArrayList<>(2);
    try {
      feed(bytes, events);
    } catch (ModelProtocolException e) {
      failure = e;
      lineLength = 0;
      line = new byte[256];
      data.setLength(0);
      hasData = false;
    }
    return events;
  }

  private void feed(byte[] bytes, List<String> events) throws ModelProtocolException {
    for (byte b : bytes) {
      if (b == '\n') {
        if (!afterCarriageReturn) {
          endLine(events);
        }
        afterCarriageReturn = false;
      } else if (b == '\r') {
        endLine(events);
        afterCarriageReturn = true;
      } else {
        afterCarriageReturn = false;
        if (lineLength + data.length() >= maxEventBytes) {
          throw tooLarge();
        }
        if (lineLength == line.length) {
          line = Arrays.copyOf(line, Math.min(line.length * 2, maxEventBytes));
        }
        line[lineLength++] = b;
      }
    }
  }

  /**
   * Ends the stream. An incomplete event (no blank line after it) is discarded, per the standard.
   *
   * @return the events the end completes: always none, since only a blank line completes an event
   * @throws ModelProtocolException when an event grew past the limit
   */
  public List<String> finish() throws ModelProtocolException {
    if (failure != null) {
      throw failure;
    }
    lineLength = 0;
    afterCarriageReturn = false;
    data.setLength(0);
    hasData = false;
    return List.of();
  }

  private void endLine(List<String> events) throws ModelProtocolException {
    if (lineLength == 0) {
      if (hasData) {
        events.add(data.toString());
        data.setLength(0);
        hasData = false;
      }
      return;
    }
    String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
    lineLength = 0;
    if (line.length > 64 * 1024) {
      line = new byte[256]; // do not keep a large buffer after a large event
    }
    if (text.charAt(0) == ':') {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    if (!field.equals("data")) {
      return;
    }
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (hasData) {
      data.append('\n');
    }
    data.append(value);
    hasData = true;
    if (data.length() > maxEventBytes) {
      throw tooLarge();
    }
  }

  private ModelProtocolException tooLarge() {
    return WireJson.malformed(
        "", "a server-sent event is larger than " + maxEventBytes + " bytes, the client's limit");
  }
}
