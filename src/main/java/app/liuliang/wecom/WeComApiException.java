package app.liuliang.wecom;

/**
 * A WeCom call that did not succeed, with what the reader needs: the API, WeCom's errcode (or the
 * HTTP status / transport failure) and what the failure says about the request's fate.
 */
public final class WeComApiException extends Exception {

  /** How a failure should be treated. */
  public enum Kind {
    /** WeCom is busy (-1) or throttling (45009, 45033, HTTP 429): back off and retry. */
    RATE_LIMITED,
    /**
     * The request never reached WeCom's service: connection refused or timed out while connecting,
     * no pooled connection, or a gateway's 502/503. Nothing happened, so retrying is always safe.
     */
    NOT_SENT,
    /**
     * It may or may not have been acted on: a read timeout, a reset after sending, HTTP 500/504,
     * an answer we cannot read. A patient-facing action is then checked with WeCom before anything else.
     */
    UNKNOWN_OUTCOME,
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

  /** The request may have been acted on. */
  public static WeComApiException transport(String api, String what, Throwable cause) {
    return new WeComApiException(api, NO_ERRCODE, what, Kind.UNKNOWN_OUTCOME, cause);
  }

  /** The request certainly was not acted on. */
  public static WeComApiException notSent(String api, String what, Throwable cause) {
    return new WeComApiException(api, NO_ERRCODE, what, Kind.NOT_SENT, cause);
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

  /** Worth trying again later: busy, throttled, not sent, or unknown. */
  public boolean retryable() {
    return kind != Kind.REJECTED;
  }
}
