package dev.genaiprocessors.audio;

import dev.genaiprocessors.core.MimeTypes;
import dev.genaiprocessors.core.Part;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reads and writes WAV files of 16-bit PCM, in memory and as streams of audio parts.
 *
 * <p><b>What is read.</b> RIFF/WAVE files with 16-bit integer PCM samples (format 1, or
 * {@code WAVE_FORMAT_EXTENSIBLE} with the PCM subformat), mono or stereo, at any rate. Chunks other
 * than {@code fmt } and {@code data} (such as {@code LIST}) are skipped, with the pad byte that follows
 * an odd-sized chunk. <b>Stereo is mixed down to mono</b>, each sample the average of left and right
 * (rounded toward negative infinity), since mono is the working format. A {@code data} chunk that
 * declares more bytes than the file holds (a recording cut short, or the {@code 0xFFFFFFFF} placeholder
 * of a streaming writer) is read to the end of the file, in whole frames. Everything else (8-bit,
 * 24-bit or float samples, compressed formats, more than two channels, a truncated header, bytes that
 * are not RIFF/WAVE) is an {@link UnsupportedAudioException} that says what was found.
 *
 * <p><b>What is written.</b> The canonical 44-byte header (format 1, mono, 16-bit) and the samples.
 *
 * <p><b>Blocking.</b> {@link #read} and {@link #write} do their file I/O on
 * {@link Schedulers#boundedElastic()}, never on the caller's thread, so they are safe to use from
 * non-blocking threads. {@link #decode}, {@link #encode} and {@link #toPcmPart} work in memory.
 */
public final class Wav {

  /** Bytes in the header {@link #encode} writes. */
  static final int HEADER_SIZE = 44;

  /** The most sample bytes a WAV file can hold: the RIFF size field is 32 bits. */
  static final long MAX_DATA_BYTES = (0xFFFF_FFFFL - (HEADER_SIZE - 8)) & ~1L;

  private Wav() {}

  /**
   * Decodes a WAV file held in memory.
   *
   * @param wav the whole file
   * @return the samples, mixed down to mono, and their rate
   * @throws UnsupportedAudioException when the bytes are not a WAV file of a supported format
   */
  public static WavAudio decode(byte[] wav) {
    Objects.requireNonNull(wav, "wav");
    return decode(ByteBuffer.wrap(wav));
  }

  /**
   * Decodes an {@code audio/wav} part into an {@code audio/pcm;rate=<rate>} part (mono), keeping its role,
   * substream and metadata. The WAV bytes are read in place; only the samples are copied.
   *
   * @param wav an {@code audio/wav} part
   * @return a new mono PCM part with the same attributes
   * @throws IllegalArgumentException when the part is not a WAV part ({@link MimeTypes#isWav})
   * @throws UnsupportedAudioException when its bytes are not a WAV file of a supported format
   */
  public static Part toPcmPart(Part wav) {
    Objects.requireNonNull(wav, "wav");
    if (!wav.isBytes() || !MimeTypes.isWav(wav.mimeType())) {
      throw new IllegalArgumentException(
          "expected an audio/wav part, got a " + wav.mimeType() + " part");
    }
    return Pcm.withAttributesOf(wav, decode(wav.byteBuffer()).toPart());
  }

  /**
   * Encodes mono PCM as a WAV file.
   *
   * @param pcm16le 16-bit little-endian mono samples (copied, not kept)
   * @param sampleRate samples per second
   * @return the 44-byte header followed by the samples
   * @throws IllegalArgumentException for an odd byte count, a rate that is not positive, or more samples
   *     than a WAV file holds
   */
  public static byte[] encode(byte[] pcm16le, int sampleRate) {
    Objects.requireNonNull(pcm16le, "pcm16le");
    return encode(pcm16le, 0, pcm16le.length, sampleRate);
  }

  /**
   * Reads a WAV file as a stream of {@code audio/pcm;rate=<rate>} parts of at most {@code chunk} each
   * (the last may be shorter), mixed down to mono.
   *
   * <p><b>Memory</b>: the file is read lazily, one chunk per requested part, so a file of any size is
   * read in the memory of one chunk. <b>Threads</b>: the file is opened, read and closed on
   * {@link Schedulers#boundedElastic()}; parts are emitted there. <b>Errors</b>: a missing or
   * unreadable file is the {@link IOException} of the file system; an unsupported format is an
   * {@link UnsupportedAudioException}; a chunk shorter than one sample at the file's rate is an
   * {@link IllegalArgumentException}; all are signalled when the flux is subscribed.
   * <b>Cancellation</b> closes the file. Each subscription reads the file afresh.
   *
   * @param file the WAV file
   * @param chunk the longest part; positive
   * @return the parts, read lazily; an error when the file cannot be read or is not a supported WAV file
   * @throws IllegalArgumentException at once when the chunk is not positive
   */
  public static Flux<Part> read(Path file, Duration chunk) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(chunk, "chunk");
    if (chunk.isNegative() || chunk.isZero()) {
      throw new IllegalArgumentException("chunk must be positive, was " + chunk);
    }
    return Flux.<Part, WavFileReader>generate(
            () -> WavFileReader.open(file, chunk),
            (reader, sink) -> {
              try {
                Part part = reader.next();
                if (part == null) {
                  sink.complete();
                } else {
                  sink.next(part);
                }
              } catch (IOException e) {
                sink.error(e);
              }
              return reader;
            },
            WavFileReader::close)
        .subscribeOn(Schedulers.boundedElastic())
        .cancelOn(Schedulers.boundedElastic());
  }

  /**
   * Writes audio parts to a WAV file, mono 16-bit at the parts' rate, and fixes the header's sizes
   * when the stream ends.
   *
   * <p><b>Parts</b>: streaming audio parts ({@code audio/pcm} or {@code audio/l16} with a rate) are
   * written in order; they must all have one rate. Parts that are not audio (text, status, control
   * parts) are skipped. A stream with no audio gives a valid, empty WAV file at 16000 Hz.
   * <b>Threads and buffering</b>: the file is created (or truncated), written and closed on
   * {@link Schedulers#boundedElastic()}; at most 32 parts wait between the source and the file.
   * <b>Errors</b>: audio parts of another rate or of a non-streaming audio type (the message names
   * them), more than 4 GiB of samples, and I/O errors end the write with that error.
   * <b>Error and cancellation</b>: the header is still fixed for the samples written so far and the
   * file closed, so it remains a valid WAV file of what arrived.
   *
   * @param audio the parts to write; subscribed once per subscription to the result
   * @param file the file to create or overwrite
   * @return completes when the file is written and closed
   */
  public static Mono<Void> write(Flux<Part> audio, Path file) {
    Objects.requireNonNull(audio, "audio");
    Objects.requireNonNull(file, "file");
    return Mono.usingWhen(
        Mono.fromCallable(() -> WavFileWriter.open(file)).subscribeOn(Schedulers.boundedElastic()),
        writer ->
            audio
                .publishOn(Schedulers.boundedElastic(), WavFileWriter.PREFETCH)
                .<Void>handle(
                    (part, sink) -> {
                      try {
                        writer.append(part);
                      } catch (IOException e) {
                        sink.error(e);
                      }
                    })
                .then(),
        Wav::finish,
        (writer, error) -> finish(writer),
        Wav::finish);
  }

  private static Mono<Void> finish(WavFileWriter writer) {
    return Mono.<Void>fromCallable(
            () -> {
              writer.finish();
              return null;
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  // ---------------------------------------------------------------- package-private helpers

  /** {@link #decode(byte[])} from a buffer's position to its limit, without copying the file. */
  static WavAudio decode(ByteBuffer wav) {
    ByteBuffer in = wav.slice().order(ByteOrder.LITTLE_ENDIAN);
    WavHeader header;
    try {
      header =
          WavHeader.read(
              new WavHeader.Source() {
                @Override
                public int read(ByteBuffer dst) {
                  if (!in.hasRemaining()) {
                    return -1;
                  }
                  int count = Math.min(dst.remaining(), in.remaining());
                  dst.put(in.slice().limit(count));
                  in.position(in.position() + count);
                  return count;
                }

                @Override
                public void skip(long count) {
                  in.position((int) Math.min(in.limit(), in.position() + count));
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: memory does not fail", e);
    }
    long available = in.remaining();
    long length =
        header.dataLength() == WavHeader.UNKNOWN_LENGTH
            ? available
            : Math.min(header.dataLength(), available);
    int frames = (int) (length / header.frameSize());
    return new WavAudio(header.sampleRate(), toMono(in, header.channels(), frames));
  }

  /**
   * Reads {@code frames} frames of 16-bit PCM from the buffer's position (advancing it) and returns them
   * as mono samples: copied for mono, the average of both channels for stereo.
   */
  static byte[] toMono(ByteBuffer frames, int channels, int frameCount) {
    byte[] mono = new byte[frameCount * Pcm.BYTES_PER_SAMPLE];
    if (channels == 1) {
      frames.get(mono);
      return mono;
    }
    ByteBuffer in = frames.order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < frameCount; i++) {
      int left = in.getShort();
      int right = in.getShort();
      Pcm.putSample(mono, i, (left + right) >> 1);
    }
    return mono;
  }

  /** A WAV file of {@code length} bytes of samples from {@code pcm16le[offset]}. */
  static byte[] encode(byte[] pcm16le, int offset, int length, int sampleRate) {
    Pcm.samples(length);
    if (length > Integer.MAX_VALUE - 8 - HEADER_SIZE) {
      throw new IllegalArgumentException(
          length + " bytes of samples are too many for one WAV array");
    }
    byte[] wav = new byte[HEADER_SIZE + length];
    header(length, sampleRate).get(wav, 0, HEADER_SIZE);
    System.arraycopy(pcm16le, offset, wav, HEADER_SIZE, length);
    return wav;
  }

  /** The 44-byte header of a mono 16-bit WAV file with {@code dataBytes} bytes of samples, positioned at 0. */
  static ByteBuffer header(long dataBytes, int sampleRate) {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive, was " + sampleRate);
    }
    if (dataBytes > MAX_DATA_BYTES) {
      throw new IllegalArgumentException(
          dataBytes
              + " bytes of samples do not fit in a WAV file (at most "
              + MAX_DATA_BYTES
              + ")");
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    header.put(ascii("RIFF")).putInt((int) (HEADER_SIZE - 8 + dataBytes)).put(ascii("WAVE"));
    header
        .put(ascii("fmt "))
        .putInt(16)
        .putShort((short) 1) // PCM
        .putShort((short) 1) // mono
        .putInt(sampleRate)
        .putInt(sampleRate * Pcm.BYTES_PER_SAMPLE) // byte rate
        .putShort((short) Pcm.BYTES_PER_SAMPLE) // block align
        .putShort((short) 16); // bits per sample
    header.put(ascii("data")).putInt((int) dataBytes);
    return header.flip();
  }

  private static byte[] ascii(String fourCc) {
    return fourCc.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
