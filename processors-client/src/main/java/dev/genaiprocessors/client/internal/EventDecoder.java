package dev.genaiprocessors.client.internal;

import dev.genaiprocessors.core.Part;
import java.io.IOException;
import java.util.List;

/**
 * For internal use only. Turns the events of one streamed answer into parts. One instance per attempt,
 * called serially.
 */
public interface EventDecoder {

  /**
   * The parts of one event's data.
   *
   * @param data the data of one server-sent event, its {@code data:} lines joined
   * @return the parts the event carries, in order; empty for an event that carries none
   * @throws IOException a {@code ModelProtocolException} when the data does not follow the format
   * @throws dev.genaiprocessors.core.error.ModelException when the event reports an error
   */
  List<Part> onEvent(String data) throws IOException;

  /**
   * The parts that end the answer, once the stream has ended cleanly.
   *
   * @return the closing parts (such as a summary part with the finish reason and usage); may be empty
   * @throws IOException a plain {@code IOException} when the stream ended before the provider said it
   *     had finished (retried like a cut connection), or a {@code ModelProtocolException}
   */
  List<Part> onEnd() throws IOException;
}
