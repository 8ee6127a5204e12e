/** Google Gemini's generateContent API (plain and streamed over SSE), with function calling and usage. */
package dev.miu.core.provider.gemini;
