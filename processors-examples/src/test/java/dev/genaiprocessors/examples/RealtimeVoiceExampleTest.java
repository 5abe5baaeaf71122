package dev.genaiprocessors.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.testkit.gemini.GeminiLiveEmulator;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same voice pipeline on both providers' emulators: an answer in audio, with transcripts. */
class RealtimeVoiceExampleTest {
  @TempDir Path dir;

  @Test
  void openAiRealtimeAnswersTheSpokenQuestionOnItsEmulator() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Path out = dir.resolve("openai.wav");
    byte[] reply;
    try (OpenAiRealtimeEmulator emulator =
        RealtimeVoiceExample.startOpenAiEmulator(LiveVoiceExample.QUESTION)) {
      reply =
          RealtimeVoiceExample.converse(
              RealtimeVoiceExample.openAiOn(emulator),
              LiveVoiceExample.speech(LiveVoiceExample.QUESTION, 16000),
              out,
              new PrintStream(printed, true, StandardCharsets.UTF_8));
    }
    assertThat(reply.length).isGreaterThan(24000 * 2); // over a second of speech
    assertThat(Files.size(out)).isGreaterThan(reply.length);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("model: ")
        .contains(RealtimeVoiceExample.EMULATOR_REPLY.split(" ")[0])
        .contains("you: ")
        .contains("Real-time report of realtime-voice\nStage openai\n")
        .contains("Stage playback\n")
        .containsPattern(
            "    time to first audio: p95 \\d+ ms, mean \\d+ ms, max \\d+ ms \\(1\\)\n")
        .contains("Real-time capable: ");
  }

  @Test
  void geminiLiveAnswersTheSamePipelineOnItsEmulator() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Path out = dir.resolve("gemini.wav");
    byte[] reply;
    try (GeminiLiveEmulator emulator = LiveVoiceExample.startEmulator(LiveVoiceExample.QUESTION)) {
      reply =
          RealtimeVoiceExample.converse(
              new RealtimeVoiceExample.Provider(
                  "gemini", LiveVoiceExample.emulatorProcessor(emulator), null),
              LiveVoiceExample.speech(LiveVoiceExample.QUESTION, 16000),
              out,
              new PrintStream(printed, true, StandardCharsets.UTF_8));
    }
    assertThat(reply.length).isGreaterThan(24000 * 2);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("you: " + LiveVoiceExample.QUESTION)
        .contains("Real-time report of realtime-voice\nStage gemini\n")
        .contains("Stage playback\n")
        .contains("Real-time capable: ");
  }
}
