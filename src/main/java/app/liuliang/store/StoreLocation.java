package app.liuliang.store;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the store lives. {@code LIULIANG_DATABASE_URL} (a {@code jdbc:postgresql:} URL) with
 * {@code LIULIANG_DATABASE_USER} / {@code LIULIANG_DATABASE_PASSWORD} picks PostgreSQL; unset, the store is
 * {@code liuliang.db} in the data folder, as it always was. The names are a contract; keep them as written.
 * {@link #toString()} never shows the password.
 */
public record StoreLocation(StoreKind kind, String url, String user, String password) {

  public static final String URL = "LIULIANG_DATABASE_URL";
  public static final String USER = "LIULIANG_DATABASE_USER";
  public static final String PASSWORD = "LIULIANG_DATABASE_PASSWORD";

  /** The store the environment names, or SQLite in {@code dataDir}. */
  public static StoreLocation fromEnvironment(Map<String, String> env, Path dataDir) {
    String url = env.get(URL);
    if (url == null || url.isBlank()) {
      return sqlite(dataDir);
    }
    return postgresql(url.trim(), env.getOrDefault(USER, ""), env.getOrDefault(PASSWORD, ""));
  }

  public static StoreLocation sqlite(Path dataDir) {
    return new StoreLocation(StoreKind.SQLITE,
        "jdbc:sqlite:" + dataDir.resolve("liuliang.db").toAbsolutePath(), "", "");
  }

  public static StoreLocation postgresql(String url, String user, String password) {
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(URL + " must be a jdbc:postgresql: URL, was \"" + redacted(url) + "\"");
    }
    return new StoreLocation(StoreKind.POSTGRESQL, url, user, password);
  }

  /** The URL without any password a user put in its query string. */
  private static String redacted(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  @Override
  public String toString() {
    return kind.id() + " " + redacted(url) + (user.isEmpty() ? "" : " as " + user);
  }
}
