package app.liuliang.store;

/** Which database holds the store: SQLite (one node, the embedded default) or PostgreSQL (one or more nodes). */
public enum StoreKind {
  SQLITE("sqlite"),
  POSTGRESQL("postgresql");

  private final String id;

  StoreKind(String id) {
    this.id = id;
  }

  /** The name {@code /ready} and the logs show, and the Flyway folder of this vendor's migrations. */
  public String id() {
    return id;
  }

  String migrations() {
    return "classpath:db/migration/" + id;
  }
}
