/**
 * Function calling: tools declared from plain Java ({@link dev.genaiprocessors.core.functions.Tool}) and
 * the loop that runs the tools a model calls and feeds their results back
 * ({@link dev.genaiprocessors.core.functions.FunctionCalling}).
 */
@NullMarked
package dev.genaiprocessors.core.functions;

import org.jspecify.annotations.NullMarked;
