package dev.genaiprocessors.core;

import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import reactor.core.publisher.Flux;

/**
 * The Reactive Streams TCK's publisher rules, run against publishers built on {@link OrderedFlatMap};
 * each subclass is one kind of step result (fast, slow, mixed) or one way of subscribing (unwrapped).
 * The TCK is written for TestNG: the TestNG engine runs the subclasses on the JUnit Platform beside
 * the Jupiter tests, so {@code verify} runs them and fails on a broken rule.
 *
 * <p>The publishers are lazy: {@link #inputs} makes each input when it is requested, so the rules that
 * ask for {@code Integer.MAX_VALUE} elements or for a demand of {@code Long.MAX_VALUE} run too. The
 * TCK's subscribers are plain Reactive Streams subscribers, so {@code Flux.subscribe} wraps them in
 * Reactor's {@code StrictSubscriber}, as it does for any user's: that wrapper is what turns a
 * {@code request(0)} into the {@code IllegalArgumentException} of rule 3.9 ({@link
 * OrderedFlatMapUnwrappedTckTest} subscribes without it).
 */
abstract class OrderedFlatMapTck extends PublisherVerification<Part> {

  /** How long the TCK waits for a signal it expects; generous, since the build machine is shared. */
  private static final long TIMEOUT_MILLIS = 2_000;

  /** How long the TCK watches to see that no signal comes (spent on every such check). */
  private static final long NO_SIGNALS_TIMEOUT_MILLIS = 100;

  /**
   * How long the TCK sleeps before it looks for an expected error (rule 3.9 only). 1.0.4 looks once:
   * its loop's arithmetic gives up after the first look, so this is the whole wait. Enough here, as
   * Reactor's {@code StrictSubscriber} signals that error synchronously inside {@code request}; the
   * default (all of {@link #TIMEOUT_MILLIS}) would add 2 s to each of those three rules.
   */
  private static final long POLL_TIMEOUT_MILLIS = 20;

  /** How long after a cancel the subscriber must be unreachable from the publisher (rule 3.13). */
  private static final long GC_TIMEOUT_MILLIS = 500;

  OrderedFlatMapTck() {
    super(
        new TestEnvironment(TIMEOUT_MILLIS, NO_SIGNALS_TIMEOUT_MILLIS, POLL_TIMEOUT_MILLIS),
        GC_TIMEOUT_MILLIS);
  }

  /**
   * Inputs whose results add up to exactly {@code outputs} parts, made one at a time as they are
   * requested. Each is a text part {@code "first:count"}, asking for the outputs numbered
   * {@code first} to {@code first + count - 1}: every third input asks for none, and, with
   * {@code pairs}, every fourth of the others for two. With {@code statuses}, every fifth input is a
   * status part instead (a reserved part, which a pipeline passes on ahead of the content and which
   * counts as one output).
   */
  static Flux<Part> inputs(long outputs, boolean pairs, boolean statuses) {
    return Flux.generate(
        () -> new long[2],
        (state, sink) -> {
          long next = state[0];
          long index = state[1]++;
          if (next >= outputs) {
            sink.complete();
          } else if (statuses && index % 5 == 4) {
            sink.next(Part.status(Long.toString(next)));
            state[0] = next + 1;
          } else if (index % 3 == 2) {
            sink.next(Part.text(next + ":0"));
          } else if (pairs && index % 4 == 0 && next + 1 < outputs) {
            sink.next(Part.text(next + ":2"));
            state[0] = next + 2;
          } else {
            sink.next(Part.text(next + ":1"));
            state[0] = next + 1;
          }
          return state;
        });
  }

  /** The number of the first output an input asks for. */
  static long first(Part input) {
    String text = input.text();
    return Long.parseLong(text.substring(0, text.indexOf(':')));
  }

  /** How many outputs an input asks for: 0, 1 or 2. */
  static int count(Part input) {
    String text = input.text();
    return Integer.parseInt(text.substring(text.indexOf(':') + 1));
  }

  /** Output number {@code n}. */
  static Part output(long n) {
    return Part.text(Long.toString(n));
  }
}
