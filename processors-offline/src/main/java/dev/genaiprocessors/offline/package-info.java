/**
 * Engines that run with no network and no API key, so that every pipeline of the project can run end
 * to end on a fresh machine with real components: speech to text ({@link
 * dev.genaiprocessors.offline.stt}), text to speech ({@link dev.genaiprocessors.offline.tts}) and a
 * stand-in for a language model ({@link dev.genaiprocessors.offline.responder}). The same speech
 * interfaces also have cloud engines on Gemini, for when a key is set.
 *
 * <p>Every model ships inside a Maven artifact (Sphinx4's US-English models, FreeTTS's voices, the
 * all-MiniLM-L6-v2 embedding model), so nothing is downloaded at run time; their licences and notices
 * are in this module's jar under {@code META-INF/} ({@code NOTICE} and {@code licenses/}). Quality is
 * "demo grade": real, deterministic, good enough to exercise a pipeline and to recognise a known set of
 * phrases exactly, not a replacement for a cloud model.
 *
 * <p>Parts these engines make say what made them in {@link
 * dev.genaiprocessors.offline.OfflineMetadata#MODEL} metadata, and carry a {@link
 * dev.genaiprocessors.offline.OfflineMetadata#QUALITY} caveat where one is due.
 */
@NullMarked
package dev.genaiprocessors.offline;

import org.jspecify.annotations.NullMarked;
