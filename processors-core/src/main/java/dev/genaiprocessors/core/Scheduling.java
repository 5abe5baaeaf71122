package dev.genaiprocessors.core;

/**
 * When a model should take a function response that arrives while it is busy, as the Gemini API
 * names it.
 */
public enum Scheduling {
  /** Add the response to the context without prompting the model. */
  SILENT,
  /** Add the response and prompt the model once it has finished what it is doing. */
  WHEN_IDLE,
  /** Interrupt the model and prompt it with the response at once. */
  INTERRUPT
}
