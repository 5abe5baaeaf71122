package dev.genaiprocessors.core.testing;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Lets BlockHound accept the short critical sections of Netty 4.2's default buffer allocator, which Netty's
 * own integration ({@code io.netty.util.internal.Hidden$NettyBlockHoundIntegration}, 4.2.17) does not list
 * yet: {@code AdaptivePoolingAllocator$Magazine.free} and {@code $MagazineGroup.free} take a
 * {@code StampedLock} write lock to retire a magazine. Uncontended, it never parks; on a loaded machine a
 * contended one parks for the length of a few field writes, and BlockHound reports the park as a blocking
 * call on an event-loop thread (seen once in {@code HttpAttackTest} while another build ran). The lock
 * guards memory bookkeeping only, never I/O or a wait for another task, so it is not the kind of blocking
 * BlockHound is there to catch; Armeria allows the same sections for the same reason.
 *
 * <p>Registered through {@code META-INF/services} in processors-core's test jar, which the tests of every
 * module that runs Netty (live, offline, examples) depend on.
 */
public final class NettyAllocatorBlockHoundIntegration implements BlockHoundIntegration {

  /** Called by the service loader. */
  public NettyAllocatorBlockHoundIntegration() {}

  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
    builder.allowBlockingCallsInside(
        "io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "free");
  }
}
