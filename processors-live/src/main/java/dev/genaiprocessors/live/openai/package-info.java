/**
 * OpenAI-compatible Chat Completions, turn-based: {@link dev.genaiprocessors.live.openai.OpenAiChatModel}
 * streams {@code POST /v1/chat/completions} answers as parts, from OpenAI or a local server (Ollama,
 * llama.cpp, vLLM), and {@link dev.genaiprocessors.live.openai.OpenAiApiEmulator} is a scriptable loopback
 * server that speaks the same wire format.
 */
@NullMarked
package dev.genaiprocessors.live.openai;

import org.jspecify.annotations.NullMarked;
