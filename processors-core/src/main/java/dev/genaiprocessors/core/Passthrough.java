package dev.genaiprocessors.core;

/** Whether {@link PartProcessor#parallel(Passthrough, PartProcessor...)} also emits the input part. */
public enum Passthrough {
  /** Never: only the processors' outputs. A part no processor matches is dropped. */
  NEVER,
  /** When no processor gave any output for the part, emit the part itself. */
  FALLBACK,
  /** Always emit the part itself, after the processors' outputs. */
  ALWAYS
}
