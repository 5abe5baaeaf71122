package dev.genaiprocessors.audio.vad;

import dev.genaiprocessors.audio.Pcm;
import dev.genaiprocessors.audio.Resampler;
import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The state of one {@link Vad} subscription: analysis of the audio in detector frames, the audio and
 * other parts waiting for a decision, and the speech state machine. Called by one thread at a time.
 *
 * <p>Audio is tracked in <em>segments</em> of one input rate. A segment knows where it starts in the
 * detector's timeline, so the input samples of any detector frame are found exactly: detector sample
 * {@code d} of a segment lies at input sample {@code (d - start) * rate / detectorRate}.
 */
final class VadSession {

  private final SpeechDetector detector;
  private final int detectorRate;
  private final double threshold;
  private final float[] frame;
  private int frameFill;
  private long framesAnalysed;

  /** Detector samples produced by every resampler so far. */
  private long detectorSamples;

  private final SpeechWindow window;
  private final int startCount;
  private final int endCount;
  private boolean speaking;

  private @Nullable Segment segment;
  private @Nullable Resampler resampler;

  /** Audio pieces ({@link Piece}) and other parts ({@link Part}) not yet in a frame, in input order. */
  private final ArrayDeque<Object> pending = new ArrayDeque<>();

  private int pendingOthers;

  /** Frames waiting, while silent, for the decision of the window they are in. */
  private final ArrayDeque<VadFrame> held = new ArrayDeque<>();

  private int heldOthers;

  VadSession(Vad settings, SpeechDetector detector) {
    this.detector = detector;
    this.detectorRate = detector.sampleRate();
    int frameSamples = detector.frameSamples();
    if (detectorRate <= 0 || frameSamples <= 0) {
      throw new IllegalStateException(
          "speech detector "
              + detector.getClass().getName()
              + " reports a sample rate of "
              + detectorRate
              + " Hz and frames of "
              + frameSamples
              + " samples; both must be positive");
    }
    this.threshold = settings.threshold;
    this.frame = new float[frameSamples];
    double frameNanos = frameSamples * 1e9 / detectorRate;
    int size = (int) Math.max(1, Math.round(settings.padding.toNanos() / frameNanos));
    this.window = new SpeechWindow(size);
    this.startCount = atLeast(settings.speechRatio, size);
    this.endCount = atLeast(settings.silenceRatio, size);
  }

  /** The smallest count of frames that is at least this share of the window, and at least one. */
  private static int atLeast(double ratio, int size) {
    return (int) Math.max(1, Math.ceil(ratio * size - 1e-9));
  }

  /** Takes the next input part and returns what can be emitted now. */
  List<Part> accept(Part part) {
    List<Part> out = new ArrayList<>(4);
    if (!part.isAudio()) {
      other(part, out);
      return out;
    }
    int rate = checkedRate(part);
    if (part.byteSize() == 0) {
      other(part, out);
      return out;
    }
    Segment current = segment;
    Resampler currentResampler = resampler;
    // Both are set together, and only finish() clears the resampler (no audio comes after it).
    if (current == null || currentResampler == null || current.rate != rate) {
      if (current != null && currentResampler != null) {
        endSegment(current, currentResampler, out);
      }
      current = new Segment(rate, detectorSamples);
      currentResampler = new Resampler(rate, detectorRate);
      segment = current;
      resampler = currentResampler;
    }
    pending.add(new Piece(part, current, current.inputSamples));
    current.inputSamples += part.byteSize() / Pcm.BYTES_PER_SAMPLE;
    // At the detector's rate, read the part's bytes in place: the resampler would copy them.
    feed(
        rate == detectorRate
            ? part.byteBuffer()
            : ByteBuffer.wrap(currentResampler.process(part.byteBuffer())),
        out);
    return out;
  }

  /** Ends the input: analyses what the resampler held back and releases everything. */
  List<Part> finish() {
    List<Part> out = new ArrayList<>();
    if (resampler != null) {
      feed(ByteBuffer.wrap(resampler.flush()), out);
      resampler = null;
    }
    drainHeld(out);
    out.addAll(cut(Long.MAX_VALUE).items());
    if (speaking) {
      out.add(Part.endOfSpeech());
      speaking = false;
    }
    return out;
  }

  private void other(Part part, List<Part> out) {
    if (pending.isEmpty() && held.isEmpty()) {
      out.add(part);
      return;
    }
    pending.add(part);
    pendingOthers++;
    if (pendingOthers + heldOthers > Vad.MAX_HELD_PARTS) {
      drainHeld(out);
      out.addAll(cut(Long.MAX_VALUE).items());
    }
  }

  private void endSegment(Segment ending, Resampler endingResampler, List<Part> out) {
    feed(ByteBuffer.wrap(endingResampler.flush()), out);
    ending.detectorEnd = detectorSamples;
  }

  /**
   * Feeds detector-rate samples to the frame and analyses every frame they complete.
   *
   * @param pcm16le 16-bit samples from position 0 to the limit, a buffer of the caller's own (its byte
   *     order is set here)
   */
  private void feed(ByteBuffer pcm16le, List<Part> out) {
    ByteBuffer samples = pcm16le.order(ByteOrder.LITTLE_ENDIAN);
    int count = samples.limit() / Pcm.BYTES_PER_SAMPLE;
    for (int i = 0; i < count; i++) {
      frame[frameFill++] = samples.getShort(i * Pcm.BYTES_PER_SAMPLE) / 32768f;
      detectorSamples++;
      if (frameFill == frame.length) {
        frameFill = 0;
        analyse(out);
      }
    }
  }

  private void analyse(List<Part> out) {
    boolean voiced = detector.speechProbability(frame) >= threshold;
    framesAnalysed++;
    VadFrame audio = cut(framesAnalysed * frame.length);
    if (!speaking) {
      held.add(audio);
      heldOthers += audio.others();
      if (held.size() > window.size()) {
        VadFrame oldest = held.poll();
        heldOthers -= oldest.others();
        out.addAll(oldest.items());
      }
      window.push(voiced);
      if (window.voiced() >= startCount) {
        out.add(Part.startOfSpeech());
        drainHeld(out);
        window.clear();
        speaking = true;
      }
    } else {
      out.addAll(audio.items());
      window.push(voiced);
      if (window.unvoiced() >= endCount) {
        out.add(Part.endOfSpeech());
        window.clear();
        speaking = false;
      }
    }
  }

  private void drainHeld(List<Part> out) {
    for (VadFrame f : held) {
      out.addAll(f.items());
    }
    held.clear();
    heldOthers = 0;
  }

  /**
   * Takes from {@link #pending} the audio up to detector sample {@code end} and the other parts that
   * came before its last byte (and those right after it, up to the next audio).
   */
  private VadFrame cut(long end) {
    VadFrame.Builder frame = new VadFrame.Builder();
    while (!pending.isEmpty()) {
      Object head = pending.peek();
      if (head instanceof Part other) {
        frame.other(other);
        pendingOthers--;
        pending.poll();
        continue;
      }
      Piece piece = (Piece) head;
      long limit = piece.segment.inputSamplesBefore(end, detectorRate);
      long pieceEnd = piece.startSample + (piece.endByte - piece.offset) / Pcm.BYTES_PER_SAMPLE;
      if (limit >= pieceEnd) {
        frame.audio(piece.source, piece.offset, piece.endByte);
        pending.poll();
        continue;
      }
      if (limit > piece.startSample) {
        int bytes = (int) (limit - piece.startSample) * Pcm.BYTES_PER_SAMPLE;
        frame.audio(piece.source, piece.offset, piece.offset + bytes);
        piece.offset += bytes;
        piece.startSample = limit;
      }
      break;
    }
    return frame.build();
  }

  /**
   * The sample rate of an audio part that the VAD can analyse.
   *
   * @throws IllegalArgumentException saying what is wrong and what to do
   */
  static int checkedRate(Part audio) {
    String mime = audio.mimeType();
    if (!MimeTypes.isStreamingAudio(mime)) {
      String hint =
          MimeTypes.isWav(mime)
              ? "decode WAV parts to PCM first with Wav.toPcmPart"
              : "decode it to 16-bit PCM first";
      throw new IllegalArgumentException(
          "Vad analyses streaming 16-bit PCM (audio/pcm or audio/l16 with"
              + " rate=...), got '"
              + mime
              + "': "
              + hint);
    }
    OptionalInt rate = MimeTypes.sampleRate(mime);
    if (rate.isEmpty()) {
      throw new IllegalArgumentException(
          "audio part '"
              + mime
              + "' has no rate parameter; Vad needs the"
              + " sample rate to analyse it: send for example audio/pcm;rate=16000");
    }
    Optional<String> channels = MimeTypes.parameter(mime, "channels");
    if (channels.isPresent() && !channels.get().equals("1")) {
      throw new IllegalArgumentException(
          "Vad analyses mono audio, got '" + mime + "': mix it down to one" + " channel first");
    }
    if ((audio.byteSize() & 1) != 0) {
      throw new IllegalArgumentException(
          "audio part '"
              + mime
              + "' of "
              + audio.byteSize()
              + " bytes ends in half a sample: 16-bit PCM needs an even number of bytes");
    }
    return rate.getAsInt();
  }

  /** A run of input audio at one rate. */
  private static final class Segment {
    final int rate;

    /** The detector sample at which the segment starts. */
    final long detectorStart;

    /** The detector sample at which it ends, once the resampler has been flushed. */
    long detectorEnd = Long.MAX_VALUE;

    long inputSamples;

    Segment(int rate, long detectorStart) {
      this.rate = rate;
      this.detectorStart = detectorStart;
    }

    /** How many of the segment's input samples lie before detector sample {@code end}. */
    long inputSamplesBefore(long end, int detectorRate) {
      if (end >= detectorEnd) {
        return inputSamples;
      }
      if (end <= detectorStart) {
        return 0;
      }
      return Math.min(inputSamples, (end - detectorStart) * rate / detectorRate);
    }
  }

  /** The bytes of an input part not yet in a frame. */
  private static final class Piece {
    final Part source;
    final Segment segment;
    final int endByte;
    int offset;

    /** The index in its segment of the sample at {@link #offset}. */
    long startSample;

    Piece(Part source, Segment segment, long startSample) {
      this.source = source;
      this.segment = segment;
      this.endByte = source.byteSize();
      this.startSample = startSample;
    }
  }

  /** A ring of the last frames' voiced flags. */
  private static final class SpeechWindow {
    private final boolean[] flags;
    private int count;
    private int next;
    private int voiced;

    SpeechWindow(int size) {
      flags = new boolean[size];
    }

    int size() {
      return flags.length;
    }

    void push(boolean isVoiced) {
      if (count == flags.length && flags[next]) {
        voiced--;
      }
      flags[next] = isVoiced;
      next = (next + 1) % flags.length;
      count = Math.min(flags.length, count + 1);
      if (isVoiced) {
        voiced++;
      }
    }

    int voiced() {
      return voiced;
    }

    int unvoiced() {
      return count - voiced;
    }

    void clear() {
      count = 0;
      next = 0;
      voiced = 0;
    }
  }
}
