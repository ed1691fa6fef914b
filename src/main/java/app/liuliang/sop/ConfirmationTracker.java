package app.liuliang.sop;

import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxRequest;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WeCom sends nothing until the staff member confirms in their client. Polls sent broadcasts
 * ({@code get_groupmsg_task}) and Moments ({@code get_moment_task_result}, then {@code get_moment_task}
 * per sender), marks them confirmed, and reminds unconfirmed senders once after {@code remind_after}
 * ({@code remind_groupmsg_send} for broadcasts, an app message for Moments).
 */
final class ConfirmationTracker {

  private static final Logger log = LoggerFactory.getLogger(ConfirmationTracker.class);
  static final String MOMENT_RESULT = "/cgi-bin/externalcontact/get_moment_task_result";
  static final String MOMENT_TASK = "/cgi-bin/externalcontact/get_moment_task";
  static final String AWAITING_PUBLISH = "awaiting_publish";
  static final String PUBLISHED = "published";
  static final String INVALID_SENDER = "invalid_sender";
  static final String SEND_RESULT = "/cgi-bin/externalcontact/get_groupmsg_send_result";
  /** get_groupmsg_send_result's status → our delivery status; 0 (not sent yet) leaves it queued. */
  static final Map<Integer, String> SEND_STATUS = Map.of(1, "delivered", 2, "not_friend", 3, "over_cap");
  static final String GROUPMSG_TASK = "/cgi-bin/externalcontact/get_groupmsg_task";
  static final String REMIND = "/cgi-bin/externalcontact/remind_groupmsg_send";

  private final SopRepository repository;
  private final WeComClient wecom;
  private final Outbox outbox;
  private final ObjectMapper json;
  private final Clock clock;
  private final Duration remindAfter;
  private final AdminNotifier staff;

  ConfirmationTracker(SopRepository repository, WeComClient wecom, Outbox outbox, ObjectMapper json, Clock clock,
      Duration remindAfter, AdminNotifier staff) {
    this.repository = repository;
    this.wecom = wecom;
    this.outbox = outbox;
    this.json = json;
    this.clock = clock;
    this.remindAfter = remindAfter;
    this.staff = staff;
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

  /**
   * A Moment goes through two steps: WeCom finishes the task (get_moment_task_result: the moment id and the
   * senders it refused), then each sender publishes it in their client (get_moment_task: publish_status).
   * Only when every valid sender has published is the item confirmed.
   */
  private boolean moment(SopRepository.Broadcast b, Instant now) throws WeComApiException {
    String momentId = b.momentId();
    boolean changed = false;
    if (momentId == null) {
      JsonNode r = wecom.get(MOMENT_RESULT, Map.of("jobid", b.ref()));
      if (r.path("status").asInt() != 3) {
        return false;
      }
      Optional<String> made = taskFinished(b, r, now);
      if (made.isEmpty()) {
        return true;
      }
      momentId = made.get();
      changed = true;
    }
    Set<String> published = publishedSenders(momentId);
    Map<String, String> nowPublished = new HashMap<>();
    List<String> stillWaiting = new ArrayList<>();
    for (String sender : repository.deliveryTargets(b.week(), b.itemId(), AWAITING_PUBLISH)) {
      if (published.contains(sender)) {
        nowPublished.put(sender, PUBLISHED);
      } else {
        stillWaiting.add(sender);
      }
    }
    repository.updateDeliveries(b.outboxKey(), nowPublished);
    changed |= !nowPublished.isEmpty();
    if (stillWaiting.isEmpty()) {
      repository.updateBroadcast(b.outboxKey(), SopRepository.CONFIRMED, null, null, null, now.toEpochMilli());
      log.info("sop moment {} published by every sender", b.outboxKey());
      return true;
    }
    if (dueForReminder(b, now)) {
      // WeCom has no reminder API for Moments: tell the senders who have not published yet, once, by app message.
      staff.remind("sop-remind:" + b.outboxKey(), stillWaiting,
          "您有一条客户朋友圈还没发表（" + b.week() + " " + b.itemId() + "），请在企业微信「客户朋友圈」里确认发表。");
      repository.markReminded(b.outboxKey(), now.toEpochMilli());
      log.info("sop moment {} unpublished after {}, reminded {} senders", b.outboxKey(), remindAfter, stillWaiting.size());
    }
    return changed;
  }

  /** Records the finished task: the moment id, or empty when WeCom refused every sender (the item failed). */
  private Optional<String> taskFinished(SopRepository.Broadcast b, JsonNode r, Instant now) {
    Set<String> invalid = new HashSet<>();
    r.path("result").path("invalid_sender_list").path("user_list").forEach(u -> invalid.add(u.asText()));
    String[] senders = b.sender().split(",");
    repository.jdbi().useTransaction(h -> {
      for (String sender : senders) {
        repository.insertDelivery(h, b.week(), b.itemId(), sender, b.outboxKey(),
            invalid.contains(sender) ? INVALID_SENDER : AWAITING_PUBLISH, now.toEpochMilli());
      }
    });
    String momentId = r.path("result").path("moment_id").asText("");
    String detail = "moment_id " + momentId + (invalid.isEmpty() ? "" : ", invalid senders " + String.join(",", invalid));
    log.info("sop moment task {} done, moment_id={} invalid_senders={}", b.outboxKey(), momentId, invalid.size());
    if (invalid.size() >= senders.length) {
      repository.updateBroadcast(b.outboxKey(), SopRepository.FAILED, null, detail, null, null);
      return Optional.empty();
    }
    repository.recordMoment(b.outboxKey(), momentId, detail);
    return Optional.of(momentId);
  }

  private Set<String> publishedSenders(String momentId) throws WeComApiException {
    Set<String> published = new HashSet<>();
    eachPage(MOMENT_TASK, json.createObjectNode().put("moment_id", momentId), page -> {
      for (JsonNode task : page.path("task_list")) {
        if (task.path("publish_status").asInt() == 1) {
          published.add(task.path("userid").asText());
        }
      }
    });
    return published;
  }

  /** Posts {@code body} with a cursor and WeCom's largest page (1000) until {@code next_cursor} is empty. */
  private void eachPage(String api, ObjectNode body, Consumer<JsonNode> page) throws WeComApiException {
    String cursor = "";
    do {
      JsonNode answer = wecom.post(api, body.put("limit", 1000).put("cursor", cursor));
      page.accept(answer);
      cursor = answer.path("next_cursor").asText("");
    } while (!cursor.isEmpty());
  }

  /**
   * What became of each patient of a confirmed 1:1 broadcast (get_groupmsg_send_result): delivered, not
   * a friend any more, or over WeCom's receiving cap, which staff's own broadcasts share with ours.
   * Only delivered ones count towards our per-patient cap. Null when WeCom could not tell us.
   */
  private String sendResults(SopRepository.Broadcast b) {
    Map<String, String> statuses = new HashMap<>();
    try {
      eachPage(SEND_RESULT, json.createObjectNode().put("msgid", b.ref()).put("userid", b.sender()), page -> {
        for (JsonNode sent : page.path("send_list")) {
          String status = SEND_STATUS.get(sent.path("status").asInt());
          if (status != null && !sent.path("external_userid").asText("").isEmpty()) {
            statuses.put(sent.path("external_userid").asText(), status);
          }
        }
      });
    } catch (WeComApiException e) {
      log.warn("sop broadcast {}: send results not read, errcode={}", b.outboxKey(), e.errcode());
      return null;
    }
    repository.updateDeliveries(b.outboxKey(), statuses);
    Map<String, Long> counts = new TreeMap<>();
    statuses.values().forEach(status -> counts.merge(status, 1L, Long::sum));
    return counts.isEmpty() ? null : "send results " + counts;
  }

  private boolean dueForReminder(SopRepository.Broadcast b, Instant now) {
    return b.remindedAt() == null && b.sentAt() != null && b.sentAt() + remindAfter.toMillis() <= now.toEpochMilli();
  }

  private boolean broadcast(SopRepository.Broadcast b, Instant now) throws WeComApiException {
    JsonNode r = wecom.post(GROUPMSG_TASK, json.createObjectNode().put("msgid", b.ref()).put("limit", 1000));
    for (JsonNode task : r.path("task_list")) {
      if (b.sender().equals(task.path("userid").asText()) && task.path("status").asInt() >= 1) {
        String detail = SopItem.PERSONAL.equals(b.kind()) ? sendResults(b) : null;
        repository.updateBroadcast(b.outboxKey(), SopRepository.CONFIRMED, null, detail, null, now.toEpochMilli());
        log.info("sop broadcast {} confirmed by {}", b.outboxKey(), b.sender());
        return true;
      }
    }
    if (dueForReminder(b, now)) {
      outbox.enqueue(OutboxRequest.internal("sop-remind:" + b.ref(), "sop.remind", REMIND,
          json.createObjectNode().put("msgid", b.ref()), now, now.plus(Duration.ofHours(6))));
      repository.markReminded(b.outboxKey(), now.toEpochMilli());
      log.info("sop broadcast {} unconfirmed after {}, reminded {}", b.outboxKey(), remindAfter, b.sender());
    }
    return false;
  }
}
