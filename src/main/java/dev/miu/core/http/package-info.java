/**
 * A small blocking HTTP/1.1 client with a keep-alive pool, made for provider calls from virtual threads: one socket
 * per call in flight, no selector thread or futures in between, a per-read timeout that also bounds silence inside
 * a stream, and an interrupt that closes the socket (cancellation).
 */
package dev.miu.core.http;
