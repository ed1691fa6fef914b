package app.liuliang.sop;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SopReloadIT {

  private TestServer server;

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
  }

  private long count(String sql) {
    return server.wiring().foundation().database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  @Test
  void itemsDueWithinTheGraceWindowAreSentOnStartAndOlderOnesAreMissed() throws Exception {
    server = TestServer.builder().weekPlan("2026-W48").clock(new MutableClock(SopFixture.shanghai("2026-11-23T11:55"))).start();

    TestServer.awaitUntil(() -> server.wecom().countRequestsMatching(
        postRequestedFor(urlPathEqualTo("/cgi-bin/externalcontact/add_msg_template")).build()).getCount() == 1);
    server.wecom().verify(postRequestedFor(urlPathEqualTo("/cgi-bin/externalcontact/add_msg_template"))
        .withRequestBody(containing("\"chat_type\":\"group\"")).withRequestBody(containing("\"sender\":\"assistant-lily\"")));
    TestServer.awaitUntil(() -> count("SELECT COUNT(*) FROM sop_items WHERE week = '2026-W48' AND status = 'missed'") == 1);
    assertThat(count("SELECT COUNT(*) FROM sop_items WHERE week = '2026-W48' AND item_id = 'mon-knowledge-brushing' "
        + "AND status = 'missed'")).as("09:30 is more than 2 h before 11:55").isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM sop_items WHERE week = '2026-W48' AND status = 'scheduled'")).isEqualTo(14);

    server.restart();
    assertThat(server.wecom().countRequestsMatching(
        postRequestedFor(urlPathEqualTo("/cgi-bin/externalcontact/add_msg_template")).build()).getCount())
        .as("a restart sends nothing twice").isEqualTo(1);
  }

  @Test
  void reloadEndpointNeedsTheAdminTokenAndReportsWhatChanged() throws Exception {
    server = TestServer.builder().weekPlan("2026-W48").clock(new MutableClock(SopFixture.shanghai("2026-11-23T08:00"))).start();
    assertThat(server.post("/api/sop/reload", "").statusCode()).isEqualTo(401);

    Path week = server.configDir().resolve("sop/2026-W48.yaml");
    Files.writeString(week, Files.readString(week) + """
          - id: sun-extra
            day: sun
            at: "21:00"
            text: 晚安～
        """);
    var ok = server.post("/api/sop/reload", "", TestServer.admin());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("\"plan\":\"2026-W48\"").contains("\"added\":1");

    Files.writeString(week, Files.readString(week).replace("day: sun\n    at: \"21:00\"", "day: sun\n    at: \"25:00\""));
    var bad = server.post("/api/sop/reload", "", TestServer.admin());
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(bad.body()).contains("time must be HH:mm");
    assertThat(count("SELECT COUNT(*) FROM sop_items WHERE item_id = 'sun-extra' AND status = 'scheduled'")).isEqualTo(1);
    TestServer.awaitUntil(() -> server.wecom().countRequestsMatching(postRequestedFor(urlPathEqualTo("/cgi-bin/message/send"))
        .withRequestBody(containing("admin-zhang")).build()).getCount() == 1);
  }

  @Test
  void everyInvalidFileOnDiskIsReportedOnEachReloadAndEachDistinctProblemToldOnce() throws Exception {
    server = TestServer.builder().weekPlan("2026-W48").clock(new MutableClock(SopFixture.shanghai("2026-11-23T08:00"))).start();
    Path week = server.configDir().resolve("sop/2026-W48.yaml");
    Path nextWeek = server.configDir().resolve("sop/2026-W49.yaml");
    String good = Files.readString(week);
    Files.writeString(week, good.replaceFirst("at: \"(\\d\\d:\\d\\d)\"", "at: \"25:00\""));
    Files.writeString(nextWeek, "week: 2026-W49\nitems:\n  - id: x\n    day: someday\n");

    var first = server.post("/api/sop/reload", "", TestServer.admin());
    // Seen already (as the watcher would have): still reported, both files, with their problems.
    var again = server.post("/api/sop/reload", "", TestServer.admin());

    for (var reply : List.of(first, again)) {
      assertThat(reply.statusCode()).isEqualTo(422);
      assertThat(reply.body()).contains("\"ok\":false").contains("2026-W48.yaml").contains("2026-W49.yaml")
          .contains("time must be HH:mm");
    }
    TestServer.awaitUntil(() -> adminAlerts() == 2);

    // A different broken version of the same file is a new problem: told again. The same one is not.
    Files.writeString(nextWeek, "week: 2026-W49\nitems:\n  - id: y\n    day: otherday\n");
    server.post("/api/sop/reload", "", TestServer.admin());
    TestServer.awaitUntil(() -> adminAlerts() == 3);
    server.post("/api/sop/reload", "", TestServer.admin());
    assertThat(count("SELECT COUNT(*) FROM outbox WHERE purpose = 'sop.admin'")).isEqualTo(3);

    Files.writeString(week, good);
    Files.delete(nextWeek);
    var fixed = server.post("/api/sop/reload", "", TestServer.admin());
    assertThat(fixed.statusCode()).isEqualTo(200);
    assertThat(fixed.body()).contains("\"ok\":true");
  }

  private long adminAlerts() {
    return server.wecom().countRequestsMatching(postRequestedFor(urlPathEqualTo("/cgi-bin/message/send"))
        .withRequestBody(containing("SOP")).build()).getCount();
  }
}
