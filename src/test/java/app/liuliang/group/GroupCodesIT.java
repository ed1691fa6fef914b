package app.liuliang.group;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Group codes and join welcomes reconciled from groups.yaml: create, no-op on restart, update, delete. */
class GroupCodesIT {

  private static final String BASE = "/cgi-bin/externalcontact/";
  private static final String ADD_WAY = BASE + "groupchat/add_join_way";
  private static final String GET_WAY = BASE + "groupchat/get_join_way";
  private static final String UPDATE_WAY = BASE + "groupchat/update_join_way";
  private static final String DEL_WAY = BASE + "groupchat/del_join_way";
  private static final String ADD_TPL = BASE + "group_welcome_template/add";
  private static final String EDIT_TPL = BASE + "group_welcome_template/edit";
  private static final String DEL_TPL = BASE + "group_welcome_template/del";
  private static final List<String> ALL = List.of(ADD_WAY, GET_WAY, UPDATE_WAY, DEL_WAY, ADD_TPL, EDIT_TPL, DEL_TPL);

  private static void stubCodes(TestServer server) {
    server.wecom().stubFor(post(urlPathEqualTo(ADD_WAY)).atPriority(1).willReturn(json(
        "{\"errcode\":0,\"errmsg\":\"ok\",\"config_id\":\"cfg-{{jsonPath request.body '$.state'}}\"}")));
    server.wecom().stubFor(post(urlPathEqualTo(GET_WAY)).atPriority(1).willReturn(json(
        "{\"errcode\":0,\"errmsg\":\"ok\",\"join_way\":{\"config_id\":\"{{jsonPath request.body '$.config_id'}}\","
            + "\"scene\":2,\"qr_code\":\"https://wework.qpic.cn/wwpic/{{jsonPath request.body '$.config_id'}}/0\"}}")));
    server.wecom().stubFor(post(urlPathEqualTo(ADD_TPL)).atPriority(1).willReturn(json(
        "{\"errcode\":0,\"errmsg\":\"ok\",\"template_id\":\"tpl-{{randomValue length=8 type='ALPHANUMERIC'}}\"}")));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)
        .withTransformers("response-template");
  }

  private static void rewrite(Path config, String from, String to) throws Exception {
    Path file = config.resolve("groups.yaml");
    String text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
  }

  @Test
  void codesAndWelcomesAreCreatedOnceUpdatedWhenChangedAndDeletedWhenRemoved() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    try (TestServer server = TestServer.builder().configDir(config).start()) {
      GroupScenario given = new GroupScenario(server);
      // The first start ran before the stubs: WeCom's bare answer has no config_id, so nothing is stored as
      // made, and the unfinished claims are retaken once they are a minute old.
      assertThat(given.count("SELECT COUNT(*) FROM group_join_ways WHERE config_id IS NOT NULL")).isZero();
      stubCodes(server);
      server.clock().advance(java.time.Duration.ofMinutes(2));
      server.restart();
      assertThat(given.rows("SELECT category, config_id, qr_code FROM group_join_ways ORDER BY category"))
          .extracting(r -> r.get("category") + " " + r.get("config_id") + " " + r.get("qr_code"))
          .containsExactly("会员福利群 cfg-grp-member-perks https://wework.qpic.cn/wwpic/cfg-grp-member-perks/0",
              "种植VIP群 cfg-grp-implant-vip https://wework.qpic.cn/wwpic/cfg-grp-implant-vip/0");
      assertThat(given.count("SELECT COUNT(*) FROM group_welcome_templates WHERE template_id LIKE 'tpl-%'")).isEqualTo(2);
      JsonNode vip = given.sent(ADD_WAY).stream().filter(b -> b.path("state").asText().equals("grp-implant-vip"))
          .reduce((a, b) -> b).orElseThrow();
      assertThat(vip.path("scene").asInt()).isEqualTo(2);
      assertThat(vip.path("auto_create_room").asInt()).isEqualTo(1);
      assertThat(vip.path("room_base_name").asText()).isEqualTo("种植VIP群");
      assertThat(vip.path("chat_id_list").toString()).isEqualTo("[\"wrOgQhDgAAimplantVIP01\"]");
      JsonNode welcome = given.sent(ADD_TPL).stream().filter(b -> b.path("link").has("title")).reduce((a, b) -> b).orElseThrow();
      assertThat(welcome.path("text").path("content").asText()).startsWith("%NICKNAME% 欢迎加入种植VIP群");
      assertThat(qr(given.feature())).containsEntry("种植VIP群", "https://wework.qpic.cn/wwpic/cfg-grp-implant-vip/0");

      server.wecom().resetRequests();
      server.restart();
      for (String api : ALL) {
        assertThat(given.calls(api)).as(api).isZero();
      }

      rewrite(config, "room_base_id: 2\n      chat_ids: [wrOgQhDgAAimplantVIP01]",
          "room_base_id: 2\n      chat_ids: [wrOgQhDgAAimplantVIP01, wrOgQhDgAAimplantVIP02]");
      rewrite(config, "记得置顶本群哦。", "记得置顶本群。");
      server.restart();
      assertThat(given.calls(ADD_WAY)).isZero();
      assertThat(given.calls(ADD_TPL)).isZero();
      assertThat(given.sent(UPDATE_WAY)).singleElement().satisfies(b -> {
        assertThat(b.path("config_id").asText()).isEqualTo("cfg-grp-implant-vip");
        assertThat(b.path("chat_id_list")).hasSize(2);
      });
      assertThat(given.sent(EDIT_TPL)).singleElement()
          .satisfies(b -> assertThat(b.path("text").path("content").asText()).endsWith("记得置顶本群。"));
      assertThat(given.calls(GET_WAY)).isEqualTo(1);

      server.wecom().resetRequests();
      Path file = config.resolve("groups.yaml");
      String text = Files.readString(file);
      // 种植VIP群 goes (the front desk's welcome offers 会员福利群, so that one must stay).
      Files.writeString(file, text.substring(0, text.indexOf("  - name: 种植VIP群"))
          + text.substring(text.indexOf("  - name: 会员福利群")));
      server.restart();
      assertThat(given.sent(DEL_WAY)).singleElement()
          .satisfies(b -> assertThat(b.path("config_id").asText()).isEqualTo("cfg-grp-implant-vip"));
      assertThat(given.sent(DEL_TPL)).singleElement().satisfies(b -> {
        assertThat(b.path("template_id").asText()).startsWith("tpl-");
        assertThat(b.path("agentid").asInt()).isEqualTo(1000002);
      });
      assertThat(given.count("SELECT COUNT(*) FROM group_join_ways")).isEqualTo(1);
      assertThat(given.count("SELECT COUNT(*) FROM group_welcome_templates")).isEqualTo(1);
    }
  }

  @Test
  void aWelcomeOffersTheGroupCodeAsAnImageOnceWeComMadeIt() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      GroupScenario given = new GroupScenario(server);
      stubCodes(server);
      server.clock().advance(java.time.Duration.ofMinutes(2));
      server.restart();
      given.patient("wmQr", "秦卉");
      server.wecom().resetRequests();
      // The front desk's welcome ends with {group_qr:会员福利群}.
      server.wecom().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/cgi-bin/externalcontact/get"))
          .atPriority(1).withQueryParam("external_userid", com.github.tomakehurst.wiremock.client.WireMock.equalTo("wmDesk"))
          .willReturn(json("{\"errcode\":0,\"errmsg\":\"ok\",\"external_contact\":{\"external_userid\":\"wmDesk\","
              + "\"name\":\"邓洁\",\"type\":1},\"follow_user\":[{\"userid\":\"assistant-lily\",\"state\":\"frontdesk\","
              + "\"createtime\":1764000000,\"tags\":[]}]}")));
      server.postCallback(app.liuliang.sandbox.CallbackSimulator.addExternalContact(TestServer.CORP_ID, "assistant-lily",
          "wmDesk", "frontdesk", "CODE-DESK", server.clock().millis() / 1000));
      TestServer.awaitUntil(() -> !given.sent("/cgi-bin/externalcontact/send_welcome_msg").isEmpty());

      JsonNode welcome = given.sent("/cgi-bin/externalcontact/send_welcome_msg").get(0);
      assertThat(welcome.path("text").path("content").asText()).contains("加入会员福利群").doesNotContain("{group_qr");
      assertThat(welcome.path("attachments").get(0).path("image").path("pic_url").asText())
          .isEqualTo("https://wework.qpic.cn/wwpic/cfg-grp-member-perks/0");
      assertThat(welcome.path("attachments")).hasSize(2);
    }
  }

  private static java.util.Map<String, String> qr(CustomerGroups groups) {
    return groups.qrCodes();
  }
}
