/**
 * Model providers: one {@link dev.miu.core.provider.Provider} interface whose blocking call and streaming call
 * share one assembly path, the {@code provider:model} spec, HTTP retries as the official SDKs do them,
 * and the Anthropic and OpenAI wire protocols in their own packages.
 */
package dev.miu.core.provider;
