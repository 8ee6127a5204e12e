/**
 * The studio's HTTP face: one {@link io.helidon.webserver.http.HttpService} per resource (health, agents, sessions,
 * chat, RAG, static files), the chat WebSocket, access control (bearer token, CORS, Origin checks), and JSON in and
 * out.
 */
package dev.miu.studio.http;
