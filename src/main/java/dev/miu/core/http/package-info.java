/**
 * miu's one HTTP client, for provider calls and MCP's Streamable HTTP alike: a small blocking HTTP/1.1 client with a
 * keep-alive pool, made for virtual threads (one socket per call in flight, no selector thread or futures in between,
 * a per-read timeout that also bounds silence inside a stream, an interrupt that closes the socket). It honours the
 * proxy variables of company networks ({@link dev.miu.core.http.ProxySettings}), refuses redirects, decodes gzip,
 * and reads server-sent events ({@link dev.miu.core.http.SseReader}).
 */
package dev.miu.core.http;
