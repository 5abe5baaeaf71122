package dev.genaiprocessors.core.testing;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Lets BlockHound accept the Reactive Streams TCK's own subscribers (the {@code *TckTest} classes of
 * processors-core): they record each signal in an {@code ArrayBlockingQueue} that the test thread
 * polls, and {@code add} takes that queue's lock, which parks for a moment when the test thread holds
 * it. A publisher under test that emits on a parallel thread then trips BlockHound inside the TCK's
 * bookkeeping, not inside the publisher. Only those recording methods are allowed; everything the
 * publisher does on a non-blocking thread before and after them is still checked.
 *
 * <p>Registered through {@code META-INF/services} in processors-core's test jar.
 */
public final class ReactiveStreamsTckBlockHoundIntegration implements BlockHoundIntegration {

  /** Called by the service loader. */
  public ReactiveStreamsTckBlockHoundIntegration() {}

  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.allowBlockingCallsInside("org.reactivestreams.tck.TestEnvironment$Receptacle", "add");
    builder.allowBlockingCallsInside(
        "org.reactivestreams.tck.TestEnvironment$Receptacle", "complete");
    builder.allowBlockingCallsInside("org.reactivestreams.tck.TestEnvironment$Promise", "complete");
  }
}
