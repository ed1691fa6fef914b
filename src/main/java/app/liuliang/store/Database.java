package app.liuliang.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;

/**
 * The store, migrated by Flyway at open from its vendor's folder ({@code db/migration/sqlite} or
 * {@code db/migration/postgresql}): one SQLite file in WAL mode (the embedded default, one node), or a
 * PostgreSQL database that several nodes share.
 *
 * <p>On SQLite there are two pools over the file.
 *
 * <p>{@link #durableJdbi()} commits with {@code synchronous=FULL}: the commit returns only after
 * the WAL is on disk. It is for the few writes whose durability others rely on: an inbox row before
 * its callback is acknowledged, an inbox outcome, an outbox claim before its send. {@link #jdbi()}
 * commits with {@code synchronous=NORMAL}: atomic and safe if the process dies, but the OS may still
 * hold it at a power cut. That is safe here because the WAL is one sequence: the next durable commit
 * (an event's inbox outcome follows its handler's writes) persists every earlier one, and an event
 * whose outcome was not durable is handled again. An fsync per feature write would hold SQLite's one
 * write lock for milliseconds each and cap the server at a few dozen patients a second.
 *
 * <p>{@code IMMEDIATE} transactions take the write lock up front, so writers queue on
 * {@code busy_timeout} instead of failing a lock upgrade.
 */
public final class Database implements AutoCloseable {

  /**
   * SQLite checkpoints the WAL inside the commit that grows it past this many pages, and that commit
   * waits for it; it is usually the inbox writer's, so callbacks wait too. 200 pages (800 KB) instead
   * of SQLite's 1,000 makes each checkpoint a fifth as long: measured with {@code scripts/bench.sh},
   * closed-loop p99 at 8 and 32 connections went from 6.7-7.7 and 10.4-11.4 ms to 2.8-3.2 and
   * 5.9-6.2 ms, at the same throughput.
   */
  static final int WAL_AUTOCHECKPOINT_PAGES = 200;

  /** Connections per PostgreSQL node: the inbox, outbox and feature workers, with room for the console. */
  static final int POSTGRES_POOL_SIZE = 16;

  private final StoreKind kind;
  private final HikariDataSource dataSource;
  private final HikariDataSource durableSource;
  private final Jdbi jdbi;
  private final Jdbi durableJdbi;

  private Database(StoreKind kind, HikariDataSource dataSource, HikariDataSource durableSource) {
    this.kind = kind;
    this.dataSource = dataSource;
    this.durableSource = durableSource;
    this.jdbi = Jdbi.create(dataSource);
    this.durableJdbi = dataSource == durableSource ? jdbi : Jdbi.create(durableSource);
  }

  /** Opens the store the location names and migrates it. */
  public static Database open(StoreLocation location) {
    return switch (location.kind()) {
      case SQLITE -> openUrl(location.url(), 4);
      case POSTGRESQL -> openPostgres(location);
    };
  }

  /**
   * PostgreSQL commits are durable by default ({@code synchronous_commit=on}) and many writers commit at
   * once, so one pool serves both {@link #jdbi()} and {@link #durableJdbi()}.
   */
  private static Database openPostgres(StoreLocation location) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("store");
    hikari.setJdbcUrl(location.url());
    hikari.setUsername(location.user());
    hikari.setPassword(location.password());
    hikari.setMaximumPoolSize(POSTGRES_POOL_SIZE);
    hikari.setMinimumIdle(2);
    hikari.setConnectionTimeout(30_000);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      // The driver's message may echo the URL; the password never reaches it, but keep the store's own words.
      throw new IllegalStateException("cannot connect to the store " + location + ": " + rootMessage(e), null);
    }
    try {
      migrate(pool, StoreKind.POSTGRESQL);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new Database(StoreKind.POSTGRESQL, pool, pool);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }

  private static void migrate(HikariDataSource pool, StoreKind kind) {
    Flyway.configure().dataSource(pool).locations(kind.migrations()).load().migrate();
  }

  /** Opens (creating if needed) {@code liuliang.db} in the data directory and migrates it. */
  public static Database open(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dataDir, e);
    }
    return openUrl(StoreLocation.sqlite(dataDir).url(), 4);
  }

  /** A private in-memory store, for tests and benchmarks that want a clean slate. */
  public static Database inMemory() {
    // A named shared-cache memory database lives as long as one pooled connection is open.
    String name = "mem" + System.nanoTime();
    return openUrl("jdbc:sqlite:file:" + name + "?mode=memory&cache=shared", 4);
  }

  private static Database openUrl(String url, int poolSize) {
    HikariDataSource durable = pool(url, "store-durable", SQLiteConfig.SynchronousMode.FULL, 2);
    migrate(durable, StoreKind.SQLITE);
    return new Database(StoreKind.SQLITE, pool(url, "store", SQLiteConfig.SynchronousMode.NORMAL, poolSize), durable);
  }

  private static HikariDataSource pool(String url, String name, SQLiteConfig.SynchronousMode sync, int size) {
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
    sqlite.setSynchronous(sync);
    sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    sqlite.setBusyTimeout(30_000);
    sqlite.enforceForeignKeys(true);

    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName(name);
    hikari.setDataSource(new PromptBusyHandler.DataSource(sqlite, url));
    hikari.setMaximumPoolSize(size);
    hikari.setMinimumIdle(1);
    hikari.setConnectionTimeout(30_000);
    hikari.setConnectionInitSql("PRAGMA wal_autocheckpoint=" + WAL_AUTOCHECKPOINT_PAGES);
    return new HikariDataSource(hikari);
  }

  /** Everyday reads and writes: atomic, crash-safe, not fsynced per commit (see the class comment). */
  public Jdbi jdbi() {
    return jdbi;
  }

  /** Commits that return only once on disk: inbox intake and outcomes, outbox claims. */
  public Jdbi durableJdbi() {
    return durableJdbi;
  }

  /** The everyday pool, for a library that takes JDBC connections itself (Quartz's job store). */
  javax.sql.DataSource dataSource() {
    return dataSource;
  }

  public StoreKind kind() {
    return kind;
  }

  public boolean isPostgres() {
    return kind == StoreKind.POSTGRESQL;
  }

  /**
   * Appended to a claim's inner {@code SELECT}: on PostgreSQL, rows another node is claiming are skipped,
   * not waited for. SQLite has one writer at a time, so its claims need no row locks.
   */
  public String skipLocked() {
    return isPostgres() ? " FOR UPDATE SKIP LOCKED" : "";
  }

  /** True when a write round-trips: what {@code /ready} asks of the store. */
  public boolean isWritable() {
    try {
      return jdbi.withHandle(h -> h.execute("UPDATE store_probe SET touched_at = ? WHERE id = 1",
          System.currentTimeMillis())) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    dataSource.close();
    if (durableSource != dataSource) {
      durableSource.close();
    }
  }
}
