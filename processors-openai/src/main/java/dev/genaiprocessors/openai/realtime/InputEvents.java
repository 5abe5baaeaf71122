package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.audio.G711;
import dev.genaiprocessors.client.internal.WireJson;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartContent;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.live.OutOfBandRequest;
import dev.genaiprocessors.openai.realtime.Responses.Response;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the parts of the input into client events, as the {@link dev.genaiprocessors.live.LiveProcessor}
 * table says. Runs under the session's lock; audio arrives already at the format's rate.
 */
final class InputEvents {
  private static final Logger log = LoggerFactory.getLogger(InputEvents.class);

  private final RealtimeSession session;
  private final RealtimeSettings s;
  private final Responses responses;
  private final Transcript transcript;
  private final ServerEvents server;

  /**
   * The server refuses to commit less than this much audio ({@code input_audio_buffer_commit_empty}); a
   * manual end of turn or of speech over less commits nothing.
   */
  static final long MIN_COMMIT_MILLIS = 100;

  /** Audio samples appended since the last commit or clear. */
  private long samplesSinceCommit;

  InputEvents(
      RealtimeSession session, Responses responses, Transcript transcript, ServerEvents server) {
    this.session = session;
    this.s = session.settings();
    this.responses = responses;
    this.transcript = transcript;
    this.server = server;
  }

  /**
   * Sends what a part calls for; parts for the output (an interruption) go into {@code out}.
   *
   * @throws IllegalArgumentException for a part the provider cannot take
   */
  void onPart(Part part, List<Part> out) {
    OutOfBandRequest outOfBand = OutOfBandRequest.of(part).orElse(null);
    if (part.isAudio()) {
      ByteBuffer pcm = part.byteBuffer(); // a view: PCM goes out with no copy
      ByteBuffer wire =
          switch (s.inputFormat) {
            case PCM_24KHZ -> pcm;
            case G711_ULAW -> ByteBuffer.wrap(G711.encodeUlaw(copy(pcm)));
            case G711_ALAW -> ByteBuffer.wrap(G711.encodeAlaw(copy(pcm)));
          };
      if (wire.hasRemaining()) {
        samplesSinceCommit += pcm.remaining() / 2;
        session.sendAudio(ClientEvents.append(wire));
      }
    } else if (part.isInterrupted()) {
      Response r = responses.active();
      if (r != null && !r.interrupted) {
        session.send(ClientEvents.cancel(r.id), false);
        server.interrupt(r, out);
      }
    } else if (part.isEndOfTurn()) {
      if (s.manualTurns() && committable()) {
        commit();
        responses.wantCreate();
      }
    } else if (part.isStartOfSpeech()) {
      if (s.manualTurns()) {
        session.send(ClientEvents.clear(), false);
        samplesSinceCommit = 0;
      }
    } else if (part.isEndOfSpeech()) {
      if (s.manualTurns() && committable()) {
        commit();
      }
    } else if (part.isFunctionResponse()) {
      PartContent.FunctionResponse r = part.functionResponse();
      if (r.id() == null) {
        throw new IllegalArgumentException(
            "a function result for OpenAI Realtime needs the call's id (call_id), for " + r.name());
      }
      session.send(ClientEvents.functionOutput(r.id(), WireJson.write(r.response())), false);
      if (!responses.callAnswered(r.id())) {
        log.debug("OpenAI Realtime: a result for call {} of no known response", r.id());
        responses.wantCreate();
      }
    } else if (outOfBand != null) {
      session.send(ClientEvents.createResponse(outOfBand), false);
      responses.outOfBandSent(outOfBand);
    } else if (part.isImage()) {
      session.send(ClientEvents.createUserItem(part), false);
    } else if (part.isText()
        && !part.text().isEmpty()
        && part.substream().isEmpty()
        && (part.role().isEmpty() || part.role().equalsIgnoreCase("user"))) {
      session.send(ClientEvents.createUserItem(part), false);
      transcript.add("user", part.text());
      // turn_complete=false: context only (a background result, say); no response is asked for.
      if (!Boolean.FALSE.equals(part.metadata(PartMetadata.TURN_COMPLETE))) {
        responses.wantCreate();
      }
    } else if (part.content() instanceof PartContent.Text && part.text().isEmpty()
        || part.isStatus()
        || part.isDebug()
        || part.mimeType().startsWith("application/json")) {
      log.trace("OpenAI Realtime: no equivalent for {}", part);
    } else {
      throw new IllegalArgumentException(
          "OpenAI Realtime cannot take a part of type "
              + part.mimeType()
              + ": send audio, text, images, function results, or the control parts of the LiveProcessor table");
    }
  }

  private static byte[] copy(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }

  private boolean committable() {
    if (samplesSinceCommit * 1000 >= MIN_COMMIT_MILLIS * s.inputFormat.sampleRate()) {
      return true;
    }
    if (samplesSinceCommit > 0) {
      log.debug(
          "OpenAI Realtime: less than {} ms of audio since the last commit; nothing committed",
          MIN_COMMIT_MILLIS);
    }
    return false;
  }

  private void commit() {
    session.send(ClientEvents.commit(), false);
    samplesSinceCommit = 0;
  }

  /** A new connection has an empty buffer. */
  void reset() {
    samplesSinceCommit = 0;
  }
}
