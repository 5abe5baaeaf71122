package dev.genaiprocessors.live.agents;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.core.PartMetadata;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.OutOfBandRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * An in-process live provider on virtual time, shaped like the two real ones: a user text is answered 100 ms
 * later, spoken for {@link #SPEECH}, then the turn ends; a text that starts with {@code CALL name} makes a
 * function call. As "openai" it answers out-of-band requests apart (their parts marked) and a function result
 * with a new response; as "gemini" it answers function responses by their scheduling. Each subscription is
 * one session, recorded in {@link #sessions}.
 */
final class FakeLive implements LiveProcessor {
  static final Duration SPEECH = Duration.ofSeconds(2);
  static final Duration LATENCY = Duration.ofMillis(100);

  final String provider;
  final Scheduler clock;
  final List<Session> sessions = new CopyOnWriteArrayList<>();

  FakeLive(String provider, Scheduler clock) {
    this.provider = provider;
    this.clock = clock;
  }

  /** One conversation with the fake. */
  final class Session {
    final List<Part> received = new CopyOnWriteArrayList<>();
    final Sinks.Many<Part> out = Sinks.many().unicast().onBackpressureBuffer();
    final AtomicInteger calls = new AtomicInteger();
    Disposable answer = reactor.core.Disposables.disposed();

    void onInput(Part p) {
      received.add(p);
      OutOfBandRequest oob = OutOfBandRequest.of(p).orElse(null);
      if (oob != null) {
        String said =
            oob.input().orElse(List.of()).stream().map(Part::text).reduce("", String::concat);
        answer(List.of(oob.mark(Part.text("(report) " + said).withRole("model"))), oob::mark);
      } else if (p.isInterrupted()) {
        cut();
      } else if (p.isFunctionResponse()) {
        var r = p.functionResponse();
        // OpenAI answers every function result with a new response; Gemini by the response's
        // scheduling.
        boolean speak =
            provider.equals("openai")
                || r.scheduling() != null
                    && r.scheduling() != dev.genaiprocessors.core.Scheduling.SILENT;
        if (provider.equals("gemini")
            && r.scheduling() == dev.genaiprocessors.core.Scheduling.INTERRUPT) {
          cut();
        }
        if (speak && !(provider.equals("gemini") && r.willContinue())) {
          answer(
              List.of(Part.text("(about " + r.name() + ") " + r.response()).withRole("model")),
              x -> x);
        }
      } else if (p.isText()
          && !p.text().isEmpty()
          && !Boolean.FALSE.equals(p.metadata(PartMetadata.TURN_COMPLETE))) {
        if (provider.equals("gemini")) {
          cut(); // a clientContent interrupts the generation
        }
        if (p.text().startsWith("CALL ")) {
          String name = p.text().substring(5).trim();
          emit(
              Part.functionCall(
                      "call-" + calls.incrementAndGet(),
                      name,
                      JsonNodeFactory.instance.objectNode().put("to", "bob"))
                  .withRole("model"));
          if (provider.equals("openai")) {
            emit(Part.generationComplete());
            emit(Part.endOfTurn().withRole("model"));
          }
        } else {
          answer(List.of(Part.text("answer to: " + p.text()).withRole("model")), x -> x);
        }
      }
    }

    void answer(List<Part> parts, java.util.function.UnaryOperator<Part> mark) {
      List<Part> end = new ArrayList<>();
      end.add(mark.apply(Part.generationComplete()));
      end.add(mark.apply(Part.endOfTurn().withRole("model")));
      answer.dispose();
      answer =
          Flux.concat(
                  Mono.delay(LATENCY, clock).thenMany(Flux.fromIterable(parts)),
                  Mono.delay(SPEECH, clock).thenMany(Flux.fromIterable(end)))
              .subscribe(this::emit);
    }

    void cut() {
      if (!answer.isDisposed()) {
        answer.dispose();
        emit(Part.interrupted());
        emit(Part.endOfTurn().withRole("model"));
      }
    }

    /** The user starts speaking over the assistant. */
    void bargeIn() {
      emit(Part.startOfSpeech().withRole("user"));
      cut();
    }

    synchronized void emit(Part p) {
      out.tryEmitNext(p);
    }

    List<String> texts() {
      return received.stream().filter(Part::isText).map(Part::text).toList();
    }
  }

  @Override
  public String provider() {
    return provider;
  }

  @Override
  public int inputSampleRate() {
    return 16_000;
  }

  @Override
  public int outputSampleRate() {
    return 24_000;
  }

  @Override
  public Flux<Part> apply(Flux<Part> input) {
    return Flux.defer(
        () -> {
          Session s = new Session();
          sessions.add(s);
          Disposable in = input.subscribe(s::onInput, e -> s.out.tryEmitError(e), () -> {});
          return s.out.asFlux().doFinally(sig -> in.dispose());
        });
  }
}
