package dev.genaiprocessors.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MimeTypesTest {

  @Test
  void sampleRateIsReadFromTheSpellingsProvidersUse() {
    assertThat(MimeTypes.sampleRate("audio/pcm;rate=16000")).hasValue(16000);
    assertThat(MimeTypes.sampleRate("audio/l16; rate= 24000")).hasValue(24000);
    assertThat(MimeTypes.sampleRate("audio/L16; channels=1; Rate=8000")).hasValue(8000);
    assertThat(MimeTypes.sampleRate("audio/pcm")).isEmpty();
    assertThatThrownBy(() -> MimeTypes.sampleRate("audio/pcm;rate=fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rate='fast'");
    assertThatThrownBy(() -> MimeTypes.sampleRate("audio/pcm;rate=0"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void predicatesIgnoreCaseAndParameters() {
    assertThat(MimeTypes.isAudio("Audio/PCM;rate=16000")).isTrue();
    assertThat(MimeTypes.isStreamingAudio("audio/L16; rate=24000")).isTrue();
    assertThat(MimeTypes.isStreamingAudio("audio/wav")).isFalse();
    assertThat(MimeTypes.isWav("audio/x-wav")).isTrue();
    assertThat(MimeTypes.isText("text/markdown; charset=utf-8")).isTrue();
    assertThat(MimeTypes.isJson("application/json; type=StartOfSpeech")).isTrue();
    assertThat(MimeTypes.isJson("application/ld+json")).isTrue();
    assertThat(MimeTypes.isImage("image/jpeg")).isTrue();
    assertThat(MimeTypes.isVideo("video/mp4")).isTrue();
    assertThat(MimeTypes.typeName("application/json; type=EndOfSpeech")).hasValue("EndOfSpeech");
    assertThat(MimeTypes.essence(" Audio/PCM ;rate=1")).isEqualTo("audio/pcm");
  }
}
