/**
 * The OpenAI-compatible API under {@code /v1}: every agent is a model ({@code GET /v1/models}) and
 * {@code POST /v1/chat/completions} runs one, plain or streamed, in OpenAI's wire shapes, so chat front ends and the
 * official {@code openai} SDKs talk to miu agents unchanged. A thin adapter over
 * {@link dev.miu.studio.chat.ChatRunner}: stateless runs, or a stored session's turn when the request names one.
 */
package dev.miu.studio.openai;
