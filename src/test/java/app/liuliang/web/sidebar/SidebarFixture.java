package app.liuliang.web.sidebar;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import app.liuliang.sandbox.SidebarStubs;
import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.jdbi.v3.core.Jdbi;

/**
 * A server whose sidebar signs in through WireMock's OAuth2 page and loads a recording stub of the
 * JS-SDK from WireMock; patients and groups seeded with plain SQL, as their features write them.
 */
final class SidebarFixture implements AutoCloseable {

  /** Wednesday 2026-11-25, 12:00 in Shanghai: every doctor is at work. */
  static final Instant NOON = Instant.parse("2026-11-25T04:00:00Z");
  static final String VERIFY_FILE = "WW_verify_Ab12Cd34Ef56Gh78.txt";

  final WireMockServer wecom;
  final TestServer server;
  final Jdbi jdbi;

  SidebarFixture() throws Exception {
    wecom = TestServer.startWeCom();
    SidebarStubs.install(wecom);
    Path config = TestServer.copyConfig(Path.of("config"));
    String fake = "http://127.0.0.1:" + wecom.port();
    Files.writeString(config.resolve("sidebar.yaml"), "sdk_url: " + fake + "/stub/ww.js\n"
        + "authorize_url: " + fake + SidebarStubs.AUTHORIZE_PATH + "\nverify_file: " + VERIFY_FILE + "\n");
    Files.writeString(config.resolve(VERIFY_FILE), "Ab12Cd34Ef56Gh78");
    server = TestServer.builder().configDir(config).wecom(wecom).without("sop", "campaigns").clock(new MutableClock(NOON)).start();
    jdbi = server.wiring().foundation().database().jdbi();
  }

  /** The next sign-in comes back as this staff member. */
  SidebarFixture signInAs(String userId) {
    SidebarStubs.signInAs(wecom, userId);
    return this;
  }

  /** The sidebar opens beside this chat: {@code single_chat_tools} with a patient, or {@code group_chat_tools}. */
  SidebarFixture chat(String entry, String externalUserId, String chatId) throws IOException {
    String script;
    try (InputStream in = SidebarFixture.class.getResourceAsStream("/web/sidebar/ww-stub.js")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    script = script.replace("__ENTRY__", entry).replace("__CONTACT__", externalUserId == null ? "" : externalUserId)
        .replace("__CHAT__", chatId == null ? "" : chatId);
    wecom.stubFor(get(urlPathEqualTo("/stub/ww.js")).atPriority(1).willReturn(aResponse()
        .withHeader("Content-Type", "text/javascript; charset=utf-8").withHeader("Cache-Control", "no-store")
        .withBody(script)));
    return this;
  }

  SidebarFixture patient(String id, String name, String channel, String layer, String... followers) {
    long now = server.clock().millis();
    jdbi.useHandle(h -> {
      h.execute("INSERT INTO contacts (external_userid, name, channel, layer, status, added_at, updated_at) "
          + "VALUES (?, ?, ?, ?, 'active', ?, ?)", id, name, channel, layer, now, now);
      for (String follower : followers) {
        h.execute("INSERT INTO contact_follows (external_userid, userid, added_at) VALUES (?, ?, ?)", id, follower, now);
      }
    });
    return this;
  }

  SidebarFixture message(String id, String direction, String text, long at) {
    jdbi.useHandle(h -> h.execute("INSERT INTO messages (msgid, external_userid, open_kfid, direction, msgtype, content, at, "
        + "handled_at) VALUES (?, ?, 'wkKF', ?, 'text', ?, ?, ?)", "m-" + id + "-" + at, id, direction, text, at, at));
    return this;
  }

  SidebarFixture group(String chatId, String name, String category, String owner, String... patients) {
    long now = server.clock().millis();
    jdbi.useHandle(h -> {
      h.execute("INSERT INTO group_chats (chat_id, name, owner, category, updated_at) VALUES (?, ?, ?, ?, ?)",
          chatId, name, owner, category, now);
      h.execute("INSERT INTO group_members (chat_id, member_id, type, join_time) VALUES (?, ?, 1, ?)", chatId, owner, now);
      for (String patient : patients) {
        h.execute("INSERT INTO group_members (chat_id, member_id, type, join_time) VALUES (?, ?, 2, ?)", chatId, patient, now);
      }
    });
    return this;
  }

  long count(String sql, Object... args) {
    return ((Number) server.rows(sql, args).get(0).values().iterator().next()).longValue();
  }

  /** WeCom's algorithm, written out here so the test does not check the server against itself. */
  static String sha1(String ticket, String nonce, long timestamp, String url) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-1").digest(("jsapi_ticket=" + ticket + "&noncestr=" + nonce
        + "&timestamp=" + timestamp + "&url=" + url).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest);
  }

  @Override
  public void close() {
    server.close();
    wecom.stop();
  }
}
