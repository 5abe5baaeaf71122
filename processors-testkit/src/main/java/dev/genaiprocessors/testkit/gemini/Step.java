package dev.genaiprocessors.testkit.gemini;

/**
 * One thing the emulated model does in a turn: a {@link Reply} (content, signals, waiting) or a
 * {@link Fault} (an adverse action on the connection). Steps are plain data; a {@link Script} lists
 * them per turn and {@link GeminiLiveEmulator} plays them in order.
 */
public sealed interface Step permits Reply, Fault {}
