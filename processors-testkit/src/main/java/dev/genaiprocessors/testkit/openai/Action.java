package dev.genaiprocessors.testkit.openai;

/**
 * One thing the emulated server does when a {@link Step} fires: a {@link Reply} (server events) or a
 * {@link Fault} (an adverse action on the connection). Actions are plain immutable data, played in order.
 */
public sealed interface Action permits Reply, Fault {}
