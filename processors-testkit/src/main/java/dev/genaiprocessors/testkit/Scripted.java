package dev.genaiprocessors.testkit;

import java.util.List;

/**
 * Something that plays a script: an {@link Emulator} or a {@link ScriptedModel}. A test that scripts
 * answers it never asked for is usually wrong, so each can say what it has not played.
 */
public interface Scripted {

  /**
   * What was scripted and not played yet, one entry per scripted answer or turn, in order; empty when
   * the script is used up. Answers computed by a dispatcher or fallback are not script.
   *
   * @return descriptions of the unused script, never null
   */
  List<String> unusedScript();

  /**
   * Checks that every scripted answer was played.
   *
   * @throws AssertionError naming the class and listing what was left, when something was
   */
  default void assertScriptUsedUp() {
    List<String> left = unusedScript();
    if (!left.isEmpty()) {
      throw new AssertionError(
          getClass().getSimpleName()
              + " script was not used up: "
              + left.size()
              + " scripted "
              + (left.size() == 1 ? "entry" : "entries")
              + " never played: "
              + String.join("; ", left));
    }
  }
}
