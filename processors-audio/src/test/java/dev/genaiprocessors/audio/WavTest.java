package dev.genaiprocessors.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genaiprocessors.core.Part;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WavTest {

  private static final byte[] SAMPLES =
      Signals.pcm(
          (short) 0, (short) 1000, (short) -1000, Short.MAX_VALUE, Short.MIN_VALUE, (short) 42);

  @Test
  void encodeWritesTheCanonicalHeaderAndDecodeReadsItBack() {
    byte[] wav = Wav.encode(SAMPLES, 24000);
    ByteBuffer header = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(wav).hasSize(44 + SAMPLES.length);
    assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    assertThat(header.getInt(4)).isEqualTo(36 + SAMPLES.length);
    assertThat(new String(wav, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("WAVEfmt ");
    assertThat(header.getShort(20)).isEqualTo((short) 1); // PCM
    assertThat(header.getShort(22)).isEqualTo((short) 1); // mono
    assertThat(header.getInt(24)).isEqualTo(24000);
    assertThat(header.getInt(28)).isEqualTo(48000); // byte rate
    assertThat(header.getShort(34)).isEqualTo((short) 16);
    assertThat(header.getInt(40)).isEqualTo(SAMPLES.length);

    WavAudio audio = Wav.decode(wav);
    assertThat(audio.sampleRate()).isEqualTo(24000);
    assertThat(audio.pcm16le()).isEqualTo(SAMPLES);
    assertThat(audio).isEqualTo(new WavAudio(24000, SAMPLES.clone()));
    assertThat(audio.duration()).isEqualTo(Duration.ofNanos(250_000));
    assertThat(audio.toPart().mimeType()).isEqualTo("audio/pcm;rate=24000");
  }

  @Test
  void unknownChunksAreSkippedWithThePadByteOfOddSizes() {
    byte[] wav =
        WavFiles.riff()
            .chunk("LIST", "INFOISFT\u0005\0\0\0Lavf\0".getBytes(StandardCharsets.US_ASCII))
            .fmt(1, 1, 16000, 16)
            .chunk("odd ", new byte[] {1, 2, 3}) // 3 bytes and a pad byte
            .chunk("fact", new byte[] {6, 0, 0, 0})
            .chunk("data", SAMPLES)
            .chunk("LIST", new byte[] {9, 9}) // after the data: ignored
            .build();
    assertThat(Wav.decode(wav)).isEqualTo(new WavAudio(16000, SAMPLES));
  }

  @Test
  void extensibleFormatWithThePcmSubformatIsAccepted() {
    byte[] wav = WavFiles.riff().extensible(1, 1, 48000, 16).chunk("data", SAMPLES).build();
    assertThat(Wav.decode(wav)).isEqualTo(new WavAudio(48000, SAMPLES));
  }

  @Test
  void stereoIsMixedDownToTheAverageOfBothChannels() {
    byte[] frames =
        Signals.pcm(
            (short) 1000,
            (short) 3000,
            (short) -1,
            (short) 0,
            Short.MAX_VALUE,
            Short.MAX_VALUE,
            Short.MIN_VALUE,
            Short.MIN_VALUE,
            (short) 5,
            (short) -5);
    byte[] wav = WavFiles.riff().fmt(1, 2, 44100, 16).chunk("data", frames).build();
    WavAudio audio = Wav.decode(wav);
    assertThat(audio.sampleRate()).isEqualTo(44100);
    assertThat(Signals.shorts(audio.pcm16le()))
        .containsExactly(2000, -1, Short.MAX_VALUE, Short.MIN_VALUE, 0);
  }

  @Test
  void extensibleStereoIsMixedDownToo() {
    byte[] frames = Signals.pcm((short) 10, (short) 20, (short) 30, (short) 40);
    byte[] wav = WavFiles.riff().extensible(1, 2, 16000, 16).chunk("data", frames).build();
    assertThat(Signals.shorts(Wav.decode(wav).pcm16le())).containsExactly(15, 35);
  }

  @Test
  void dataLongerThanTheFileIsReadToTheEndInWholeFrames() {
    byte[] frames =
        Arrays.copyOf(Signals.pcm((short) 1, (short) 2, (short) 3, (short) 4, (short) 5), 9);
    byte[] stereo =
        WavFiles.riff().fmt(1, 2, 8000, 16).chunkDeclaring("data", 1000, frames).build();
    assertThat(Signals.shorts(Wav.decode(stereo).pcm16le()))
        .containsExactly(1, 3); // (1+2)/2, (3+4)/2
    byte[] streamed =
        WavFiles.riff().fmt(1, 1, 8000, 16).chunkDeclaring("data", 0xFFFF_FFFFL, SAMPLES).build();
    assertThat(Wav.decode(streamed).pcm16le()).isEqualTo(SAMPLES);
  }

  @Test
  void eightBitSamplesAreRejectedSayingWhatIsSupported() {
    byte[] wav = WavFiles.riff().fmt(1, 1, 8000, 8).chunk("data", new byte[8]).build();
    assertThatThrownBy(() -> Wav.decode(wav))
        .isInstanceOf(UnsupportedAudioException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8-bit PCM")
        .hasMessageContaining("supported: RIFF/WAVE with 16-bit integer PCM");
  }

  @Test
  void twentyFourBitAndFloatSamplesAreRejected() {
    byte[] pcm24 = WavFiles.riff().fmt(1, 1, 48000, 24).chunk("data", new byte[6]).build();
    assertThatThrownBy(() -> Wav.decode(pcm24)).hasMessageContaining("24-bit PCM");
    byte[] float32 = WavFiles.riff().fmt(3, 1, 48000, 32).chunk("data", new byte[8]).build();
    assertThatThrownBy(() -> Wav.decode(float32))
        .isInstanceOf(UnsupportedAudioException.class)
        .hasMessageContaining("32-bit IEEE float")
        .hasMessageContaining("supported:");
    byte[] extensibleFloat =
        WavFiles.riff().extensible(3, 2, 48000, 32).chunk("data", new byte[8]).build();
    assertThatThrownBy(() -> Wav.decode(extensibleFloat)).hasMessageContaining("32-bit IEEE float");
    byte[] muLaw = WavFiles.riff().fmt(7, 1, 8000, 8).chunk("data", new byte[8]).build();
    assertThatThrownBy(() -> Wav.decode(muLaw)).hasMessageContaining("mu-law");
  }

  @Test
  void moreThanTwoChannelsAreRejected() {
    byte[] wav = WavFiles.riff().fmt(1, 6, 48000, 16).chunk("data", new byte[12]).build();
    assertThatThrownBy(() -> Wav.decode(wav)).hasMessageContaining("6 channels");
  }

  @Test
  void bytesThatAreNotRiffWaveAreRejected() {
    byte[] garbage = "this is not a wav file at all".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> Wav.decode(garbage))
        .isInstanceOf(UnsupportedAudioException.class)
        .hasMessageContaining("not a WAV file: it starts with 'this'")
        .hasMessageContaining("supported:");
    byte[] avi = WavFiles.riff().form("AVI ").build();
    assertThatThrownBy(() -> Wav.decode(avi)).hasMessageContaining("form 'AVI '");
    byte[] rifx = WavFiles.riff().magic("RIFX").fmt(1, 1, 8000, 16).build();
    assertThatThrownBy(() -> Wav.decode(rifx)).hasMessageContaining("big-endian");
  }

  @Test
  void truncatedHeadersAreRejected() {
    byte[] full = Wav.encode(SAMPLES, 16000);
    assertThatThrownBy(() -> Wav.decode(Arrays.copyOf(full, 7)))
        .isInstanceOf(UnsupportedAudioException.class)
        .hasMessageContaining("truncated WAV header: 7 bytes of the RIFF header");
    assertThatThrownBy(() -> Wav.decode(Arrays.copyOf(full, 30)))
        .hasMessageContaining("truncated WAV header")
        .hasMessageContaining("'fmt ' chunk");
    assertThatThrownBy(() -> Wav.decode(Arrays.copyOf(full, 36)))
        .hasMessageContaining("ends before the 'data' chunk");
    assertThatThrownBy(() -> Wav.decode(Arrays.copyOf(full, 40)))
        .hasMessageContaining("truncated WAV header: a chunk header of 4 bytes");
    assertThatThrownBy(() -> Wav.decode(new byte[0])).hasMessageContaining("truncated");
  }

  @Test
  void aDataChunkBeforeTheFormatIsRejected() {
    byte[] wav = WavFiles.riff().chunk("data", SAMPLES).fmt(1, 1, 8000, 16).build();
    assertThatThrownBy(() -> Wav.decode(wav))
        .hasMessageContaining("'data' chunk before any 'fmt ' chunk");
  }

  @Test
  void aWavPartBecomesAPcmPartWithItsAttributes() {
    Part wav =
        Part.bytes(Wav.encode(SAMPLES, 22050), "audio/x-wav")
            .withRole("user")
            .withSubstream("upload")
            .withMetadata("name", "hello.wav");
    Part pcm = Wav.toPcmPart(wav);
    assertThat(pcm.mimeType()).isEqualTo("audio/pcm;rate=22050");
    assertThat(pcm.bytes()).isEqualTo(SAMPLES);
    assertThat(pcm.role()).isEqualTo("user");
    assertThat(pcm.substream()).isEqualTo("upload");
    assertThat(pcm.metadata()).containsEntry("name", "hello.wav");

    assertThatThrownBy(() -> Wav.toPcmPart(Part.audio(SAMPLES, 16000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected an audio/wav part");
    assertThatThrownBy(() -> Wav.toPcmPart(Part.bytes(new byte[10], "audio/wav")))
        .isInstanceOf(UnsupportedAudioException.class);
  }

  @Test
  void encodeRejectsHalfSamplesAndBadRates() {
    assertThatThrownBy(() -> Wav.encode(new byte[3], 16000))
        .hasMessageContaining("even number of bytes");
    assertThatThrownBy(() -> Wav.encode(new byte[2], 0))
        .hasMessageContaining("sample rate must be positive");
  }
}
