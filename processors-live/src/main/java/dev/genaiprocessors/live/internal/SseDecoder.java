package dev.genaiprocessors.live.internal;

import dev.genaiprocessors.live.MalformedResponseException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * For internal use only. Splits a byte stream of server-sent events into the data of each event,
 * following the HTML event-stream format: lines end in LF, CRLF or CR; a blank line ends an event;
 * {@code data:} lines (one space after the colon dropped) are joined with LF; comments ({@code :...}) and
 * other fields ({@code event}, {@code id}, {@code retry}) are ignored. Lines are split on bytes, so a
 * UTF-8 character cut between two network buffers is decoded whole.
 *
 * <p>An event that has data when the stream ends without a blank line is still delivered (lenient: some
 * servers omit the last blank line). One instance decodes one stream; it is not thread-safe, feed it
 * serially.
 */
public final class SseDecoder {

  private final int maxEventBytes;
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean afterCarriageReturn;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;

  /** @param maxEventBytes the largest event accepted, in bytes; a larger one is a {@link MalformedResponseException} */
  public SseDecoder(int maxEventBytes) {
    if (maxEventBytes <= 0) {
      throw new IllegalArgumentException("maxEventBytes must be positive, was " + maxEventBytes);
    }
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * Feeds bytes; returns the data of every event they complete.
   *
   * @throws MalformedResponseException when an event grows past the limit
   */
  public List<String> feed(byte[] bytes) throws MalformedResponseException {
    List<String> events = new ArrayList<>(2);
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
    return events;
  }

  /** Ends the stream; returns the data of a last event that had no blank line after it, if any. */
  public List<String> finish() throws MalformedResponseException {
    List<String> events = new ArrayList<>(1);
    if (lineLength > 0) {
      endLine(events);
    }
    if (hasData) {
      events.add(data.toString());
      data.setLength(0);
      hasData = false;
    }
    return events;
  }

  private void endLine(List<String> events) throws MalformedResponseException {
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

  private MalformedResponseException tooLarge() {
    return new MalformedResponseException("a server-sent event is larger than " + maxEventBytes
        + " bytes, the client's limit");
  }
}
