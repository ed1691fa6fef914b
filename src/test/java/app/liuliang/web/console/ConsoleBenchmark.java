package app.liuliang.web.console;

import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Console and metrics latency on a clinic-sized store (not a test: run it with
 * {@code scripts/bench-console.sh}). Prints median and p99 per page over real HTTP.
 */
public final class ConsoleBenchmark {

  private static final int CONTACTS = 30_000;
  /** Ten a patient on average, skewed: every 100th patient has 500 (a long chat on the detail page). */
  private static final int MESSAGES = 300_000;
  private static final int TAGS = 30_000;
  private static final int REFERRALS = 5_000;
  private static final int LAYER_CHANGES = 30_000;
  private static final int SOP_ITEMS = 400;
  private static final int HANDOFFS = 2_000;
  private static final int OUTBOX = 20_000;
  private static final int INBOX = 50_000;

  private ConsoleBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    try (TestServer server = TestServer.builder().clock(new MutableClock(ConsolePagesIT.NOON)).start()) {
      long seedStart = System.nanoTime();
      seed(server.wiring().foundation().database().jdbi(), server.clock().millis());
      System.out.printf("seeded %d contacts, %d messages, %d tags, %d referrals, %d layer changes, %d SOP items, "
          + "%d hand-offs, %d outbox, %d inbox rows in %d ms%n", CONTACTS, MESSAGES, TAGS, REFERRALS, LAYER_CHANGES,
          SOP_ITEMS, HANDOFFS, OUTBOX, INBOX,
          (System.nanoTime() - seedStart) / 1_000_000);
      List<String> paths = List.of("/admin", "/admin/week", "/admin/layers", "/admin/referrals", "/admin/handoffs",
          "/admin/outbox", "/admin/api/today", "/metrics", "/ready",
          // The patient list and search: first page, a name, a phone, a referral code, filters, a deep page.
          "/admin/patients", "/admin/patients?q=" + enc("患者12345"), "/admin/patients?q=1380012",
          "/admin/patients?q=R12345", "/admin/patients?q=" + enc("无此人"), "/admin/patients?layer=intent&channel=meituan",
          "/admin/patients?tag=" + enc("需求-种植"), "/admin/patients?doctor=dr-chen&opted_out=0",
          "/admin/patients?sort=name&page=300",
          // A patient's page: a usual one (10 messages), one with a long chat (100 messages), the hand-off desk.
          "/admin/patients/wm12345", "/admin/patients/wm1200", "/admin/handoffs/1");
      System.out.printf("%-48s %10s %10s  (%d requests each, after 20 warm-up)%n", "path", "median ms", "p99 ms", rounds);
      for (String path : paths) {
        for (int i = 0; i < 20; i++) {
          fetch(server, path);
        }
        long[] micros = new long[rounds];
        for (int i = 0; i < rounds; i++) {
          long start = System.nanoTime();
          fetch(server, path);
          micros[i] = (System.nanoTime() - start) / 1_000;
        }
        Arrays.sort(micros);
        System.out.printf("%-48s %10.1f %10.1f%n", path, micros[rounds / 2] / 1000.0,
            micros[Math.min(rounds - 1, (int) Math.ceil(rounds * 0.99) - 1)] / 1000.0);
      }
    }
  }

  private static String enc(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void fetch(TestServer server, String path) throws Exception {
    HttpResponse<String> reply = server.get(path, TestServer.admin());
    if (reply.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + reply.statusCode());
    }
  }

  private static void seed(Jdbi jdbi, long now) {
    String[] layers = {"stranger", "potential", "intent", "ordered", "repeat", "super"};
    String[] channels = {"meituan", "dianping", "douyin", "free_clinic", "front_desk", "referral", "unknown"};
    jdbi.useTransaction(h -> {
      PreparedBatch contacts = h.prepareBatch("INSERT INTO contacts (external_userid, name, phone, channel, store, layer, "
          + "referral_code, opted_out, status, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)");
      for (int i = 0; i < CONTACTS; i++) {
        contacts.add("wm" + i, "患者" + i, String.format("138%08d", i), channels[i % channels.length],
            i % 3 == 0 ? "east" : "main", layers[i % layers.length], "R" + i, i % 40 == 0 ? 1 : 0, now - i * 60_000L,
            now - i * 60_000L);
      }
      contacts.execute();
      PreparedBatch follows = h.prepareBatch("INSERT INTO contact_follows (external_userid, userid, added_at) VALUES (?, ?, ?)");
      String[] staff = {"assistant-lily", "dr-wang", "dr-chen"};
      for (int i = 0; i < CONTACTS; i++) {
        follows.add("wm" + i, staff[i % staff.length], now - i * 60_000L);
      }
      follows.execute();
      PreparedBatch tags = h.prepareBatch("INSERT INTO contact_tags (external_userid, tag_name, source, added_at) "
          + "VALUES (?, ?, 'intent', ?)");
      String[] tagNames = {"需求-种植", "需求-正畸", "需求-美白", "需求-洁牙", "需求-儿牙"};
      for (int i = 0; i < TAGS; i++) {
        tags.add("wm" + i, tagNames[i % tagNames.length], now - i * 1000L);
      }
      tags.execute();
      String insertMessage = "INSERT INTO messages (msgid, external_userid, open_kfid, direction, msgtype, "
          + "content, at, handled_at) VALUES (?, ?, 'wkKF', ?, 'text', '医生您好，我想问一下种植牙大概多少钱，需要做几次？', ?, ?)";
      PreparedBatch messages = h.prepareBatch(insertMessage);
      for (int i = 0; i < MESSAGES; i++) {
        if (i > 0 && i % 20_000 == 0) {
          // In slices: a 300,000-row batch would not fit the benchmark's heap.
          messages.execute();
          messages = h.prepareBatch(insertMessage);
        }
        // Half the messages go to every 100th patient (500 each); the rest spread over everyone.
        String patient = i % 2 == 0 ? "wm" + ((i / 2) % (CONTACTS / 100)) * 100 : "wm" + (i % CONTACTS);
        long at = now - i * 5_000L;
        messages.add("bench-m" + i, patient, i % 3 == 0 ? "out" : "in", at, at);
      }
      messages.execute();
      PreparedBatch referrals = h.prepareBatch("INSERT INTO referrals (referee_external_userid, referrer_external_userid, "
          + "code, created_at) VALUES (?, ?, 'C', ?)");
      for (int i = 0; i < REFERRALS; i++) {
        // A long tail: a few referrers bring many.
        referrals.add("wm" + (CONTACTS - 1 - i), "wm" + (i % (1 + i % 300)), now - i * 1000L);
      }
      referrals.execute();
      PreparedBatch changes = h.prepareBatch("INSERT INTO layer_changes (external_userid, from_layer, to_layer, reason, at) "
          + "VALUES (?, ?, ?, 'bench', ?)");
      for (int i = 0; i < LAYER_CHANGES; i++) {
        int step = i % 5;
        changes.add("wm" + (i % CONTACTS), layers[step], layers[step + 1], now - i * 1000L);
      }
      changes.execute();
      PreparedBatch items = h.prepareBatch("INSERT INTO sop_items (week, item_id, kind, due_at, audience, text_preview, "
          + "status, updated_at) VALUES ('2026-W48', ?, 'moment', ?, 'all', '冬季护牙小贴士：每天两次巴氏刷牙法', ?, ?)");
      String[] statuses = {"scheduled", "sent", "confirmed", "failed", "missed"};
      for (int i = 0; i < SOP_ITEMS; i++) {
        long due = now - 2 * 86_400_000L + i * 3_000_000L;
        items.add("item-" + i, due, statuses[i % statuses.length], due);
      }
      items.execute();
      PreparedBatch handoffs = h.prepareBatch("INSERT INTO handoffs (external_userid, doctor_userid, state, reason, "
          + "opened_at, closed_at) VALUES (?, 'dr-wang', ?, 'price', ?, ?)");
      for (int i = 0; i < HANDOFFS; i++) {
        boolean open = i % 20 == 0;
        handoffs.add("wm" + i, open ? "notified" : "closed", now - i * 600_000L, open ? null : now - i * 600_000L + 60_000L);
      }
      handoffs.execute();
      PreparedBatch outbox = h.prepareBatch("INSERT INTO outbox (idem_key, purpose, api, body, external_userid, "
          + "patient_facing, resend_safe, created_at, not_before, deadline, status, attempts, next_attempt_at, errcode) "
          + "VALUES (?, 'welcome', '/cgi-bin/externalcontact/send_welcome_msg', '{}', ?, 1, 1, ?, ?, ?, ?, 1, ?, ?)");
      for (int i = 0; i < OUTBOX; i++) {
        boolean failed = i % 50 == 0;
        long at = now - i * 60_000L;
        outbox.add("bench:" + i, "wm" + (i % CONTACTS), at, at, at, failed ? "failed" : "sent", at, failed ? 41051 : null);
      }
      outbox.execute();
      PreparedBatch inbox = h.prepareBatch("INSERT INTO inbox (event_key, kind, payload, received_at, status, attempts, "
          + "next_attempt_at, done_at) VALUES (?, 'event/change_external_contact/add_external_contact', '{}', ?, 'done', 1, ?, ?)");
      for (int i = 0; i < INBOX; i++) {
        long at = now - i * 20_000L;
        inbox.add("bench:" + i, at, at, at);
      }
      inbox.execute();
    });
  }
}
