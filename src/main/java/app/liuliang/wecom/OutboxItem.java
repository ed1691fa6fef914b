package app.liuliang.wecom;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An outbox row. Statuses: {@code pending} → {@code sending} → {@code sent}; or {@code failed}
 * (WeCom refused: errcode kept), {@code expired} (retried until its deadline), {@code skipped}
 * (a guard vetoed it: opted out, lost), {@code cancelled}, {@code uncertain} (a patient-facing send
 * whose fate a crash or timeout hid and WeCom could not tell: never resent automatically).
 * {@code outcomeUnknown}: an earlier attempt may have reached WeCom; the next step asks WeCom first.
 */
public record OutboxItem(
    long id, String idemKey, String purpose, String api, JsonNode body, String externalUserId,
    boolean patientFacing, boolean resendSafe, long createdAt, long notBefore, long deadline,
    String status, int attempts, Integer errcode, String lastError, JsonNode response, Long sentAt,
    boolean outcomeUnknown) {
}
