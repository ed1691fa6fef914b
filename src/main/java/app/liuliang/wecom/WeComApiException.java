package app.liuliang.wecom;

/**
 * A WeCom call that did not succeed, with what the reader needs: the API, WeCom's errcode (or the
 * HTTP status / transport failure) and whether trying again can help.
 */
public final class WeComApiException extends Exception {

  /** How a failure should be treated. */
  public enum Kind {
    /** WeCom is busy (-1) or throttling (45009, 45033): back off and retry. */
    RATE_LIMITED,
    /** Timeout, connection failure or HTTP 5xx: the request may or may not have been acted on. */
    TRANSPORT,
    /** WeCom said no (bad parameter, no permission, expired code...): retrying will not help. */
    REJECTED
  }

  /** errcode when WeCom answered with one; {@code NO_ERRCODE} for transport failures. */
  public static final int NO_ERRCODE = Integer.MIN_VALUE;

  private final String api;
  private final int errcode;
  private final Kind kind;

  public WeComApiException(String api, int errcode, String errmsg, Kind kind, Throwable cause) {
    super("WeCom " + api + " failed: " + (errcode == NO_ERRCODE ? "" : "errcode=" + errcode + " ") + "(" + errmsg + ")", cause);
    this.api = api;
    this.errcode = errcode;
    this.kind = kind;
  }

  public static WeComApiException fromErrcode(String api, int errcode, String errmsg) {
    return new WeComApiException(api, errcode, errmsg, classify(errcode), null);
  }

  public static WeComApiException transport(String api, String what, Throwable cause) {
    return new WeComApiException(api, NO_ERRCODE, what, Kind.TRANSPORT, cause);
  }

  static Kind classify(int errcode) {
    return switch (errcode) {
      case -1, 45009, 45033 -> Kind.RATE_LIMITED;
      default -> Kind.REJECTED;
    };
  }

  public String api() {
    return api;
  }

  public int errcode() {
    return errcode;
  }

  public boolean hasErrcode() {
    return errcode != NO_ERRCODE;
  }

  public Kind kind() {
    return kind;
  }
}
