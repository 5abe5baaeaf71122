/**
 * OpenAI-compatible Chat Completions, turn-based: {@link dev.genaiprocessors.openai.OpenAiChatModel}
 * streams {@code POST /v1/chat/completions} answers as parts, from OpenAI or a local server (Ollama,
 * llama.cpp, vLLM), and {@code OpenAiApiEmulator} (processors-testkit) is a scriptable loopback
 * server that speaks the same wire format.
 */
@NullMarked
package dev.genaiprocessors.openai;

import org.jspecify.annotations.NullMarked;
