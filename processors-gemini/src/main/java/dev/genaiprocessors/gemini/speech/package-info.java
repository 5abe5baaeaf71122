/**
 * Speech engines on Gemini: {@link dev.genaiprocessors.gemini.speech.GeminiSpeechRecognizer} (speech to text)
 * and {@link dev.genaiprocessors.gemini.speech.GeminiSpeechSynthesizer} (text to speech), the cloud
 * counterparts of the local engines in processors-offline, behind the same
 * {@link dev.genaiprocessors.audio.speech.SpeechRecognizer} and
 * {@link dev.genaiprocessors.audio.speech.SpeechSynthesizer} interfaces.
 */
@NullMarked
package dev.genaiprocessors.gemini.speech;

import org.jspecify.annotations.NullMarked;
