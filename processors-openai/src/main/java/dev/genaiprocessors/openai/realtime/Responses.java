package dev.genaiprocessors.openai.realtime;

import dev.genaiprocessors.live.OutOfBandRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The responses of one session, and when the next {@code response.create} of the default conversation may
 * go: never while one is in flight (the server would answer {@code conversation_already_has_active_response}),
 * and never before every function call of the last response is answered. Not thread-safe: the session owns it.
 */
final class Responses {
  /** Most responses remembered (the active ones and those with unanswered calls); beyond, the oldest done one is forgotten. */
  static final int MAX_REMEMBERED = 64;

  /** One response, as the server announced it. */
  static final class Response {
    final String id;
    final boolean outOfBand;

    /** The request of an out-of-band response, whose mark its parts carry; null for the default conversation. */
    final @Nullable OutOfBandRequest request;

    final Set<String> openCalls = new LinkedHashSet<>();
    boolean done;
    boolean interrupted;

    /** The item of the audio being played, and how many bytes of it arrived. */
    @Nullable String audioItemId;

    long audioBytes;

    Response(String id, @Nullable OutOfBandRequest request) {
      this.id = id;
      this.outOfBand = request != null;
      this.request = request;
    }
  }

  private final Map<String, Response> byId = new LinkedHashMap<>();

  /** Out-of-band requests sent whose {@code response.created} has not arrived, by request id. */
  private final Map<String, OutOfBandRequest> outOfBandSent = new LinkedHashMap<>();

  /** The response of the default conversation in flight, if any. */
  private @Nullable Response active;

  /** A default {@code response.create} was sent and its {@code response.created} has not arrived. */
  private boolean createInFlight;

  /** A default response is wanted once nothing is in flight and no call is open. */
  private boolean createWanted;

  /** Asks for a response of the default conversation; {@link #takeCreate()} says when to send it. */
  void wantCreate() {
    createWanted = true;
  }

  /**
   * True once, when the wanted response can be created now: nothing in flight, no call unanswered. The
   * caller sends {@code response.create} at once.
   */
  boolean takeCreate() {
    if (!createWanted || createInFlight || active != null || openCallCount() > 0) {
      return false;
    }
    createWanted = false;
    createInFlight = true;
    return true;
  }

  /**
   * The server refused a default {@code response.create} because a response was in flight (a race with server
   * VAD): ask again once it is done.
   */
  void createRefused() {
    createInFlight = false;
    createWanted = true;
  }

  /** An out-of-band {@code response.create} was sent; its {@code response.created} finds it by id. */
  void outOfBandSent(OutOfBandRequest request) {
    outOfBandSent.put(request.id(), request);
    var it = outOfBandSent.values().iterator();
    while (outOfBandSent.size() > MAX_REMEMBERED && it.hasNext()) {
      it.next();
      it.remove(); // policy: the oldest unanswered request is forgotten; its answer is marked
      // from metadata
    }
  }

  /**
   * The out-of-band request whose {@code response.create} the server refused: the client event an {@code error}
   * event names ({@code error.event_id}), when it is the {@code response.create} of a request sent and not
   * answered yet. The request is forgotten (its answer is over).
   *
   * @param clientEventId the {@code event_id} the error echoes, or null
   * @return the request, or null when the error is not about one
   */
  @Nullable OutOfBandRequest outOfBandRefused(@Nullable String clientEventId) {
    if (clientEventId == null || !clientEventId.startsWith(ClientEvents.OUT_OF_BAND_EVENT_PREFIX)) {
      return null;
    }
    return outOfBandSent.remove(
        clientEventId.substring(ClientEvents.OUT_OF_BAND_EVENT_PREFIX.length()));
  }

  /**
   * {@code response.created}.
   *
   * @param id the response's id
   * @param outOfBand whether it is outside the default conversation
   * @param metadata the response's metadata as the server echoed it, or null
   */
  Response created(String id, boolean outOfBand, @Nullable Map<String, String> metadata) {
    OutOfBandRequest request = null;
    if (outOfBand) {
      String requestId = metadata == null ? null : metadata.get(ClientEvents.OUT_OF_BAND_ID);
      request = requestId == null ? null : outOfBandSent.remove(requestId);
      if (request == null) {
        // Not sent by this session (or forgotten): marked with what the server echoed.
        OutOfBandRequest.Builder b =
            OutOfBandRequest.builder().id(requestId != null ? requestId : id);
        if (metadata != null) {
          int kept = 0;
          for (Map.Entry<String, String> m : metadata.entrySet()) {
            if (!m.getKey().equals(ClientEvents.OUT_OF_BAND_ID)
                && kept++ < OutOfBandRequest.MAX_METADATA) {
              b.metadata(m.getKey(), m.getValue());
            }
          }
        }
        request = b.build();
      }
    }
    Response r = new Response(id, request);
    if (!outOfBand) {
      createInFlight = false;
      active = r;
    }
    byId.put(id, r);
    forgetOld();
    return r;
  }

  /** The response of an event, or null when it is unknown (forgotten, or before its {@code response.created}). */
  @Nullable Response get(@Nullable String id) {
    return id == null ? null : byId.get(id);
  }

  /** {@code response.done}; returns the response, or null when unknown. */
  @Nullable Response done(String id) {
    Response r = byId.get(id);
    if (r == null) {
      return null;
    }
    r.done = true;
    if (active == r) {
      active = null;
    }
    if (r.openCalls.isEmpty()) {
      byId.remove(id);
    }
    return r;
  }

  /** A function call of a response, to be answered before the next response. */
  void callMade(Response r, String callId) {
    r.openCalls.add(callId);
  }

  /**
   * A function call was answered; when it was the last open call of a finished response, of the default
   * conversation, a new response is wanted.
   *
   * @return whether the call was known
   */
  boolean callAnswered(String callId) {
    for (Response r : byId.values()) {
      if (r.openCalls.remove(callId)) {
        if (r.openCalls.isEmpty()) {
          if (!r.outOfBand) {
            createWanted = true;
          }
          if (r.done) {
            byId.remove(r.id);
          }
        }
        return true;
      }
    }
    return false;
  }

  /** The default response in flight, or null. */
  @Nullable Response active() {
    return active;
  }

  /**
   * Nothing in flight, wanted or waiting for a call's answer: no out-of-band request waits for its
   * {@code response.created} either, and every response created is done.
   */
  boolean idle() {
    return active == null
        && !createInFlight
        && !createWanted
        && outOfBandSent.isEmpty()
        && openCallCount() == 0
        && byId.values().stream().allMatch(r -> r.done);
  }

  /**
   * The out-of-band requests whose answers have not ended: those whose response was created and is not done,
   * then those sent (or queued) whose {@code response.created} has not arrived, each in the order it came.
   *
   * @return the requests, a copy
   */
  List<OutOfBandRequest> outOfBandInFlight() {
    List<OutOfBandRequest> inFlight = new ArrayList<>();
    for (Response r : byId.values()) {
      if (r.request != null && !r.done) {
        inFlight.add(r.request);
      }
    }
    inFlight.addAll(outOfBandSent.values());
    return inFlight;
  }

  /**
   * Forgets everything of a connection that ended (a new session knows none of it), but a default response
   * asked for and not created yet (its {@code response.create} sent or queued, its {@code response.created}
   * not come) is wanted again, so that a continuation asks the new session for it: the turn it answers is
   * never lost. A response already created is not wanted again: the session ends its turn as cut.
   */
  void reset() {
    byId.clear();
    outOfBandSent.clear();
    active = null;
    if (createInFlight) {
      createInFlight = false;
      createWanted = true;
    }
  }

  private int openCallCount() {
    int n = 0;
    for (Response r : byId.values()) {
      n += r.openCalls.size();
    }
    return n;
  }

  private void forgetOld() {
    var it = byId.values().iterator();
    while (byId.size() > MAX_REMEMBERED && it.hasNext()) {
      Response r = it.next();
      if (r.done || r != active) {
        it.remove(); // policy: the oldest response goes first; its open calls are then answered
        // without a new response
      }
    }
  }
}
