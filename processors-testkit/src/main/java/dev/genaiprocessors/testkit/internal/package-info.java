/**
 * For internal use only: the scripted loopback HTTP server under the HTTP emulators. It can change or be
 * removed at any time.
 */
@NullMarked
package dev.genaiprocessors.testkit.internal;

import org.jspecify.annotations.NullMarked;
