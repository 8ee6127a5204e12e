/**
 * Persistent chat sessions: the {@link dev.miu.studio.session.Session} record, the
 * {@link dev.miu.studio.session.SessionRepository} interface, and its default, one durable JSON file per session.
 */
package dev.miu.studio.session;
