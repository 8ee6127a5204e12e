/** OpenAI Chat Completions, which also serves every OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio, OpenRouter, Groq). */
package dev.miu.core.provider.openai;
