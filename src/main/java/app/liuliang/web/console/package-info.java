/**
 * The operator console under {@code /admin}: sign-in and sessions ({@code ConsoleAccess},
 * {@code ConsoleSessions}), the pages ({@code ConsoleRoutes}, Pebble templates in
 * {@code resources/templates}), and the read-only SQL behind them ({@code *Queries}) over the tables
 * the features share. It only reads, except the outbox retry, which goes through {@code Outbox.retry}.
 */
package app.liuliang.web.console;
