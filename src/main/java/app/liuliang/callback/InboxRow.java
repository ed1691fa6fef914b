package app.liuliang.callback;

/** An inbox row as the worker and the console see it. */
public record InboxRow(long id, String eventKey, String kind, String payload, long receivedAt,
    String status, int attempts, String lastError) {

  /** The columns {@link #of} reads, in its order. */
  static final String COLUMNS = "id, event_key, kind, payload, received_at, status, attempts, last_error";

  static InboxRow of(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new InboxRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getLong(5), rs.getString(6), rs.getInt(7), rs.getString(8));
  }
}
