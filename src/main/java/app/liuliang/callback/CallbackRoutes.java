package app.liuliang.callback;

import app.liuliang.logging.ThrottledLog;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.codec.digest.DigestUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /wecom/callback} (URL verification) and {@code POST /wecom/callback} (events).
 *
 * <p>A POST is answered only after its event is durable in the inbox; anything refused is answered
 * 4xx before it touches the store. Refusals carry no detail: the caller may be probing.
 */
public final class CallbackRoutes {

  private static final Logger log = LoggerFactory.getLogger(CallbackRoutes.class);
  public static final String PATH = "/wecom/callback";
  /** A flood of bad requests is counted in full but logged once per kind and minute. */
  private static final Duration REFUSAL_LOG_INTERVAL = Duration.ofMinutes(1);

  private final CallbackCrypto crypto;
  private final Inbox inbox;
  private final Clock clock;
  private final long maxSkewSeconds;
  private final int maxBodyBytes;
  private final MeterRegistry meters;
  private final SafeXml xml = new SafeXml();
  private final ThrottledLog refusals;

  public CallbackRoutes(CallbackCrypto crypto, Inbox inbox, Clock clock, long maxSkewSeconds,
      int maxBodyBytes, MeterRegistry meters) {
    this.crypto = crypto;
    this.inbox = inbox;
    this.clock = clock;
    this.maxSkewSeconds = maxSkewSeconds;
    this.maxBodyBytes = maxBodyBytes;
    this.meters = meters;
    this.refusals = new ThrottledLog(log, clock, REFUSAL_LOG_INTERVAL);
  }

  public void addTo(RoutesConfig routes) {
    routes.get(PATH, this::verifyUrl);
    routes.post(PATH, this::receive);
  }

  /** The one-time handshake: answer the decrypted echostr, bare. No freshness check here. */
  void verifyUrl(Context ctx) {
    String echo = ctx.queryParam("echostr");
    if (!crypto.signatureMatches(ctx.queryParam("msg_signature"), ctx.queryParam("timestamp"),
        ctx.queryParam("nonce"), echo)) {
      refuse(ctx, HttpStatus.UNAUTHORIZED, "url-check", "bad signature", "");
      return;
    }
    try {
      CallbackCrypto.Opened opened = crypto.open(echo);
      if (!crypto.corpId().equals(opened.receiveId())) {
        refuse(ctx, HttpStatus.FORBIDDEN, "url-check", "echostr sealed for another corp", "");
        return;
      }
      ctx.contentType("text/plain; charset=utf-8").result(opened.message());
      meters.counter("liuliang.callbacks", "event", "url-check", "outcome", "accepted").increment();
    } catch (IllegalArgumentException e) {
      refuse(ctx, HttpStatus.BAD_REQUEST, "url-check", "echostr does not decrypt", "");
    }
  }

  void receive(Context ctx) throws Exception {
    // Read before refusing: answering while the sender is still writing makes the server close the
    // connection, and the sender may then lose the 413 to a reset. Javalin bounds the read (1 MB).
    byte[] raw = ctx.bodyAsBytes();
    if (raw.length > maxBodyBytes) {
      refuse(ctx, HttpStatus.CONTENT_TOO_LARGE, "unknown", "body too large", raw.length + " bytes");
      return;
    }
    String timestamp = ctx.queryParam("timestamp");
    String nonce = ctx.queryParam("nonce");
    String signature = ctx.queryParam("msg_signature");
    String encrypted;
    try {
      encrypted = xml.parse(new String(raw, StandardCharsets.UTF_8)).get("Encrypt");
    } catch (SafeXml.MalformedXmlException e) {
      refuse(ctx, HttpStatus.BAD_REQUEST, "unknown", "malformed envelope", e.getMessage());
      return;
    }
    if (encrypted == null || !crypto.signatureMatches(signature, timestamp, nonce, encrypted)) {
      refuse(ctx, HttpStatus.UNAUTHORIZED, "unknown", "bad signature", "");
      return;
    }
    if (!isFresh(timestamp)) {
      refuse(ctx, HttpStatus.FORBIDDEN, "unknown", "stale timestamp", timestamp);
      return;
    }
    CallbackCrypto.Opened opened;
    try {
      opened = crypto.open(encrypted);
    } catch (IllegalArgumentException e) {
      refuse(ctx, HttpStatus.BAD_REQUEST, "unknown", "does not decrypt", "");
      return;
    }
    if (!crypto.corpId().equals(opened.receiveId())) {
      refuse(ctx, HttpStatus.FORBIDDEN, "unknown", "sealed for another corp", "");
      return;
    }
    Map<String, String> fields;
    try {
      fields = xml.parse(opened.message());
    } catch (SafeXml.MalformedXmlException e) {
      refuse(ctx, HttpStatus.BAD_REQUEST, "unknown", "malformed message", "");
      return;
    }
    String kind = CallbackEvent.kindOf(fields);
    // Answered from the commit's completion: no HTTP thread waits for the fsync.
    ctx.future(() -> inbox.append(eventKey(opened.message()), kind, opened.message(), clock.millis(), fields)
        .orTimeout(4, TimeUnit.SECONDS)
        .handle((isNew, failure) -> {
          if (failure != null) {
            // Not stored: say so, and WeCom will send it again.
            log.error("callback {} not stored: {}", kind, failure.toString());
            meters.counter("liuliang.callbacks", "event", kind, "outcome", "store_failed").increment();
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE);
          } else {
            meters.counter("liuliang.callbacks", "event", kind, "outcome", isNew ? "accepted" : "duplicate").increment();
            ctx.contentType("text/plain").result("success");
          }
          return null;
        }));
  }

  private boolean isFresh(String timestamp) {
    try {
      long sent = Long.parseLong(timestamp);
      return Math.abs(clock.millis() / 1000 - sent) <= maxSkewSeconds;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Answers 4xx with an empty body. {@code detail} may come from the caller: it is cut short and
   * stripped of control characters before it reaches the log.
   */
  private void refuse(Context ctx, HttpStatus status, String kind, String reason, String detail) {
    String shown = detail == null || detail.isEmpty() ? "" : ": " + printable(detail);
    refusals.warn(status.getCode() + " " + kind + " " + reason,
        "callback refused (" + status.getCode() + "): " + reason + shown + " from " + ctx.ip());
    meters.counter("liuliang.callbacks", "event", kind, "outcome", "refused_" + status.getCode()).increment();
    ctx.status(status).result("");
  }

  private static String printable(String text) {
    String cut = text.length() > 80 ? text.substring(0, 80) + "…" : text;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  /**
   * The whole decrypted message identifies an event: WeCom's retries repeat it byte for byte,
   * while two distinct events in the same second (two welcome codes) differ.
   */
  static String eventKey(String message) {
    return DigestUtils.sha256Hex(message);
  }
}
