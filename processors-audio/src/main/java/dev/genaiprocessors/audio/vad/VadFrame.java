package dev.genaiprocessors.audio.vad;

import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.core.Part;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of one {@link Vad} frame, in input order: its audio and the other parts that came with it.
 *
 * @param items the parts to emit, in order
 * @param others how many of them are not audio
 */
record VadFrame(List<Part> items, int others) {

  /** Collects a frame. */
  static final class Builder {
    private final List<Part> items = new ArrayList<>(2);
    private int others;

    void other(Part part) {
      items.add(part);
      others++;
    }

    /**
     * Adds bytes {@code [from, to)} of an audio part: the part itself when that is all of it, else a
     * copy of those bytes in a new part with the same MIME type, role, substream and metadata.
     */
    void audio(Part source, int from, int to) {
      if (from == 0 && to == source.byteSize()) {
        items.add(source);
      } else if (from < to) {
        byte[] slice = new byte[to - from];
        source.byteBuffer().get(from, slice);
        items.add(Pcm.withAttributesOf(source, Part.bytes(slice, source.mimeType())));
      }
    }

    VadFrame build() {
      return new VadFrame(items, others);
    }
  }
}
