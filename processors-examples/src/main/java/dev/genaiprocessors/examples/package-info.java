/** Runnable example pipelines, each a main class that runs offline by default. */
@NullMarked
package dev.genaiprocessors.examples;

import org.jspecify.annotations.NullMarked;
