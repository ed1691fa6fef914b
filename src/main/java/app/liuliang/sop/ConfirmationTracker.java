package app.liuliang.sop;

import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxRequest;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WeCom sends nothing until the staff member confirms in their client. Polls sent broadcasts
 * ({@code get_groupmsg_task}) and Moments tasks ({@code get_moment_task_result}, results per
 * sender), marks them confirmed, and reminds an unconfirmed sender once
 * ({@code remind_groupmsg_send}) after {@code remind_after}.
 */
final class ConfirmationTracker {

  private static final Logger log = LoggerFactory.getLogger(ConfirmationTracker.class);
  static final String MOMENT_RESULT = "/cgi-bin/externalcontact/get_moment_task_result";
  static final String GROUPMSG_TASK = "/cgi-bin/externalcontact/get_groupmsg_task";
  static final String REMIND = "/cgi-bin/externalcontact/remind_groupmsg_send";

  private final SopRepository repository;
  private final WeComClient wecom;
  private final Outbox outbox;
  private final ObjectMapper json;
  private final Clock clock;
  private final Duration remindAfter;

  ConfirmationTracker(SopRepository repository, WeComClient wecom, Outbox outbox, ObjectMapper json, Clock clock,
      Duration remindAfter) {
    this.repository = repository;
    this.wecom = wecom;
    this.outbox = outbox;
    this.json = json;
    this.clock = clock;
    this.remindAfter = remindAfter;
  }

  /** Checks every broadcast sent in the last three days (media and msgids live that long); returns items touched. */
  Set<String> poll() {
    Instant now = clock.instant();
    Set<String> touched = new HashSet<>();
    for (SopRepository.Broadcast b : repository.awaitingConfirmation(now.minus(Duration.ofDays(3)).toEpochMilli())) {
      try {
        boolean changed = SopItem.MOMENT.equals(b.kind()) ? moment(b, now) : broadcast(b, now);
        if (changed) {
          touched.add(b.week() + "\n" + b.itemId());
        }
      } catch (WeComApiException e) {
        log.warn("sop confirmation check failed for {} errcode={}", b.outboxKey(), e.errcode());
      }
    }
    return touched;
  }

  private boolean moment(SopRepository.Broadcast b, Instant now) throws WeComApiException {
    JsonNode r = wecom.get(MOMENT_RESULT, Map.of("jobid", b.ref()));
    if (r.path("status").asInt() != 3) {
      return false;
    }
    Set<String> invalid = new HashSet<>();
    r.path("result").path("invalid_sender_list").path("user_list").forEach(u -> invalid.add(u.asText()));
    repository.jdbi().useTransaction(h -> {
      for (String sender : b.sender().split(",")) {
        repository.insertDelivery(h, b.week(), b.itemId(), sender, b.outboxKey(),
            invalid.contains(sender) ? "invalid_sender" : "posted", now.toEpochMilli());
      }
    });
    String momentId = r.path("result").path("moment_id").asText("");
    boolean allInvalid = invalid.size() >= b.sender().split(",").length;
    repository.updateBroadcast(b.outboxKey(), allInvalid ? SopRepository.FAILED : SopRepository.CONFIRMED, null,
        "moment_id " + momentId + (invalid.isEmpty() ? "" : ", invalid senders " + String.join(",", invalid)),
        null, now.toEpochMilli());
    log.info("sop moment task {} done, moment_id={} invalid_senders={}", b.outboxKey(), momentId, invalid.size());
    return true;
  }

  private boolean broadcast(SopRepository.Broadcast b, Instant now) throws WeComApiException {
    JsonNode r = wecom.post(GROUPMSG_TASK, json.createObjectNode().put("msgid", b.ref()).put("limit", 1000));
    for (JsonNode task : r.path("task_list")) {
      if (b.sender().equals(task.path("userid").asText()) && task.path("status").asInt() >= 1) {
        repository.updateBroadcast(b.outboxKey(), SopRepository.CONFIRMED, null, null, null, now.toEpochMilli());
        log.info("sop broadcast {} confirmed by {}", b.outboxKey(), b.sender());
        return true;
      }
    }
    if (b.remindedAt() == null && b.sentAt() != null && b.sentAt() + remindAfter.toMillis() <= now.toEpochMilli()) {
      outbox.enqueue(OutboxRequest.internal("sop-remind:" + b.ref(), "sop.remind", REMIND,
          json.createObjectNode().put("msgid", b.ref()), now, now.plus(Duration.ofHours(6))));
      repository.markReminded(b.outboxKey(), now.toEpochMilli());
      log.info("sop broadcast {} unconfirmed after {}, reminded {}", b.outboxKey(), remindAfter, b.sender());
    }
    return false;
  }
}
