package dev.genaiprocessors.audio;

import java.lang.management.ManagementFactory;

/** Heap bytes allocated by the current thread, from the JVM's own count (HotSpot's ThreadMXBean). */
final class Allocation {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Allocation() {}

  /** Bytes allocated by this thread so far. */
  static long now() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  /** Runs the action and returns the bytes it allocated on this thread. */
  static long of(ThrowingRunnable action) throws Exception {
    long before = now();
    action.run();
    return now() - before;
  }

  /** An action that may throw. */
  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
