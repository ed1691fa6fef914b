package app.liuliang.contact;

import static app.liuliang.contact.PatientFixture.ids;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** New patients end to end: signed callbacks in, WireMock as WeCom, the real store. */
class NewPatientsIT {

  private static TestServer start() throws Exception {
    TestServer server = TestServer.builder().start();
    PatientFixture.stubTags(server.wecom());
    return server;
  }

  @Test
  void everyChannelGetsItsOwnTemplateWithTheNameFilled() throws Exception {
    try (TestServer server = start()) {
      PatientFixture given = new PatientFixture(server);
      Map<String, String> expected = new LinkedHashMap<>();
      expected.put("meituan", "meituan-assistant");
      expected.put("dp", "dianping-assistant");
      expected.put("douyin", "douyin-assistant");
      expected.put("yizhen", "free-clinic-assistant");
      expected.put("frontdesk", "front-desk-assistant");
      expected.put("ref:NOSUCH", "referral-assistant");
      expected.put("", "default-assistant");
      int n = 0;
      for (String state : expected.keySet()) {
        n++;
        given.contact("wmCh" + n, "患者" + n, "assistant-lily", state);
        given.adds("wmCh" + n, "assistant-lily", state, "CODE-CH-" + n);
      }
      n = 0;
      for (Map.Entry<String, String> e : expected.entrySet()) {
        n++;
        JsonNode welcome = given.awaitWelcome("CODE-CH-" + n);
        assertThat(welcome.path("text").path("content").asText()).startsWith("患者" + n + "您好").contains("我是小美");
        assertThat(welcome.path("attachments").size()).isBetween(1, 9);
        assertThat(given.value("SELECT template_id FROM welcomes WHERE welcome_code = ?", "CODE-CH-" + n))
            .as("state %s", e.getKey()).isEqualTo(e.getValue());
      }
      given.awaitQuiet();
      assertThat(given.rows("SELECT DISTINCT template_id FROM welcomes")).hasSize(7);
      assertThat(ids(given.markTags("wmCh1").get(0).path("add_tag"))).containsExactly("tag-来源-美团", "tag-分层-陌生");
      assertThat(ids(given.markTags("wmCh7").get(0).path("add_tag"))).containsExactly("tag-来源-未知", "tag-分层-陌生");
      assertThat(given.value("SELECT channel FROM contacts WHERE external_userid = 'wmCh6'")).isEqualTo("referral");
    }
  }

  @Test
  void aMiniProgramCoverIsUploadedOnceAndAgainBeforeItsMediaIdExpires() throws Exception {
    try (TestServer server = start()) {
      PatientFixture given = new PatientFixture(server);
      server.wecom().stubFor(post(urlPathEqualTo("/cgi-bin/media/upload")).atPriority(1)
          .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"type\":\"image\","
              + "\"media_id\":\"MEDIA-COVER\",\"created_at\":\"1700000000\"}")));
      for (int n = 1; n <= 2; n++) {
        given.contact("wmMini" + n, "患者" + n, "assistant-lily", "yizhen");
        given.adds("wmMini" + n, "assistant-lily", "yizhen", "CODE-MINI-" + n);
      }

      for (int n = 1; n <= 2; n++) {
        JsonNode card = given.awaitWelcome("CODE-MINI-" + n).path("attachments").get(1);
        assertThat(card.path("msgtype").asText()).isEqualTo("miniprogram");
        assertThat(card.path("miniprogram").path("pic_media_id").asText()).isEqualTo("MEDIA-COVER");
        assertThat(card.path("miniprogram").path("appid").asText()).isEqualTo("wxd0e1a2b3c4d5e6f7");
      }
      assertThat(uploads(server)).as("one upload serves every welcome").isEqualTo(1);

      server.clock().advance(WelcomeCovers.REUSE_FOR.plusMinutes(1));
      given.contact("wmMini3", "患者3", "assistant-lily", "yizhen");
      given.adds("wmMini3", "assistant-lily", "yizhen", "CODE-MINI-3");
      given.awaitWelcome("CODE-MINI-3");
      assertThat(uploads(server)).as("a media id lives 3 days: uploaded again after 2").isEqualTo(2);
    }
  }

  @Test
  void aCoverThatCannotBeUploadedLeavesOnlyTheCardOut() throws Exception {
    try (TestServer server = start()) {
      PatientFixture given = new PatientFixture(server);
      server.wecom().stubFor(post(urlPathEqualTo("/cgi-bin/media/upload")).atPriority(1)
          .willReturn(aResponse().withStatus(503)));
      given.contact("wmNoCover", "周敏", "assistant-lily", "yizhen");

      given.adds("wmNoCover", "assistant-lily", "yizhen", "CODE-NOCOVER");

      JsonNode welcome = given.awaitWelcome("CODE-NOCOVER");
      assertThat(welcome.path("text").path("content").asText()).startsWith("周敏您好，谢谢您参加我们的社区义诊");
      assertThat(welcome.path("attachments")).hasSize(1);
      assertThat(welcome.path("attachments").get(0).path("msgtype").asText()).isEqualTo("link");
    }
  }

  @Test
  void whileCoversCannotBeUploadedWelcomesDoNotWaitForAnotherTry() throws Exception {
    try (TestServer server = start()) {
      PatientFixture given = new PatientFixture(server);
      server.wecom().stubFor(post(urlPathEqualTo("/cgi-bin/media/upload")).atPriority(1)
          .willReturn(aResponse().withStatus(503)));
      for (int n = 1; n <= 3; n++) {
        given.contact("wmDown" + n, "患者" + n, "assistant-lily", "yizhen");
        given.adds("wmDown" + n, "assistant-lily", "yizhen", "CODE-DOWN-" + n);
        assertThat(given.awaitWelcome("CODE-DOWN-" + n).path("attachments")).hasSize(1);
      }
      assertThat(uploads(server)).as("one failed try, then none for a minute").isEqualTo(1);

      server.clock().advance(WelcomeCovers.RETRY_AFTER.plusSeconds(1));
      given.contact("wmDown4", "患者4", "assistant-lily", "yizhen");
      given.adds("wmDown4", "assistant-lily", "yizhen", "CODE-DOWN-4");
      given.awaitWelcome("CODE-DOWN-4");
      assertThat(uploads(server)).isEqualTo(2);
    }
  }

  private static int uploads(TestServer server) {
    return server.wecom().countRequestsMatching(postRequestedFor(urlPathEqualTo("/cgi-bin/media/upload")).build()).getCount();
  }

  @Test
  void doctorAndAssistantSpeakDifferently() throws Exception {
    try (TestServer server = start()) {
      PatientFixture given = new PatientFixture(server);
      given.contact("wmDoc", "李娜", "dr-chen", "douyin");
      given.contact("wmAsst", "李娜", "assistant-lily", "douyin");

      given.adds("wmDoc", "dr-chen", "douyin", "CODE-DOC");
      given.adds("wmAsst", "assistant-lily", "douyin", "CODE-ASST");

      String doctor = given.awaitWelcome("CODE-DOC").path("text").path("content").asText();
      String assistant = given.awaitWelcome("CODE-ASST").path("text").path("content").asText();
      assertThat(doctor).startsWith("李娜您好，我是陈医生，副主任医师 · 正畸/种植").contains("周二至周日 09:30-18:00");
      assertThat(assistant).startsWith("李娜您好～看到您是从抖音过来的").contains("我是小美");
      assertThat(doctor).isNotEqualTo(assistant);
    }
  }

  @Test
  void patientWithoutANameIsGreetedNaturally() throws Exception {
    try (TestServer server = start()) {
      PatientFixture given = new PatientFixture(server);
      given.contact("wmNoName", "", "assistant-lily", "meituan");

      given.adds("wmNoName", "assistant-lily", "meituan", "CODE-NN");

      String text = given.awaitWelcome("CODE-NN").path("text").path("content").asText();
      assertThat(text).startsWith("您好～感谢您在美团上选择我们").doesNotContain("{name}").doesNotContain("null");
    }
  }

  @Test
  void unknownStateIsStillWelcomedAndTaggedUnknown() throws Exception {
    try (TestServer server = start()) {
      PatientFixture given = new PatientFixture(server);
      given.contact("wmOdd", "王芳", "dr-wang", "poster-2026");

      given.adds("wmOdd", "dr-wang", "poster-2026", "CODE-ODD");

      assertThat(given.awaitWelcome("CODE-ODD").path("text").path("content").asText()).startsWith("王芳您好，我是王医生");
      given.awaitQuiet();
      assertThat(given.value("SELECT channel FROM contacts WHERE external_userid = 'wmOdd'")).isEqualTo("unknown");
      assertThat(given.value("SELECT template_id FROM welcomes WHERE welcome_code = 'CODE-ODD'")).isEqualTo("default-doctor");
      assertThat(ids(given.markTags("wmOdd").get(0).path("add_tag"))).contains("tag-来源-未知");
    }
  }

  @Test
  void usedWelcomeCodeIsRecordedAndTheFallbackQueued() throws Exception {
    try (TestServer server = start()) {
      PatientFixture given = new PatientFixture(server);
      server.wecom().stubFor(post(urlPathEqualTo(PatientFixture.WELCOME)).atPriority(1)
          .willReturn(TestServer.errcode(41051, "externaluser has started chatting")));
      given.contact("wmUsed", "赵敏", "assistant-lily", "meituan");

      given.adds("wmUsed", "assistant-lily", "meituan", "CODE-USED");

      TestServer.awaitUntil(() -> !given.sent("/cgi-bin/externalcontact/add_msg_template").isEmpty());
      JsonNode fallback = given.sent("/cgi-bin/externalcontact/add_msg_template").get(0);
      assertThat(fallback.path("sender").asText()).isEqualTo("assistant-lily");
      assertThat(ids(fallback.path("external_userid"))).containsExactly("wmUsed");
      assertThat(fallback.path("text").path("content").asText()).startsWith("赵敏您好，我是小美");
      assertThat(given.rows("SELECT status, errcode, fallback FROM welcomes WHERE welcome_code = 'CODE-USED'"))
          .singleElement().satisfies(row -> {
            assertThat(row.get("status")).isEqualTo("used");
            assertThat(((Number) row.get("errcode")).intValue()).isEqualTo(41051);
            assertThat(((Number) row.get("fallback")).intValue()).isEqualTo(1);
          });
    }
  }

  @Test
  void weComDownFor30SecondsSendsNoLateWelcomeButTheTagLands() throws Exception {
    try (TestServer server = start()) {
      PatientFixture given = new PatientFixture(server);
      given.contact("wmOutage", "孙丽", "assistant-lily", "meituan");
      // Tag ids known before the outage (synced at start in real life).
      given.feature().tagger().ready();
      StubMapping down = server.wecom().stubFor(any(urlPathMatching("/cgi-bin/externalcontact/.*")).atPriority(0)
          .willReturn(aResponse().withStatus(503)));

      given.adds("wmOutage", "assistant-lily", "meituan", "CODE-OUT");
      TestServer.awaitUntil(() -> attempts(given, "welcome:wmOutage:%") >= 1 && attempts(given, "tag:new:wmOutage%") >= 1);
      server.clock().advance(Duration.ofSeconds(10));
      TestServer.awaitUntil(() -> attempts(given, "welcome:wmOutage:%") >= 2);
      int welcomeCallsWhileDown = given.welcomesSent("CODE-OUT");

      server.wecom().removeStub(down);
      server.clock().advance(Duration.ofSeconds(25));

      TestServer.awaitUntil(() -> "sent".equals(status(given, "tag:new:wmOutage%")));
      TestServer.awaitUntil(() -> given.sent("/cgi-bin/externalcontact/add_msg_template").size() == 1);
      given.awaitQuiet();
      assertThat(status(given, "welcome:wmOutage:%")).isEqualTo("expired");
      assertThat(given.welcomesSent("CODE-OUT")).isEqualTo(welcomeCallsWhileDown);
      assertThat(server.wecom().countRequestsMatching(postRequestedFor(urlPathEqualTo(PatientFixture.WELCOME))
          .withRequestBody(matchingJsonPath("$.welcome_code", equalTo("CODE-OUT"))).build()).getCount())
          .isEqualTo(welcomeCallsWhileDown);
      assertThat(given.value("SELECT status FROM welcomes WHERE welcome_code = 'CODE-OUT'")).isEqualTo("expired");
      assertThat(ids(given.markTags("wmOutage").get(given.markTags("wmOutage").size() - 1).path("add_tag")))
          .containsExactly("tag-来源-美团", "tag-分层-陌生");
      assertThat(given.sent("/cgi-bin/externalcontact/add_msg_template")).hasSize(1);
    }
  }

  /** Attempts that failed and were rescheduled (a claimed row counts its attempt before it is sent). */
  private static int attempts(PatientFixture given, String keyPattern) {
    Object n = given.value("SELECT MAX(attempts) FROM outbox WHERE idem_key LIKE ? AND status = 'pending' "
        + "AND last_error IS NOT NULL", keyPattern);
    return n == null ? 0 : ((Number) n).intValue();
  }

  private static String status(PatientFixture given, String keyPattern) {
    return (String) given.value("SELECT status FROM outbox WHERE idem_key LIKE ?", keyPattern);
  }

  @Test
  void duplicateAddEventSendsOneWelcome() throws Exception {
    try (TestServer server = start()) {
      PatientFixture given = new PatientFixture(server);
      given.contact("wmDup", "周杰", "assistant-lily", "meituan");

      given.adds("wmDup", "assistant-lily", "meituan", "CODE-DUP");
      server.clock().advance(Duration.ofSeconds(1));
      given.adds("wmDup", "assistant-lily", "meituan", "CODE-DUP");

      given.awaitWelcome("CODE-DUP");
      TestServer.awaitUntil(() -> ((Number) given.value("SELECT COUNT(*) FROM inbox WHERE status = 'done'")).intValue() == 2);
      given.awaitQuiet();
      assertThat(given.welcomesSent("CODE-DUP")).isEqualTo(1);
      assertThat(given.markTags("wmDup")).hasSize(1);
    }
  }

  @Test
  void tagsAreCreatedInWeComAtStartWithoutDeletingStaffTags() throws Exception {
    WireMockServer wecom = TestServer.startWeCom();
    try {
      PatientFixture.stubTags(wecom);
      wecom.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/get_corp_tag_list")).atPriority(1)
          .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(
              "{\"errcode\":0,\"errmsg\":\"ok\",\"tag_group\":[{\"group_id\":\"g1\",\"group_name\":\"来源渠道\",\"tag\":["
                  + "{\"id\":\"et-meituan\",\"name\":\"来源-美团\"},{\"id\":\"et-staff\",\"name\":\"员工自建\"}]}]}")));
      try (TestServer server = TestServer.builder().wecom(wecom).start()) {
        PatientFixture given = new PatientFixture(server);
        // One call per tag group of the shipped tags.yaml (来源渠道, 需求, 客户分层, 行为, 客户群).
        TestServer.awaitUntil(() -> given.sent("/cgi-bin/externalcontact/add_corp_tag").size() == 5);

        JsonNode sources = given.sent("/cgi-bin/externalcontact/add_corp_tag").get(0);
        assertThat(sources.path("group_name").asText()).isEqualTo("来源渠道");
        assertThat(sources.path("tag").findValuesAsText("name")).doesNotContain("来源-美团").contains("来源-老带新");
        assertThat(given.sent("/cgi-bin/externalcontact/del_corp_tag")).isEmpty();
        assertThat(given.value("SELECT tag_id FROM corp_tags WHERE tag_name = '来源-美团'")).isEqualTo("et-meituan");
        assertThat(given.value("SELECT tag_id FROM corp_tags WHERE tag_name = '员工自建'")).isEqualTo("et-staff");
        assertThat(given.value("SELECT tag_id FROM corp_tags WHERE tag_name = '分层-复购'")).isEqualTo("tag-分层-复购");
      }
    } finally {
      wecom.stop();
    }
  }

  @Test
  void tagSyncFailingAtStartHoldsUpNoWelcomeAndTheTagsFollow() throws Exception {
    WireMockServer wecom = TestServer.startWeCom();
    try {
      PatientFixture.stubTags(wecom);
      StubMapping down = wecom.stubFor(any(urlPathMatching("/cgi-bin/externalcontact/(get_corp_tag_list|add_corp_tag)"))
          .atPriority(0).willReturn(aResponse().withStatus(503)));
      try (TestServer server = TestServer.builder().wecom(wecom).start()) {
        PatientFixture given = new PatientFixture(server);
        given.contact("wmEarly", "钱多", "assistant-lily", "dianping");

        given.adds("wmEarly", "assistant-lily", "dianping", "CODE-EARLY");

        assertThat(given.awaitWelcome("CODE-EARLY").path("text").path("content").asText()).startsWith("钱多您好");
        TestServer.awaitUntil(() -> given.value("SELECT last_error FROM inbox WHERE last_error IS NOT NULL") != null);
        assertThat(given.markTags("wmEarly")).isEmpty();
        wecom.removeStub(down);
        server.clock().advance(Duration.ofSeconds(61));
        TestServer.awaitUntil(() -> !given.markTags("wmEarly").isEmpty());
        assertThat(ids(given.markTags("wmEarly").get(0).path("add_tag"))).containsExactly("tag-来源-大众点评", "tag-分层-陌生");
        assertThat(given.welcomesSent("CODE-EARLY")).isEqualTo(1);
      }
    } finally {
      wecom.stop();
    }
  }
}
