package app.liuliang.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Where a Quartz scheduler keeps its triggers. On SQLite (one node) in RAM, rebuilt from the store at
 * start. On PostgreSQL in Quartz's clustered JDBC job store ({@code JobStoreTX} with
 * {@code PostgreSQLDelegate}, tables from Flyway's V111): every node runs a scheduler of the same name,
 * one of them fires each trigger, and when a node stops checking in, another recovers its jobs.
 */
public final class QuartzJobStore {

  /** How often a clustered scheduler checks in; a node silent for about this long is taken over. */
  static final int CHECKIN_MILLIS = 5_000;

  private QuartzJobStore() {
  }

  /**
   * The job-store properties for a scheduler named {@code name}: the same name on every node of one store
   * (that is what makes them one cluster), each node its own instance id.
   */
  public static Properties properties(Database database, String name, String nodeId) {
    Properties props = new Properties();
    props.setProperty("org.quartz.scheduler.instanceName", name);
    props.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    if (!database.isPostgres()) {
      props.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
      return props;
    }
    String source = "liuliang-" + name + "-" + nodeId + "-" + System.identityHashCode(database);
    DBConnectionManager.getInstance().addConnectionProvider(source, new Pool(database));
    props.setProperty("org.quartz.scheduler.instanceId", nodeId);
    props.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    props.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
    props.setProperty("org.quartz.jobStore.dataSource", source);
    props.setProperty("org.quartz.jobStore.tablePrefix", "qrtz_");
    props.setProperty("org.quartz.jobStore.isClustered", "true");
    props.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(CHECKIN_MILLIS));
    // Job data as strings, never serialised Java objects: any node (any version) can read them.
    props.setProperty("org.quartz.jobStore.useProperties", "true");
    return props;
  }

  /** True when schedulers on this store share their triggers with the other nodes. */
  public static boolean clustered(Database database) {
    return database.isPostgres();
  }

  /** The store's pool, lent to Quartz; Quartz commits its own transactions on the connections it takes. */
  private record Pool(Database database) implements ConnectionProvider {

    @Override
    public Connection getConnection() throws SQLException {
      return database.dataSource().getConnection();
    }

    @Override
    public void shutdown() {
      // The store closes its pool itself.
    }

    @Override
    public void initialize() {
    }
  }
}
