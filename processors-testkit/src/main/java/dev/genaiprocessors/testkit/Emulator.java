package dev.genaiprocessors.testkit;

import java.net.URI;

/**
 * What every emulator of the test kit has in common: it is built with a {@code builder()}, bound to a
 * free port of 127.0.0.1 by {@link #start()}, addressed by {@link #uri()} with the key
 * {@link #apiKey()}, scripted with {@code enqueue(...)} (what is left is {@link #unusedScript()}), and
 * closed by {@link #close()}.
 *
 * <pre>{@code
 * try (GeminiApiEmulator server = GeminiApiEmulator.builder().build().start()) {
 *   server.enqueue(GeminiApiEmulator.text("Hello"));
 *   GeminiModel model = GeminiModel.builder("gemini-2.5-flash")
 *       .baseUrl(server.uri().toString()).apiKey(server.apiKey()).build();
 *   ...
 *   server.assertScriptUsedUp();
 * }
 * }</pre>
 *
 * <p>{@link EmulatorExtension} starts one per test, closes it after, and fails a passing test whose
 * script was not used up. Implementations are thread-safe.
 */
public interface Emulator extends Scripted, AutoCloseable {

  /**
   * Binds 127.0.0.1 on a free port; calling it again does nothing. Blocks up to a few seconds.
   *
   * @return this emulator
   */
  Emulator start();

  /**
   * The base URI a client is pointed at: {@code http://127.0.0.1:<port>...} for an HTTP API, the socket
   * URI {@code ws://127.0.0.1:<port>/...} for a live one.
   *
   * @return the URI
   * @throws IllegalStateException before {@link #start()}
   */
  URI uri();

  /**
   * A key this emulator accepts; it refuses others as the real server does.
   *
   * @return the key
   */
  String apiKey();

  /** Closes every connection and frees the port; calling it again does nothing. */
  @Override
  void close();
}
