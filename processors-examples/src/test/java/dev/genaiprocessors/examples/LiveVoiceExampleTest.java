package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.audio.WavAudio;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.testkit.gemini.ClientMessage;
import dev.genaiprocessors.testkit.gemini.ConnectionClose;
import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The example's emulator path end to end, whatever GEMINI_API_KEY holds. */
class LiveVoiceExampleTest {
  static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void aSpokenQuestionIsAnsweredWithTranscriptsAndSpeechAt24kHz() throws Exception {
    byte[] asked =
        LiveVoiceExample.speech(LiveVoiceExample.QUESTION, 16000)
            .map(Part::bytes)
            .reduce(
                new ByteArrayOutputStream(),
                (all, bytes) -> {
                  all.writeBytes(bytes);
                  return all;
                })
            .block(WAIT)
            .toByteArray();
    assertThat(asked.length)
        .as("FreeTTS speech of the question")
        .isGreaterThan(16000 * 2); // over a second

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Path out = dir.resolve("replies/live-reply.wav");
    try (GeminiLiveEmulator emulator = LiveVoiceExample.startEmulator(LiveVoiceExample.QUESTION)) {
      LiveVoiceExample.Result result =
          LiveVoiceExample.converse(
              LiveVoiceExample.emulatorProcessor(emulator),
              LiveVoiceExample.speech(LiveVoiceExample.QUESTION, 16000),
              out,
              false,
              new PrintStream(printed, true, StandardCharsets.UTF_8));

      assertThat(result.inputTranscript()).isEqualTo(LiveVoiceExample.QUESTION);
      assertThat(result.outputTranscript()).isEqualTo(LiveVoiceExample.EMULATOR_REPLY);
      assertThat(printed.toString(StandardCharsets.UTF_8))
          .startsWith(
              "you: "
                  + LiveVoiceExample.QUESTION
                  + System.lineSeparator()
                  + "model: "
                  + LiveVoiceExample.EMULATOR_REPLY
                  + System.lineSeparator()
                  + "Real-time report of live-voice\nStage gemini\n  Performance\n")
          .contains("    answers: 1, function calls 0\n")
          .containsPattern(
              "    time to first audio: p95 \\d+ ms, mean \\d+ ms, max \\d+ ms \\(1\\)\n")
          .contains("Real-time capable: ");
      assertThat(result.replyRate()).isEqualTo(24000);
      assertThat(result.replyDuration()).isGreaterThan(Duration.ofSeconds(2));
      WavAudio wav = Wav.decode(Files.readAllBytes(out));
      assertThat(wav.sampleRate()).isEqualTo(24000);
      assertThat(wav.pcm16le()).isEqualTo(result.replyPcm());

      ClientMessage setup = emulator.takeMessage(WAIT);
      assertThat(setup).isNotNull();
      assertThat(setup.type()).isEqualTo("setup");
      JsonNode body = setup.body();
      assertThat(body.path("model").asString())
          .isEqualTo("models/" + LiveVoiceExample.DEFAULT_MODEL);
      assertThat(body.has("inputAudioTranscription")).isTrue();
      assertThat(body.has("outputAudioTranscription")).isTrue();

      ByteArrayOutputStream sent = new ByteArrayOutputStream();
      for (; ; ) {
        ClientMessage m = emulator.takeMessage("realtimeInput", WAIT);
        assertThat(m).as("realtime input up to the audio stream end").isNotNull();
        if (m.body().path("audioStreamEnd").asBoolean(false)) {
          break;
        }
        assertThat(m.body().path("audio").path("mimeType").asString())
            .isEqualTo("audio/pcm;rate=16000");
        sent.writeBytes(m.audio());
      }
      assertThat(sent.toByteArray()).isEqualTo(asked);
      assertThat(emulator.takeClose(WAIT)).isEqualTo(new ConnectionClose(1, 1000, ""));
    }
  }
}
