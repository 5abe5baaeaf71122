package dev.genaiprocessors.live.agents;

import dev.genaiprocessors.core.Part;
import dev.genaiprocessors.live.LiveProcessor;
import dev.genaiprocessors.live.OutOfBandRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/** One conversation through {@link BackgroundAgents} around a {@link FakeLive}, on virtual time. */
final class AgentHarness implements AutoCloseable {
  final Sinks.Many<Part> user = Sinks.many().unicast().onBackpressureBuffer();
  final List<Part> out = new CopyOnWriteArrayList<>();
  final AtomicReference<Throwable> error = new AtomicReference<>();
  final VirtualTimeScheduler clock;
  final FakeLive.Session session;
  final Disposable subscription;

  AgentHarness(BackgroundAgents agents, FakeLive fake, VirtualTimeScheduler clock) {
    this.clock = clock;
    LiveProcessor live = agents.around(fake);
    int before = fake.sessions.size();
    this.subscription = live.apply(user.asFlux()).subscribe(out::add, error::set);
    this.session = fake.sessions.get(before);
  }

  void say(String text) {
    user.tryEmitNext(Part.text(text).withRole("user"));
  }

  void advance(Duration d) {
    clock.advanceTimeBy(d);
  }

  /** What the provider was given to report results: out-of-band requests (OpenAI) or result turns. */
  List<String> deliveries() {
    return session.received.stream()
        .map(
            p ->
                OutOfBandRequest.of(p)
                    .map(
                        r ->
                            r.input().orElse(List.of()).stream()
                                .map(Part::text)
                                .reduce("", String::concat))
                    .orElse(
                        p.isText() && p.text().startsWith("Background task") && !isContext(p)
                            ? p.text()
                            : null))
        .filter(t -> t != null)
        .toList();
  }

  /** Results added to the context only. */
  List<String> contextOnly() {
    return session.received.stream().filter(AgentHarness::isContext).map(Part::text).toList();
  }

  static boolean isContext(Part p) {
    return p.isText()
        && Boolean.FALSE.equals(p.metadata(dev.genaiprocessors.core.PartMetadata.TURN_COMPLETE));
  }

  List<String> notices(String state) {
    return out.stream()
        .filter(p -> state.equals(p.metadata(BackgroundAgents.TASK_STATE)))
        .map(Part::text)
        .toList();
  }

  List<String> modelText() {
    return out.stream()
        .filter(
            p ->
                p.isText()
                    && !p.text().isEmpty()
                    && "model".equals(p.role())
                    && !OutOfBandRequest.isOutOfBand(p))
        .map(Part::text)
        .toList();
  }

  @Override
  public void close() {
    subscription.dispose();
  }
}
