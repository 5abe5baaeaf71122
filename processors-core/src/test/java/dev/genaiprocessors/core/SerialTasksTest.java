package dev.genaiprocessors.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;

class SerialTasksTest {

  @AfterEach
  void resetHooks() {
    Hooks.resetOnErrorDropped();
  }

  @Test
  void anIdleTaskRunsOnTheCallersThreadBeforeRunReturns() {
    SerialTasks tasks = new SerialTasks();
    List<Thread> ranOn = new ArrayList<>();
    tasks.run(() -> ranOn.add(Thread.currentThread()));
    assertThat(ranOn).containsExactly(Thread.currentThread());
  }

  @Test
  void aTaskGivenFromInsideATaskRunsAfterItOnTheSameThread() {
    SerialTasks tasks = new SerialTasks();
    List<String> order = new ArrayList<>();
    tasks.run(
        () -> {
          order.add("outer start");
          tasks.run(() -> order.add("inner"));
          order.add("outer end");
        });
    assertThat(order).containsExactly("outer start", "outer end", "inner");
  }

  @Test
  void tasksFromManyThreadsNeverOverlapAndNoneIsLost() throws Exception {
    SerialTasks tasks = new SerialTasks();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    int[] count = {0}; // touched only inside tasks: the class's guarantee makes this safe
    int threads = 4;
    int each = 20_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < each; i++) {
                  tasks.run(
                      () -> {
                        if (running.incrementAndGet() != 1) {
                          overlaps.incrementAndGet();
                        }
                        count[0]++;
                        running.decrementAndGet();
                      });
                }
              });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join(TimeUnit.SECONDS.toMillis(30));
    }
    // every worker's run() has returned, so the thread that drained last has too: all tasks ran
    assertThat(overlaps).hasValue(0);
    assertThat(count[0]).isEqualTo(threads * each);
  }

  @Test
  void aTaskThatThrowsGoesToTheDroppedHookAndTheNextStillRuns() {
    List<Throwable> dropped = new CopyOnWriteArrayList<>();
    Hooks.onErrorDropped(dropped::add);
    SerialTasks tasks = new SerialTasks();
    List<String> ran = new ArrayList<>();
    tasks.run(
        () -> {
          tasks.run(() -> ran.add("after"));
          throw new IllegalStateException("boom");
        });
    tasks.run(() -> ran.add("later"));
    assertThat(dropped).singleElement().extracting(Throwable::getMessage).isEqualTo("boom");
    assertThat(ran).containsExactly("after", "later");
  }

  @Test
  void tasksAreDroppedOnceSkipWhenAnswersTrueEvenThoseAlreadyWaiting() {
    AtomicBoolean stopped = new AtomicBoolean();
    SerialTasks tasks = new SerialTasks(stopped::get);
    List<String> ran = new ArrayList<>();
    tasks.run(
        () -> {
          ran.add("first");
          tasks.run(() -> ran.add("waiting"));
          stopped.set(true);
        });
    tasks.run(() -> ran.add("given after"));
    assertThat(ran).containsExactly("first");
  }
}
