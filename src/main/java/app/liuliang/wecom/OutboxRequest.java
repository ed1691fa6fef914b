package app.liuliang.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One WeCom action to perform, durably and at most once.
 *
 * @param idemKey        unique per action: the same key enqueued twice is one action. Derive it
 *                       from what caused it ({@code welcome:<event key>}, {@code sop:2026-W48:mon-1:<contact>}).
 * @param purpose        what it is for, e.g. {@code welcome}, {@code tag}, {@code sop.moment}: listeners
 *                       and the console group by it
 * @param api            WeCom's path, e.g. {@code /cgi-bin/externalcontact/send_welcome_msg}
 * @param body           the JSON body, exactly as it will be sent
 * @param externalUserId the patient it reaches, if any: opt-outs and lost contacts cancel by it
 * @param patientFacing  true when a patient sees the result; such actions are never resent when
 *                       their fate is unknown (a timeout), unless {@code resendSafe}
 * @param resendSafe     WeCom itself drops a repeat (a welcome code works once, kf msgid,
 *                       {@code enable_duplicate_check}), so a timeout may be retried
 * @param notBefore      not sent earlier than this
 * @param deadline       not sent later than this (a welcome code lives 20 s); then it is "expired"
 */
public record OutboxRequest(
    String idemKey, String purpose, String api, JsonNode body, String externalUserId,
    boolean patientFacing, boolean resendSafe, Instant notBefore, Instant deadline) {

  public OutboxRequest {
    Objects.requireNonNull(idemKey, "idemKey");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(deadline, "deadline");
  }

  /** A staff- or system-facing action (tags, app messages to doctors): safe to retry after a timeout. */
  public static OutboxRequest internal(String idemKey, String purpose, String api, JsonNode body,
      Instant now, Instant deadline) {
    return new OutboxRequest(idemKey, purpose, api, body, null, false, true, now, deadline);
  }

  /** Something a patient will see. */
  public static OutboxRequest toPatient(String idemKey, String purpose, String api, JsonNode body,
      String externalUserId, boolean resendSafe, Instant notBefore, Instant deadline) {
    return new OutboxRequest(idemKey, purpose, api, body, externalUserId, true, resendSafe, notBefore, deadline);
  }
}
