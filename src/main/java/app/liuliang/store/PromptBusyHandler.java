package app.liuliang.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Waits for SQLite's write lock by looking again every fraction of a millisecond, for up to 30 s.
 *
 * <p>SQLite's own busy handler sleeps in growing steps up to 100 ms: with the inbox, the outbox and
 * the handlers all writing, the lock then sat idle while every waiter slept, and throughput
 * collapsed under load. Write transactions here are short, so a prompt retry wins.
 */
final class PromptBusyHandler extends BusyHandler {

  private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);

  private long startedAt;

  @Override
  protected int callback(int previousCalls) {
    long now = System.nanoTime();
    if (previousCalls == 0) {
      startedAt = now;
    }
    if (now - startedAt > GIVE_UP_NANOS) {
      return 0;
    }
    // 20 µs, doubling to at most 1 ms between looks.
    LockSupport.parkNanos(Math.min(1_000_000L, 20_000L << Math.min(previousCalls, 6)));
    return 1;
  }

  /** SQLite connections with this handler installed, one handler per connection. */
  static final class DataSource extends SQLiteDataSource {

    DataSource(SQLiteConfig config, String url) {
      super(config);
      setUrl(url);
    }

    @Override
    public Connection getConnection() throws SQLException {
      return install(super.getConnection());
    }

    @Override
    public org.sqlite.SQLiteConnection getConnection(String user, String password) throws SQLException {
      org.sqlite.SQLiteConnection connection = super.getConnection(user, password);
      install(connection);
      return connection;
    }

    private static Connection install(Connection connection) throws SQLException {
      BusyHandler.setHandler(connection, new PromptBusyHandler());
      return connection;
    }
  }
}
