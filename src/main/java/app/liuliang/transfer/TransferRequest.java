package app.liuliang.transfer;

/**
 * What an operator asked for: move {@code from}'s patients (of {@code layer} and / or with {@code tag}, when
 * given) to {@code to}.
 *
 * @param requestedBy {@code cli:<OS user>} or {@code console:<client address>}, for the record
 */
public record TransferRequest(String from, String to, String layer, String tag, String requestedBy) {

  public TransferRequest {
    from = trimmed(from);
    to = trimmed(to);
    layer = trimmed(layer);
    tag = trimmed(tag);
    if (from == null || to == null) {
      throw new IllegalArgumentException("a transfer needs --from and --to");
    }
    if (from.equals(to)) {
      throw new IllegalArgumentException("--from and --to are the same member (" + from + ")");
    }
  }

  private static String trimmed(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  boolean filtered() {
    return layer != null || tag != null;
  }
}
