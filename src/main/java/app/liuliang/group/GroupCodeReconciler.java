package app.liuliang.group;

import app.liuliang.group.GroupCatalog.Attachment;
import app.liuliang.group.GroupCatalog.Category;
import app.liuliang.group.GroupCatalog.Code;
import app.liuliang.group.GroupCatalog.Welcome;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes WeCom's group codes ({@code groupchat/add|update|del_join_way}) and join welcomes
 * ({@code group_welcome_template/add|edit|del}) match {@code groups.yaml}. Only what Liuliang created
 * (ids in {@code group_join_ways} / {@code group_welcome_templates}) is ever updated or deleted; an
 * unchanged category (same request fingerprint) costs no call, so a restart with no change makes none.
 * A row is claimed before its create call (insert-or-ignore), so two nodes never both create one.
 */
final class GroupCodeReconciler {

  private static final Logger log = LoggerFactory.getLogger(GroupCodeReconciler.class);
  static final String ADD_JOIN_WAY = "/cgi-bin/externalcontact/groupchat/add_join_way";
  static final String GET_JOIN_WAY = "/cgi-bin/externalcontact/groupchat/get_join_way";
  static final String UPDATE_JOIN_WAY = "/cgi-bin/externalcontact/groupchat/update_join_way";
  static final String DEL_JOIN_WAY = "/cgi-bin/externalcontact/groupchat/del_join_way";
  static final String ADD_TEMPLATE = "/cgi-bin/externalcontact/group_welcome_template/add";
  static final String EDIT_TEMPLATE = "/cgi-bin/externalcontact/group_welcome_template/edit";
  static final String DEL_TEMPLATE = "/cgi-bin/externalcontact/group_welcome_template/del";

  /** What one run did, per category and kind (codes and welcomes together). */
  record Report(int created, int updated, int deleted, int unchanged, int failed) {
  }

  /** One kind of reconciled WeCom object: its table, id column and calls. */
  private record Kind(String table, String idColumn, String add, String update, String delete, String idField) {
  }

  private static final Kind JOIN_WAYS = new Kind("group_join_ways", "config_id", ADD_JOIN_WAY, UPDATE_JOIN_WAY,
      DEL_JOIN_WAY, "config_id");
  private static final Kind TEMPLATES = new Kind("group_welcome_templates", "template_id", ADD_TEMPLATE, EDIT_TEMPLATE,
      DEL_TEMPLATE, "template_id");

  private final Jdbi jdbi;
  private final WeComClient wecom;
  private final GroupCatalog catalog;
  private final ObjectMapper json;
  private final Clock clock;
  private final int agentId;

  GroupCodeReconciler(Jdbi jdbi, WeComClient wecom, GroupCatalog catalog, ObjectMapper json, Clock clock, int agentId) {
    this.jdbi = jdbi;
    this.wecom = wecom;
    this.catalog = catalog;
    this.json = json;
    this.clock = clock;
    this.agentId = agentId;
  }

  /** One pass over every category; a failure is logged and counted, and leaves the others to go on. */
  Report run() {
    Map<String, ObjectNode> codes = new HashMap<>();
    Map<String, ObjectNode> welcomes = new HashMap<>();
    for (Category c : catalog.categories()) {
      if (c.code() != null) {
        codes.put(c.name(), joinWay(c.code()));
      }
      if (c.welcome() != null) {
        welcomes.put(c.name(), template(c.welcome()));
      }
    }
    int[] counts = new int[5];
    reconcile(JOIN_WAYS, codes, counts);
    reconcile(TEMPLATES, welcomes, counts);
    for (String category : codes.keySet()) {
      try {
        fetchQrIfMissing(category);
      } catch (WeComApiException e) {
        counts[FAILED]++;
        log.warn("QR code of category {} not read ({}); the next start tries again", category, e.getMessage());
      }
    }
    Report report = new Report(counts[CREATED], counts[UPDATED], counts[DELETED], counts[UNCHANGED], counts[FAILED]);
    log.info("group codes and join welcomes: {} created, {} updated, {} deleted, {} unchanged, {} failed",
        report.created(), report.updated(), report.deleted(), report.unchanged(), report.failed());
    return report;
  }

  private void reconcile(Kind kind, Map<String, ObjectNode> wanted, int[] counts) {
    Map<String, String[]> stored = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT category, " + kind.idColumn() + " AS id, fingerprint FROM " + kind.table())
        .map((rs, ctx) -> new String[] {rs.getString("category"), rs.getString("id"), rs.getString("fingerprint")})
        .forEach(row -> stored.put(row[0], row)));
    for (Map.Entry<String, ObjectNode> e : wanted.entrySet()) {
      try {
        counts[reconcileOne(kind, e.getKey(), e.getValue(), stored.get(e.getKey()))]++;
      } catch (WeComApiException failure) {
        counts[FAILED]++;
        log.warn("{} for category {} not reconciled ({}); the next start tries again", kind.table(), e.getKey(),
            failure.getMessage());
      }
    }
    for (String[] row : stored.values()) {
      if (!wanted.containsKey(row[0])) {
        try {
          delete(kind, row);
          counts[DELETED]++;
        } catch (WeComApiException failure) {
          counts[FAILED]++;
          log.warn("{} of removed category {} not deleted ({}); the next start tries again", kind.table(), row[0],
              failure.getMessage());
        }
      }
    }
  }

  private static final int CREATED = 0;
  private static final int UPDATED = 1;
  private static final int DELETED = 2;
  private static final int UNCHANGED = 3;
  private static final int FAILED = 4;

  /** @return which count the category adds to */
  private int reconcileOne(Kind kind, String category, ObjectNode wanted, String[] row) throws WeComApiException {
    String fingerprint = fingerprint(wanted);
    if (row == null || row[1] == null) {
      if (!claim(kind, category, fingerprint, row != null)) {
        return UNCHANGED;
      }
      String id;
      try {
        id = wecom.post(kind.add(), wanted).path(kind.idField()).asText("");
      } catch (WeComApiException e) {
        if (e.kind() != WeComApiException.Kind.UNKNOWN_OUTCOME) {
          release(kind, category);
        }
        throw e;
      }
      if (id.isEmpty()) {
        // No id, nothing we could ever update or delete: the claim stays unfinished and is retaken later.
        throw WeComApiException.transport(kind.add(), "answer without " + kind.idField(), null);
      }
      jdbi.useHandle(h -> h.createUpdate("UPDATE " + kind.table() + " SET " + kind.idColumn() + " = :id, "
              + "fingerprint = :fp, updated_at = :now WHERE category = :c")
          .bind("id", id).bind("fp", fingerprint).bind("now", clock.millis()).bind("c", category).execute());
      return CREATED;
    }
    if (row[2].equals(fingerprint)) {
      return UNCHANGED;
    }
    wecom.post(kind.update(), wanted.deepCopy().put(kind.idField(), row[1]));
    jdbi.useHandle(h -> h.createUpdate("UPDATE " + kind.table() + " SET fingerprint = :fp, updated_at = :now"
            + (kind == JOIN_WAYS ? ", qr_code = ''" : "") + " WHERE category = :c AND fingerprint = :old")
        .bind("fp", fingerprint).bind("now", clock.millis()).bind("c", category).bind("old", row[2]).execute());
    return UPDATED;
  }

  private void delete(Kind kind, String[] row) throws WeComApiException {
    if (row[1] != null) {
      ObjectNode body = json.createObjectNode().put(kind.idField(), row[1]);
      if (kind == TEMPLATES) {
        body.put("agentid", agentId);
      }
      wecom.post(kind.delete(), body);
    }
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM " + kind.table() + " WHERE category = :c").bind("c", row[0]).execute());
  }

  /** WeCom surely made nothing (refused, busy, never reached): the next run may create at once. */
  private void release(Kind kind, String category) {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM " + kind.table() + " WHERE category = :c AND " + kind.idColumn()
        + " IS NULL").bind("c", category).execute());
  }

  /** Insert-or-ignore (or retake a row whose create never finished): true for the one node that creates. */
  private boolean claim(Kind kind, String category, String fingerprint, boolean unfinished) {
    long now = clock.millis();
    return jdbi.withHandle(h -> unfinished
        ? h.createUpdate("UPDATE " + kind.table() + " SET fingerprint = :fp, updated_at = :now WHERE category = :c "
                + "AND " + kind.idColumn() + " IS NULL AND updated_at < :stale")
            .bind("fp", fingerprint).bind("now", now).bind("c", category).bind("stale", now - 60_000).execute() == 1
        : h.createUpdate("INSERT INTO " + kind.table() + " (category, fingerprint, updated_at) VALUES (:c, :fp, :now) "
                + "ON CONFLICT (category) DO NOTHING")
            .bind("c", category).bind("fp", fingerprint).bind("now", now).execute() == 1);
  }

  /** The QR image URL comes from get_join_way (scene 2); read again after each create or update. */
  private void fetchQrIfMissing(String category) throws WeComApiException {
    Optional<String> configId = jdbi.withHandle(h -> h.createQuery(
            "SELECT config_id FROM group_join_ways WHERE category = :c AND config_id IS NOT NULL AND qr_code = ''")
        .bind("c", category).mapTo(String.class).findOne());
    if (configId.isEmpty()) {
      return;
    }
    JsonNode way = wecom.post(GET_JOIN_WAY, json.createObjectNode().put("config_id", configId.get())).path("join_way");
    String qr = way.path("qr_code").asText("");
    jdbi.useHandle(h -> h.createUpdate("UPDATE group_join_ways SET qr_code = :qr WHERE category = :c AND config_id = :id")
        .bind("qr", qr).bind("c", category).bind("id", configId.get()).execute());
  }

  private ObjectNode joinWay(Code code) {
    ObjectNode body = json.createObjectNode().put("scene", code.scene()).put("remark", code.remark())
        .put("auto_create_room", code.autoCreateRoom() ? 1 : 0);
    if (code.autoCreateRoom()) {
      body.put("room_base_name", code.roomBaseName()).put("room_base_id", code.roomBaseId());
    }
    code.chatIds().forEach(id -> body.withArray("chat_id_list").add(id));
    if (!code.state().isEmpty()) {
      body.put("state", code.state());
    }
    return body;
  }

  private ObjectNode template(Welcome welcome) {
    ObjectNode body = json.createObjectNode();
    body.putObject("text").put("content", welcome.text());
    Attachment a = welcome.attachment();
    if (a != null && "link".equals(a.type())) {
      ObjectNode link = body.putObject("link").put("title", a.title()).put("url", a.url());
      if (a.picUrl() != null) {
        link.put("picurl", a.picUrl());
      }
      if (a.desc() != null) {
        link.put("desc", a.desc());
      }
    } else if (a != null && "image".equals(a.type())) {
      ObjectNode image = body.putObject("image");
      if (a.mediaId() != null && !a.mediaId().isBlank()) {
        image.put("media_id", a.mediaId());
      } else {
        image.put("pic_url", a.picUrl());
      }
    }
    body.put("notify", 1);
    return body;
  }

  private static String fingerprint(JsonNode body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(body.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The group code's QR image URL per category (console, placeholders). */
  Map<String, String> qrCodes() {
    Map<String, String> qr = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT category, qr_code FROM group_join_ways WHERE qr_code <> ''")
        .map((rs, ctx) -> List.of(rs.getString("category"), rs.getString("qr_code")))
        .forEach(r -> qr.put(r.get(0), r.get(1))));
    return qr;
  }
}
