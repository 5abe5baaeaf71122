package dev.genaiprocessors.testkit.gemini;

/**
 * A close frame a client sent to the {@link GeminiLiveEmulator} ({@link GeminiLiveEmulator#takeClose}).
 *
 * @param connection which connection, counting from 1
 * @param code the close code, for example 1000
 * @param reason the close reason, often empty
 */
public record ConnectionClose(int connection, int code, String reason) {}
