package app.liuliang.callback;

/** An inbox row as the worker and the console see it. */
public record InboxRow(long id, String eventKey, String kind, String payload, long receivedAt,
    String status, int attempts, String lastError) {
}
