package dev.genaiprocessors.audio.vad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Reads the output of a {@link Vad}: its audio, its speech segments, and a compact timeline. */
final class VadOutput {

  /** A stretch of speech, in seconds of audio from the start of the stream. */
  record Segment(double start, double end) {
    double duration() {
      return end - start;
    }

    @Override
    public String toString() {
      return String.format("%.2f-%.2f", start, end);
    }
  }

  private VadOutput() {}

  /** The bytes of every audio part, concatenated in order. */
  static byte[] audio(List<Part> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Part part : parts) {
      if (part.isAudio()) {
        out.writeBytes(part.bytes());
      }
    }
    return out.toByteArray();
  }

  /**
   * The speech segments: each start marker's and end marker's position in the audio. Checks that
   * markers alternate, start first, and that every start has its end.
   */
  static List<Segment> segments(List<Part> parts) {
    List<Segment> segments = new ArrayList<>();
    double time = 0;
    double start = -1;
    for (Part part : parts) {
      if (part.isAudio()) {
        time += (double) part.byteSize() / 2 / MimeTypes.sampleRate(part.mimeType()).getAsInt();
      } else if (part.isStartOfSpeech()) {
        assertThat(start).as("a start of speech while speaking, at %.3f s", time).isNegative();
        start = time;
      } else if (part.isEndOfSpeech()) {
        assertThat(start).as("an end of speech while silent, at %.3f s", time).isNotNegative();
        segments.add(new Segment(start, time));
        start = -1;
      }
    }
    assertThat(start).as("a start of speech without its end").isNegative();
    return segments;
  }

  /**
   * The output as tokens: {@code "audio:N"} for a run of audio parts ({@code N} samples in all),
   * {@code "start"}, {@code "end"}, and the text of text parts.
   */
  static List<String> tokens(List<Part> parts) {
    List<String> tokens = new ArrayList<>();
    long samples = 0;
    for (Part part : parts) {
      if (part.isAudio()) {
        samples += part.byteSize() / 2;
        continue;
      }
      if (samples > 0) {
        tokens.add("audio:" + samples);
        samples = 0;
      }
      if (part.isStartOfSpeech()) {
        tokens.add("start");
      } else if (part.isEndOfSpeech()) {
        tokens.add("end");
      } else {
        tokens.add(part.text());
      }
    }
    if (samples > 0) {
      tokens.add("audio:" + samples);
    }
    return tokens;
  }
}
