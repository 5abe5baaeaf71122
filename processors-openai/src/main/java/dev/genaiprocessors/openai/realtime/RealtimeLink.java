package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.client.internal.SecretRedactor;
import dev.genaiprocessors.client.internal.WebSocketFrameLimit;
import dev.genaiprocessors.client.internal.WebSocketLink;
import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.error.ModelException;
import dev.genaiprocessors.core.error.ModelException.Kind;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

/**
 * Opens the WebSocket connections of a session, each a {@link WebSocketLink} (frames aggregated up to the
 * frame limit and copied out of their buffers at the edge, shared with Gemini Live). Inbound frames are read
 * with the output's demand (a slow subscriber stops the socket reads); outbound frames are written within
 * the socket's demand.
 */
final class RealtimeLink {
  private final RealtimeSettings s;
  private final HttpClient client;
  private final SecretRedactor redactor;

  RealtimeLink(RealtimeSettings settings, String key, SecretRedactor redactor) {
    this.s = settings;
    this.redactor = redactor;
    // The key goes in a header only, never in the URI.
    this.client = WebSocketLink.client("Authorization", "Bearer " + key);
  }

  /** The socket URI: the configured one with {@code model=} added to its query. */
  static URI withModel(URI uri, String model) {
    String query = "model=" + URLEncoder.encode(model, StandardCharsets.UTF_8);
    String s = uri.toString();
    return URI.create(s + (uri.getRawQuery() == null ? "?" : "&") + query);
  }

  /**
   * One connection: its parts, then how it ended (the ends of the out-of-band answers it leaves unanswered
   * when the session goes on or completes, or the session's error).
   */
  Flux<Part> connect(RealtimeSession session) {
    return WebSocketLink.connect(
            client,
            withModel(s.uri, s.model),
            s.maxFrameBytes,
            new WebSocketLink.Handler<Part>() {
              @Override
              public Publisher<Part> opened(WebSocketLink link) {
                session.opened(link);
                return Flux.empty();
              }

              @Override
              public void demand() {
                session.demand();
              }

              @Override
              public Publisher<Part> message(byte[] payload) {
                return Flux.fromIterable(session.onServerEvent(payload));
              }

              @Override
              public Publisher<Part> ended(
                  @Nullable WebSocketCloseStatus status, @Nullable Throwable transportError) {
                List<Part> last = new ArrayList<>(2);
                Throwable end = session.linkEnded(status, transportError, last);
                return end == null ? Flux.fromIterable(last) : Flux.<Part>error(end);
              }
            })
        .onErrorMap(e -> !(e instanceof ModelException), this::openFailed);
  }

  private ModelException openFailed(Throwable e) {
    int status = WebSocketLink.refusedStatus(e);
    if (status != 0) {
      return ModelException.builder(
              Kind.ofHttpStatus(status),
              RealtimeSettings.PROVIDER,
              "OpenAI Realtime refused the connection to "
                  + safeUri()
                  + " with HTTP "
                  + status
                  + (status == 401 ? "; check the API key" : ""))
          .statusCode(status)
          .cause(e)
          .build();
    }
    return ModelException.builder(
            Kind.CONNECTION,
            RealtimeSettings.PROVIDER,
            "could not connect to OpenAI Realtime at "
                + safeUri()
                + ": "
                + redactor.redact(String.valueOf(e.getMessage())))
        .cause(e)
        .build();
  }

  private String safeUri() {
    return redactor.redact(s.uri.toString());
  }

  /** The protocol error of a frame over the limit, when that is why the inbound side failed. */
  static @Nullable ModelException frameTooBig(@Nullable Throwable error, int limit) {
    if (!WebSocketFrameLimit.exceeded(error)) {
      return null;
    }
    return RealtimeErrors.protocol(
        1009,
        "the OpenAI Realtime server sent a frame of more than "
            + limit
            + " bytes, the limit set by maxFrameBytes("
            + limit
            + "); the session ends without retrying, since the server would send it again:"
            + " raise maxFrameBytes if such frames are expected");
  }
}
