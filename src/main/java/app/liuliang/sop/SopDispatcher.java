package app.liuliang.sop;

import app.liuliang.contact.TagCatalog;
import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxRequest;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Sends one due item through the outbox: a Moments task, a group broadcast per owner, or 1:1
 * broadcasts per sender in batches of WeCom's 10,000. Every row carries the idempotency key
 * {@code sop:<plan>:<id>:<target>}, and every contact reached is a {@code sop_deliveries} row, so a
 * second firing sends nothing twice.
 *
 * <p>{@code {name}}: add_msg_template sends one text to every listed contact. When a sender's
 * audience is small ({@code name_per_contact_max}, default 20) each contact gets their own
 * broadcast with their name; above that the placeholder is dropped ("{name}您好" → "您好") so staff
 * are not asked to confirm thousands of broadcasts.
 */
final class SopDispatcher {

  static final String ADD_MSG_TEMPLATE = "/cgi-bin/externalcontact/add_msg_template";
  static final String ADD_MOMENT_TASK = "/cgi-bin/externalcontact/add_moment_task";
  static final int MAX_PER_CALL = 10_000;
  /** add_msg_template takes at most 2,000 chat ids a call. */
  static final int MAX_CHATS_PER_CALL = 2_000;

  private final SopRepository repository;
  private final AudienceQuery audience;
  private final Outbox outbox;
  private final WeComClient wecom;
  private final ObjectMapper json;
  private final TagCatalog tags;
  private final TagIds tagIds;
  private final Path configDir;
  private final SopSettings settings;
  private final MomentPacer pacer;
  private final GroupTargets groupTargets;

  private final app.liuliang.contact.GroupOffers groupOffers;

  SopDispatcher(SopRepository repository, AudienceQuery audience, Outbox outbox, WeComClient wecom, ObjectMapper json,
      TagCatalog tags, Path configDir, SopSettings settings, GroupTargets groupTargets,
      app.liuliang.contact.GroupOffers groupOffers) {
    this.groupOffers = groupOffers;
    this.repository = repository;
    this.audience = audience;
    this.outbox = outbox;
    this.wecom = wecom;
    this.json = json;
    this.tags = tags;
    this.tagIds = new TagIds(repository.jdbi(), wecom);
    this.configDir = configDir;
    this.settings = settings;
    this.pacer = new MomentPacer(new app.liuliang.store.PaceSlots(repository.jdbi()), settings.momentsPerMinute());
    this.groupTargets = groupTargets;
  }

  /** Queues the item's sends; returns a one-line summary for sop_items.detail. */
  String send(SopItem item, Instant now, ZoneId zone) throws WeComApiException {
    AttachmentBuilder attachments = new AttachmentBuilder(wecom, json, configDir);
    return switch (item.channel()) {
      case SopItem.MOMENT -> moment(item, attachments, now);
      case SopItem.GROUP -> groups(item, attachments, now);
      default -> personal(item, attachments, now, zone);
    };
  }

  private Instant deadline(Instant now) {
    return now.plus(settings.grace().compareTo(Duration.ofHours(1)) > 0 ? settings.grace() : Duration.ofHours(1));
  }

  private String moment(SopItem item, AttachmentBuilder attachments, Instant now) throws WeComApiException {
    ObjectNode body = json.createObjectNode();
    body.putObject("text").put("content", item.text());
    ArrayNode parts = attachments.forMoment(item.attachments());
    if (!parts.isEmpty()) {
      body.set("attachments", parts);
    }
    ObjectNode range = body.putObject("visible_range");
    range.putObject("sender_list").putArray("user_list").addAll(strings(item.senders()));
    List<String> tagNames = new ArrayList<>(item.audience().tags());
    item.audience().layers().forEach(layer -> tagNames.add(tags.layerTag(layer)));
    if (!tagNames.isEmpty()) {
      range.putObject("external_contact_list").putArray("tag_list").addAll(strings(tagIds.idsOf(tagNames)));
    }
    String key = key(item, "moment");
    Instant slot = pacer.nextSlot(now);
    repository.jdbi().useTransaction(h -> {
      repository.insertBroadcast(h, key, item.plan(), item.id(), String.join(",", item.senders()), SopItem.MOMENT, now.toEpochMilli());
      outbox.enqueue(h, new OutboxRequest(key, "sop.moment", ADD_MOMENT_TASK, body, null, true, false, slot, deadline(now)));
    });
    return "Moments task for " + String.join(",", item.senders());
  }

  private String groups(SopItem item, AttachmentBuilder attachments, Instant now) throws WeComApiException {
    if (!item.categories().isEmpty()) {
      return groupsByCategory(item, attachments, now);
    }
    ArrayNode parts = attachments.forTemplate(item.attachments());
    for (String owner : item.senders()) {
      groupBroadcast(item, owner, template("group", owner, item.text(), parts), key(item, owner), now);
    }
    return "group broadcasts for " + String.join(",", item.senders());
  }

  /**
   * To the active groups of the item's categories, one broadcast per owner naming its chats (dismissed
   * groups are never listed); with owners too, only theirs.
   */
  private String groupsByCategory(SopItem item, AttachmentBuilder attachments, Instant now) throws WeComApiException {
    Map<String, List<String>> byOwner = new java.util.TreeMap<>(groupTargets.activeChatsByOwner(item.categories()));
    if (!item.senders().isEmpty()) {
      byOwner.keySet().retainAll(item.senders());
    }
    if (byOwner.isEmpty()) {
      return "no active groups in " + String.join(",", item.categories());
    }
    ArrayNode parts = attachments.forTemplate(item.attachments());
    int chats = 0;
    for (Map.Entry<String, List<String>> e : byOwner.entrySet()) {
      String owner = e.getKey();
      List<String> ids = e.getValue();
      for (int from = 0; from < ids.size(); from += MAX_CHATS_PER_CALL) {
        List<String> chunk = ids.subList(from, Math.min(ids.size(), from + MAX_CHATS_PER_CALL));
        ObjectNode body = template("group", owner, item.text(), parts);
        body.putArray("chat_id_list").addAll(strings(chunk));
        String target = from == 0 ? owner : owner + "#" + (from / MAX_CHATS_PER_CALL);
        groupBroadcast(item, target, body, key(item, target), now);
        chats += chunk.size();
      }
    }
    return "group broadcasts to " + chats + " groups of " + String.join(",", item.categories()) + " via "
        + String.join(",", byOwner.keySet());
  }

  private void groupBroadcast(SopItem item, String target, ObjectNode body, String key, Instant now) {
    String owner = body.path("sender").asText();
    repository.jdbi().useTransaction(h -> {
      if (repository.insertDelivery(h, item.plan(), item.id(), target, key, "queued", now.toEpochMilli())) {
        repository.insertBroadcast(h, key, item.plan(), item.id(), owner, SopItem.GROUP, now.toEpochMilli());
        outbox.enqueue(h, new OutboxRequest(key, "sop.group", ADD_MSG_TEMPLATE, body, null, true, false, now, deadline(now)));
      }
    });
  }

  private String personal(SopItem item, AttachmentBuilder attachments, Instant now, ZoneId zone) throws WeComApiException {
    Map<String, List<AudienceQuery.Target>> bySender = audience.targets(item.audience(), item.senders(), now, zone);
    java.util.Set<String> reached = repository.targetsReached(item.plan(), item.id());
    ArrayNode parts = attachments.forTemplate(item.attachments()).deepCopy();
    // A group offer is the same for everyone: {group_qr:…} becomes the code's image, {group_link:…} its URL.
    app.liuliang.contact.GroupOffers.Applied offers = groupOffers.apply(item.text());
    offers.qrImages().forEach(qr -> parts.addObject().put("msgtype", "image").putObject("image").put("pic_url", qr));
    String itemText = offers.text() == null ? "" : offers.text();
    boolean named = itemText.contains("{name}");
    int contacts = 0;
    int broadcasts = 0;
    for (Map.Entry<String, List<AudienceQuery.Target>> entry : bySender.entrySet()) {
      String sender = entry.getKey();
      // A resumed item (a crash mid fan-out) skips whoever was reached before.
      List<AudienceQuery.Target> targets = entry.getValue().stream()
          .filter(t -> !reached.contains(t.externalUserId())).toList();
      if (named && targets.size() <= settings.namePerContactMax()) {
        for (AudienceQuery.Target t : targets) {
          String text = itemText.replace("{name}", t.name() == null ? "" : t.name());
          int sent = batch(item, key(item, t.externalUserId()), sender, List.of(t), text, parts, now, zone);
          contacts += sent;
          broadcasts += sent > 0 ? 1 : 0;
        }
      } else {
        String text = itemText.replace("{name}", "");
        for (int from = 0; from < targets.size(); from += MAX_PER_CALL) {
          List<AudienceQuery.Target> chunk = targets.subList(from, Math.min(targets.size(), from + MAX_PER_CALL));
          // Keyed by its first contact: unique, since that contact's delivery row is written with it.
          int sent = batch(item, key(item, sender + ":" + chunk.get(0).externalUserId()), sender, chunk, text, parts, now,
              zone);
          contacts += sent;
          broadcasts += sent > 0 ? 1 : 0;
        }
      }
    }
    return contacts + " contacts in " + broadcasts + " broadcasts via " + bySender.size() + " staff";
  }

  /** One add_msg_template for the chunk's contacts not reached before; returns how many. */
  private int batch(SopItem item, String key, String sender, List<AudienceQuery.Target> chunk, String text,
      ArrayNode parts, Instant now, ZoneId zone) {
    return repository.jdbi().inTransaction(h -> {
      // The audience left out whoever was at their cap when it was read; counted again here, under the lock,
      // so an item firing at the same moment cannot have used up the last one since.
      repository.lockDeliveries(h);
      Set<String> capped = audience.overCap(h, now, zone, chunk.stream().map(AudienceQuery.Target::externalUserId).toList());
      List<AudienceQuery.Target> open = chunk.stream().filter(t -> !capped.contains(t.externalUserId())).toList();
      if (open.isEmpty()) {
        return 0;
      }
      PreparedBatch insert = h.prepareBatch("INSERT INTO sop_deliveries (week, item_id, target, outbox_key, status, at) "
          + "VALUES (:w, :i, :t, :k, 'queued', :at) ON CONFLICT (week, item_id, target) DO NOTHING");
      for (AudienceQuery.Target t : open) {
        insert.bind("w", item.plan()).bind("i", item.id()).bind("t", t.externalUserId()).bind("k", key)
            .bind("at", now.toEpochMilli()).add();
      }
      int[] inserted = insert.execute();
      List<String> fresh = new ArrayList<>();
      for (int i = 0; i < inserted.length; i++) {
        if (inserted[i] > 0) {
          fresh.add(open.get(i).externalUserId());
        }
      }
      if (fresh.isEmpty()) {
        return 0;
      }
      ObjectNode body = template("single", sender, text, parts);
      body.putArray("external_userid").addAll(strings(fresh));
      String patient = fresh.size() == 1 ? fresh.get(0) : null;
      repository.insertBroadcast(h, key, item.plan(), item.id(), sender, SopItem.PERSONAL, now.toEpochMilli());
      outbox.enqueue(h, new OutboxRequest(key, "sop." + item.kind(), ADD_MSG_TEMPLATE, body, patient, true, false, now,
          deadline(now)));
      return fresh.size();
    });
  }

  private ObjectNode template(String chatType, String sender, String text, ArrayNode parts) {
    ObjectNode body = json.createObjectNode();
    body.put("chat_type", chatType).put("sender", sender);
    if (!text.isBlank()) {
      body.putObject("text").put("content", text);
    }
    if (!parts.isEmpty()) {
      body.set("attachments", parts.deepCopy());
    }
    return body;
  }

  static String key(SopItem item, String target) {
    return "sop:" + item.plan() + ":" + item.id() + ":" + target;
  }

  private ArrayNode strings(List<String> values) {
    ArrayNode out = json.createArrayNode();
    values.forEach(out::add);
    return out;
  }
}
