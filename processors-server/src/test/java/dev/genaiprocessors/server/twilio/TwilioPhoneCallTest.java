package dev.genaiprocessors.server.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genaiprocessors.audio.Wav;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PlaybackListener;
import dev.genaiprocessors.core.Processor;
import dev.genaiprocessors.core.Substreams;
import dev.genaiprocessors.live.realtime.RealtimeConfig;
import dev.genaiprocessors.offline.realtime.LocalLiveProcessor;
import dev.genaiprocessors.offline.stt.SphinxRecognizer;
import dev.genaiprocessors.offline.tts.FreeTtsSynthesizer;
import dev.genaiprocessors.server.Authenticator;
import dev.genaiprocessors.server.VoiceServer;
import dev.genaiprocessors.testkit.twilio.TwilioCallRecord;
import dev.genaiprocessors.testkit.twilio.TwilioCaller;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * A whole phone call against the local voice pipeline (VAD, Sphinx4, a rule responder, FreeTTS and the
 * rate limiter), through the {@link VoiceServer} with the {@link TwilioCodec} on {@code /twilio}, with the
 * test kit's {@link TwilioCaller} as Twilio: the caller asks a question, hears the answer, and talks over
 * it; the server sends {@code clear}, and the marks tell the heard history what the caller heard.
 */
class TwilioPhoneCallTest {
  private static final Logger log = LoggerFactory.getLogger(TwilioPhoneCallTest.class);
  private static final List<String> PHRASES =
      List.of("What is the weather like today?", "Goodbye.", "Hello there!");
  private static final String LONG_ANSWER =
      "It is sunny and warm today, with a light breeze from the west. In the afternoon a few clouds"
          + " come in from the sea, and by the evening it will be cool enough for a jacket.";

  @Test
  void aCallerIsHeardAnsweredAndCanInterrupt(@TempDir Path dir) throws Exception {
    Path question = dir.resolve("question.wav");
    Path bargeIn = dir.resolve("goodbye.wav");
    Files.write(question, Wav.encode(speech("What is the weather like today?", 0.3, 1.2), 16000));
    Files.write(bargeIn, Wav.encode(speech("Goodbye.", 0.0, 1.2), 16000));

    List<Part> out = new CopyOnWriteArrayList<>();
    AtomicLong heardMillis = new AtomicLong();
    List<Part> dropped = new CopyOnWriteArrayList<>();
    PlaybackListener heard =
        new PlaybackListener() {
          @Override
          public void released(Part chunk, long playbackStartMillis, double durationMillis) {
            heardMillis.addAndGet(Math.round(durationMillis));
          }

          @Override
          public void dropped(List<Part> parts, long atMillis) {
            dropped.addAll(parts);
          }
        };
    RealtimeConfig config = RealtimeConfig.builder().build();
    // Made here: loading the grammar reads files, which the event loop that makes conversations
    // must not.
    SphinxRecognizer recognizer = SphinxRecognizer.grammar(PHRASES);
    try (VoiceServer server =
        VoiceServer.builder()
            .port(0)
            .page(false)
            .authenticator(Authenticator.allowAll())
            .endpoint("/twilio", TwilioCodec.factory(config.inputSampleRate()))
            .conversations(
                (connection, codec) -> {
                  ((TwilioCodec) codec).playback(heard);
                  Processor live = new LocalLiveProcessor(config, new Responder(), recognizer);
                  return input -> live.apply(input).doOnNext(out::add);
                })
            .build()
            .start()) {
      URI uri = server.webSocketUri("/twilio");
      TwilioCallRecord call =
          TwilioCaller.builder(uri)
              .say(question)
              .awaitAnswer(Duration.ofMillis(800), Duration.ofSeconds(60))
              .say(bargeIn)
              .pause(Duration.ofSeconds(5))
              .build()
              .call()
              .block(Duration.ofSeconds(120));
      log.info("call: {}; heard {} ms, dropped {} parts", call, heardMillis.get(), dropped.size());

      assertThat(call.protocolErrors()).isEmpty();
      // The caller's words, through μ-law at 8 kHz, reached the recognizer.
      assertThat(transcripts(out, Substreams.INPUT_TRANSCRIPTION))
          .anySatisfy(t -> assertThat(t.toLowerCase()).contains("weather"));
      // The answer was spoken to the caller.
      assertThat(transcripts(out, Substreams.OUTPUT_TRANSCRIPTION))
          .anySatisfy(t -> assertThat(t).contains("sunny"));
      assertThat(call.receivedMillis()).isGreaterThan(800);
      assertThat(call.playedMillis()).isGreaterThanOrEqualTo(800);
      // The barge-in: the pipeline interrupted its answer and the server sent clear, while the
      // answer
      // (several seconds of speech) was still playing.
      assertThat(out).anySatisfy(p -> assertThat(p.isInterrupted()).isTrue());
      assertThat(call.clears()).isNotEmpty();
      assertThat(call.clears().get(0).playedBeforeMillis()).isBetween(800L, 8000L);
      // Every mark came back (played, or cleared); the heard history counts only the played ones,
      // so
      // it never says more was heard than the caller played.
      assertThat(call.marksEchoed()).containsExactlyElementsOf(call.marksReceived());
      assertThat(heardMillis.get()).isPositive().isLessThanOrEqualTo(call.playedMillis() + 20);
    }
  }

  private static List<String> transcripts(List<Part> parts, String substream) {
    return parts.stream()
        .filter(p -> p.isText() && p.substream().equals(substream))
        .map(Part::text)
        .toList();
  }

  private static byte[] speech(String text, double before, double after) {
    ByteArrayOutputStream pcm = new ByteArrayOutputStream();
    pcm.writeBytes(new byte[(int) (before * 16000) * 2]);
    try (FreeTtsSynthesizer voice = FreeTtsSynthesizer.kevin16()) {
      voice.synthesize(
          text,
          (bytes, rate) -> {
            pcm.writeBytes(bytes);
            return true;
          });
    }
    pcm.writeBytes(new byte[(int) (after * 16000) * 2]);
    return pcm.toByteArray();
  }

  /** Answers the weather question at length, and anything else briefly. */
  private static final class Responder implements Processor {
    @Override
    public Flux<Part> apply(Flux<Part> prompt) {
      return prompt
          .filter(p -> p.isText() && "user".equals(p.role()) && !p.text().isBlank())
          .last(Part.text(""))
          .map(
              last ->
                  Part.text(
                          last.text().toLowerCase().contains("weather")
                              ? LONG_ANSWER
                              : "Goodbye, and thank you for calling.")
                      .withRole("model"))
          .flux();
    }
  }
}
