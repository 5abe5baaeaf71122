package dev.genaiprocessors.server;

import dev.genaiprocessors.core.Part;
import java.util.List;
import java.util.Objects;

/**
 * What one inbound frame meant, as a {@link ConnectionCodec} decoded it: parts for the pipeline, frames
 * to answer the client with at once, and whether the client ended its input.
 *
 * @param parts parts for the pipeline's input, in order (may be empty)
 * @param replies frames sent to the client at once, ahead of the pipeline's output (may be empty)
 * @param endOfInput true when the client ended its side: the pipeline's input completes after
 *     {@code parts}, and the conversation ends when the pipeline's output does
 */
public record Decoded(List<Part> parts, List<WireFrame> replies, boolean endOfInput) {
  private static final Decoded NOTHING = new Decoded(List.of(), List.of(), false);
  private static final Decoded END = new Decoded(List.of(), List.of(), true);

  /**
   * What a frame meant.
   *
   * @param parts parts for the pipeline
   * @param replies frames for the client
   * @param endOfInput whether the client ended its input
   */
  public Decoded {
    parts = List.copyOf(Objects.requireNonNull(parts, "parts"));
    replies = List.copyOf(Objects.requireNonNull(replies, "replies"));
  }

  /**
   * A frame that means nothing for the pipeline (a keep-alive, an event only the codec cares about).
   *
   * @return no parts, no replies
   */
  public static Decoded nothing() {
    return NOTHING;
  }

  /**
   * A frame that carries parts for the pipeline.
   *
   * @param parts the parts, in order
   * @return the parts, no replies
   */
  public static Decoded parts(Part... parts) {
    return new Decoded(List.of(parts), List.of(), false);
  }

  /**
   * A frame the codec answers itself.
   *
   * @param replies the frames for the client
   * @return no parts, the replies
   */
  public static Decoded reply(WireFrame... replies) {
    return new Decoded(List.of(), List.of(replies), false);
  }

  /**
   * The client ended its input.
   *
   * @return the end of input, no parts, no replies
   */
  public static Decoded end() {
    return END;
  }
}
