/**
 * The studio server ({@code miu serve}): a Helidon SE web server on virtual threads that lets browsers and HTTP
 * clients chat with agents over persistent sessions, through REST, SSE and WebSocket. {@link dev.miu.studio.StudioRouting}
 * mounts everything; {@link dev.miu.studio.StudioServer} starts it.
 */
package dev.miu.studio;
