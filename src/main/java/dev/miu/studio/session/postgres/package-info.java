/**
 * The PostgreSQL session store ({@code sessions.store: postgres}): many studio servers share one database. Its
 * classes, and with them the JDBC driver, HikariCP and Flyway, are loaded only when that store is chosen.
 */
package dev.miu.studio.session.postgres;
