/**
 * The errors of model clients and live sessions, under one unchecked root,
 * {@link dev.genaiprocessors.core.error.ModelException}, with a subtype per thing a caller can do about it.
 */
@NullMarked
package dev.genaiprocessors.core.error;

import org.jspecify.annotations.NullMarked;
