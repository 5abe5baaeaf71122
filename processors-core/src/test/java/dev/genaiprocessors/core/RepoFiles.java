package dev.genaiprocessors.core;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of the repository, or beside it, from wherever the test JVM runs. */
final class RepoFiles {
  private RepoFiles() {}

  /**
   * The first {@code relative} found in the working directory or one of its parents.
   *
   * @throws AssertionError naming every directory searched, when there is none
   */
  static Path find(String relative) {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        "cannot find "
            + relative
            + " in "
            + start
            + " or any directory above it; "
            + "the test needs it (shared/ lies beside the repository clone)");
  }
}
