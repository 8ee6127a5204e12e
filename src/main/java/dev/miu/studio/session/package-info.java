/**
 * Persistent chat sessions: the {@link dev.miu.studio.session.Session} record, the
 * {@link dev.miu.studio.session.SessionRepository} interface, its default store, one durable JSON file per session,
 * and the paged, filtered list both stores answer ({@link dev.miu.studio.session.SessionQuery}). The PostgreSQL
 * store is in {@code dev.miu.studio.session.postgres}.
 */
package dev.miu.studio.session;
