package app.liuliang.wecom;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An outbox row. Statuses: {@code pending} → {@code sending} → {@code sent}; or {@code failed}
 * (WeCom refused: errcode kept), {@code expired} (retried until its deadline), {@code skipped}
 * (a guard vetoed it: opted out, lost), {@code cancelled}, {@code uncertain} (a patient-facing send
 * whose fate a crash or timeout hid: never resent automatically).
 */
public record OutboxItem(
    long id, String idemKey, String purpose, String api, JsonNode body, String externalUserId,
    boolean patientFacing, boolean resendSafe, long createdAt, long notBefore, long deadline,
    String status, int attempts, Integer errcode, String lastError, JsonNode response, Long sentAt) {
}
