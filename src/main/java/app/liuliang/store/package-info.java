/**
 * The embedded store: one SQLite file in WAL mode, its Flyway migrations and the plain-SQL
 * repositories. SQL here sticks to what PostgreSQL also runs ({@code ON CONFLICT}, no SQLite-only
 * functions), because a later issue scales out on PostgreSQL.
 */
package app.liuliang.store;
