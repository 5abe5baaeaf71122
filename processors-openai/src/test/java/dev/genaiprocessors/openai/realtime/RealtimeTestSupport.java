package dev.genaiprocessors.openai.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.LiveParts;
import dev.genaiprocessors.live.LiveParts.SessionEvent;
import dev.genaiprocessors.testkit.openai.ClientMessage;
import dev.genaiprocessors.testkit.openai.OpenAiRealtimeEmulator;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Shared pieces of the processor's tests against the emulator. */
final class RealtimeTestSupport {
  static final Duration WAIT = Duration.ofSeconds(10);

  private RealtimeTestSupport() {}

  static OpenAiRealtimeBuilder builder(OpenAiRealtimeEmulator server) {
    return OpenAiRealtimeProcessor.builder().uri(server.uri()).apiKey(server.apiKey());
  }

  /**
   * An emulator, started, whose sessions expire after 60 minutes of the given clock (the tests of what
   * an expiry does move that clock).
   */
  static OpenAiRealtimeEmulator expiringAfterAnHour(VirtualTimeScheduler clock) {
    return OpenAiRealtimeEmulator.builder()
        .sessionDuration(Duration.ofMinutes(60))
        .timers(clock)
        .build()
        .start();
  }

  /** Whether the part is that session event. */
  static boolean is(Part p, SessionEvent e) {
    return LiveParts.sessionEventOf(p).filter(e::equals).isPresent();
  }

  static ClientMessage take(OpenAiRealtimeEmulator server, String type)
      throws InterruptedException {
    ClientMessage m = server.takeMessage(type, WAIT);
    assertThat(m).as("a %s event", type).isNotNull();
    return m;
  }

  /** A part without the ids the server makes up, for comparisons. */
  static Part withoutIds(Part p) {
    return p.withoutMetadata(RealtimeParts.ITEM_ID).withoutMetadata(RealtimeParts.RESPONSE_ID);
  }

  /** The text of the model's text parts (not transcripts), joined. */
  static String modelText(List<Part> parts) {
    return parts.stream()
        .filter(
            p ->
                p.isText()
                    && p.substream().isEmpty()
                    && "model".equals(p.role())
                    && !p.text().isEmpty())
        .map(Part::text)
        .collect(Collectors.joining());
  }

  /** A short name of each part's kind, for asserting orders. */
  static String kind(Part p) {
    if (p.isAudio()) return "audio";
    if (p.isFunctionCall()) return "call";
    if (p.isStartOfSpeech()) return "speech_started";
    if (p.isEndOfSpeech()) return "speech_stopped";
    if (p.isInterrupted()) return "interrupted";
    if (p.isGenerationComplete()) return "generation_complete";
    if (p.isEndOfTurn()) return "end_of_turn";
    if (dev.genaiprocessors.live.LiveParts.isUsage(p)) return "usage";
    if (dev.genaiprocessors.live.LiveParts.sessionEventOf(p).isPresent()) {
      return "session_" + dev.genaiprocessors.live.LiveParts.sessionEventOf(p).get().wireName();
    }
    if (RealtimeParts.rateLimitsOf(p).isPresent()) return "rate_limits";
    if (p.isTranscription()) {
      return (p.substream().contains("input") ? "in_" : "out_")
          + (p.isFinalTranscription() ? "transcript" : "transcript_delta");
    }
    if (p.isText()) return "text";
    return p.mimeType();
  }
}
