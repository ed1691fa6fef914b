package app.liuliang.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.sandbox.CallbackSimulator;
import app.liuliang.testing.TestServer;
import app.liuliang.testing.WeComFake;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Channel codes against a WeCom that keeps its 联系我 codes: created from channels.yaml at start,
 * nothing asked again on a restart, edits updated, removed ones deleted (never a code Liuliang did
 * not make), an interrupted create found again instead of doubled, refusals kept with an operator's
 * message; a patient who scans a code lands in its channel and store.
 */
class ChannelCodesIT {

  private static final List<String> WAY_APIS = List.of(WeComFake.ADD_WAY, WeComFake.GET_WAY, WeComFake.UPDATE_WAY,
      WeComFake.DELETE_WAY, WeComFake.LIST_WAY);

  @Test
  void declaredCodesAreCreatedOnceWithTheirQrAndARestartAsksNothing() throws Exception {
    try (WeComFake wecom = new WeComFake(Duration.ZERO);
        TestServer server = TestServer.builder().wecom(wecom).start()) {
      ChannelCodesFeature codes = feature(server);
      int declared = codes.codes().size();
      TestServer.awaitUntil(() -> codes.codes().stream().allMatch(c -> c.hasQr()));

      assertThat(wecom.contactWays()).hasSize(declared);
      ObjectNode east = way(wecom, "lc.meituan.east");
      assertThat(east.path("type").asInt()).isEqualTo(1);
      assertThat(east.path("user").toString()).isEqualTo("[\"assistant-lily\"]");
      assertThat(east.path("skip_verify").asBoolean()).isTrue();
      assertThat(east.path("remark").asText()).isEqualTo("美团团购");
      assertThat(way(wecom, "lc.free_clinic").path("type").asInt()).as("two accounts: multi-person").isEqualTo(2);
      assertThat(codes.code("lc.meituan.east").orElseThrow().configId()).isEqualTo(east.path("config_id").asText());

      int before = wayCalls(wecom);
      server.restart();
      feature(server).sync();
      assertThat(wayCalls(wecom)).as("unchanged codes cost no call").isEqualTo(before);
      assertThat(wecom.contactWays()).hasSize(declared);
    }
  }

  @Test
  void editsAreUpdatedRemovedCodesDeletedAndOthersCodesNeverTouched() throws Exception {
    try (WeComFake wecom = new WeComFake(Duration.ZERO);
        TestServer server = TestServer.builder().wecom(wecom).start()) {
      String handMade = wecom.holdContactWay("", "前台手工码");
      ChannelCodesFeature codes = feature(server);
      TestServer.awaitUntil(() -> codes.codes().stream().allMatch(c -> "active".equals(c.status())));
      String douyinId = way(wecom, "lc.douyin").path("config_id").asText();
      String freeClinicId = way(wecom, "lc.free_clinic").path("config_id").asText();

      Path file = server.configDir().resolve("channels.yaml");
      String yaml = Files.readString(file)
          .replace("remark: 抖音直播与短视频", "remark: 抖音团购")
          .replace("      accounts: [assistant-lily, dr-wang]\n", "      accounts: [dr-wang]\n")
          .replace("      stores: [main, east]\n      remark: 大众点评\n", "      stores: [main]\n      remark: 大众点评\n");
      Files.writeString(file, yaml);
      ChannelCodeReconciler.Report report = codes.sync();

      assertThat(report.failed()).isEmpty();
      assertThat(report.updated()).isEqualTo(1);
      assertThat(way(wecom, "lc.douyin").path("remark").asText()).isEqualTo("抖音团购");
      assertThat(way(wecom, "lc.douyin").path("config_id").asText()).as("updated in place").isEqualTo(douyinId);
      // multi → single cannot be updated in WeCom: a new code with the same state replaces it.
      assertThat(wecom.contactWays()).doesNotContainKey(freeClinicId);
      assertThat(way(wecom, "lc.free_clinic").path("type").asInt()).isEqualTo(1);
      assertThat(wecom.contactWays().values()).extracting(w -> w.path("state").asText()).doesNotContain("lc.dianping.east");
      assertThat(codes.code("lc.dianping.east")).isEmpty();
      assertThat(wecom.contactWays()).as("a code Liuliang did not make stays").containsKey(handMade);
    }
  }

  @Test
  void aCreateInterruptedBeforeItsAnswerWasStoredIsFoundAgainNotDoubled() throws Exception {
    try (WeComFake wecom = new WeComFake(Duration.ZERO);
        TestServer server = TestServer.builder().wecom(wecom).start()) {
      ChannelCodesFeature codes = feature(server);
      TestServer.awaitUntil(() -> codes.codes().stream().allMatch(c -> "active".equals(c.status())));
      // As if a node died right after add_contact_way: WeCom holds the code, the store only the intent.
      String current = way(wecom, "lc.douyin").path("config_id").asText();
      String earlier = wecom.holdContactWay("lc.douyin", "抖音直播与短视频");
      Jdbi jdbi = server.wiring().foundation().database().jdbi();
      jdbi.useHandle(h -> h.execute("UPDATE channel_codes SET status = 'creating', config_id = NULL, qr_png = NULL, "
          + "lease_until = 0 WHERE state = 'lc.douyin'"));
      deleteWay(server, wecom, current);

      ChannelCodeReconciler.Report report = codes.sync();

      assertThat(report.adopted()).isEqualTo(1);
      assertThat(report.created()).isZero();
      assertThat(codes.code("lc.douyin").orElseThrow().configId()).isEqualTo(earlier);
      assertThat(wecom.contactWays().values()).filteredOn(w -> w.path("state").asText().equals("lc.douyin")).hasSize(1);
      TestServer.awaitUntil(() -> codes.code("lc.douyin").orElseThrow().hasQr());
    }
  }

  @Test
  void aRefusalIsKeptWithAnOperatorsMessageAndTheNextSyncMakesTheCode() throws Exception {
    try (WeComFake wecom = new WeComFake(Duration.ZERO)) {
      wecom.refuseAddContactWay(84074);
      try (TestServer server = TestServer.builder().wecom(wecom).start()) {
        ChannelCodesFeature codes = feature(server);
        TestServer.awaitUntil(() -> codes.codes().stream().allMatch(c -> "failed".equals(c.status())));
        assertThat(codes.code("lc.douyin").orElseThrow().error()).contains("84074").contains("客户联系");
        String page = server.get("/admin/channels", TestServer.admin()).body();
        assertThat(page).contains("创建失败").contains("客户联系");

        wecom.refuseAddContactWay(0);
        ChannelCodeReconciler.Report report = codes.sync();

        assertThat(report.created()).isEqualTo(codes.codes().size());
        assertThat(codes.codes()).allSatisfy(c -> assertThat(c.status()).isEqualTo("active"));
      }
    }
  }

  @Test
  void busyAndUnknownRefusalsAreKeptForTheOperatorAndNothingIsLost() throws Exception {
    for (int errcode : new int[] {45009, 41001}) {
      try (WeComFake wecom = new WeComFake(Duration.ZERO)) {
        wecom.refuseAddContactWay(errcode);
        try (TestServer server = TestServer.builder().wecom(wecom).start()) {
          ChannelCodesFeature codes = feature(server);
          TestServer.awaitUntil(() -> codes.codes().stream().allMatch(c -> "failed".equals(c.status())));
          assertThat(codes.code("lc.douyin").orElseThrow().error()).contains("errcode " + errcode)
              .contains(errcode == 45009 ? "自动重试" : "请查看日志");

          wecom.refuseAddContactWay(0);
          assertThat(codes.sync().created()).isEqualTo(codes.codes().size());
          assertThat(wecom.contactWays()).hasSize(codes.codes().size());
        }
      }
    }
  }

  @Test
  void aPatientWhoScansAStoreCodeGetsItsChannelTagStoreAndWelcome() throws Exception {
    try (WeComFake wecom = new WeComFake(Duration.ZERO);
        TestServer server = TestServer.builder().wecom(wecom).start()) {
      String code = "CODE-scan-1";
      wecom.issueCode(code, "wmScan", System.currentTimeMillis());
      wecom.followState("wmScan", "lc.meituan.east");
      server.postCallback(CallbackSimulator.addExternalContact(TestServer.CORP_ID, "assistant-lily", "wmScan",
          "lc.meituan.east", code, server.clock().millis() / 1000));

      Jdbi jdbi = server.wiring().foundation().database().jdbi();
      TestServer.awaitUntil(() -> wecom.welcomesTo("wmScan") == 1);
      Map<String, Object> contact = jdbi.withHandle(h -> h.createQuery(
          "SELECT channel, store FROM contacts WHERE external_userid = 'wmScan'").mapToMap().one());
      assertThat(contact).containsEntry("channel", "meituan").containsEntry("store", "east");
      TestServer.awaitUntil(() -> jdbi.withHandle(h -> h.createQuery(
          "SELECT COUNT(*) FROM contact_tags WHERE external_userid = 'wmScan' AND tag_name = '来源-美团'")
          .mapTo(Integer.class).one()) == 1);
      String template = jdbi.withHandle(h -> h.createQuery("SELECT template_id FROM welcomes WHERE external_userid = 'wmScan'")
          .mapTo(String.class).one());
      assertThat(template).isEqualTo("meituan-assistant");
    }
  }

  @Test
  void theChannelsPageShowsEachCodeWithItsQrPosterAndFigures() throws Exception {
    try (WeComFake wecom = new WeComFake(Duration.ZERO);
        TestServer server = TestServer.builder().wecom(wecom).start()) {
      ChannelCodesFeature codes = feature(server);
      TestServer.awaitUntil(() -> codes.codes().stream().allMatch(c -> c.hasQr()));
      Jdbi jdbi = server.wiring().foundation().database().jdbi();
      long now = server.clock().millis();
      jdbi.useHandle(h -> h.execute("INSERT INTO contacts (external_userid, name, channel, store, layer, added_at, updated_at) "
          + "VALUES ('wmA', '甲', 'meituan', 'east', 'intent', ?, ?), ('wmB', '乙', 'meituan', 'east', 'ordered', ?, ?), "
          + "('wmC', '丙', 'meituan', 'east', 'stranger', ?, ?)", now, now, now, now, now - 10L * 86_400_000, now));

      String page = server.get("/admin/channels", TestServer.admin()).body();

      assertThat(page).contains("美团 · 城东分院").contains("小美").contains("已生效").contains("/admin/channels/lc.meituan.east/qr.png")
          .contains("下载海报").contains("<svg").doesNotContain("lc.meituan.east</td>");
      assertThat(page).contains("67%").contains("33%");
      var qr = server.http().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(server.baseUrl() + "/admin/channels/lc.meituan.east/qr.png"))
          .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      assertThat(qr.statusCode()).isEqualTo(200);
      assertThat(QrImages.isImage(qr.body())).isTrue();
      var poster = server.http().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(server.baseUrl() + "/admin/channels/lc.meituan.east/poster.png"))
          .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      assertThat(poster.statusCode()).isEqualTo(200);
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(poster.body()));
      assertThat(image.getWidth()).isEqualTo(PosterRenderer.WIDTH);
      assertThat(image.getHeight()).isEqualTo(PosterRenderer.HEIGHT);
      assertThat(server.get("/admin/channels/lc.meituan.east/poster.png").statusCode()).as("signed-in only").isEqualTo(303);
    }
  }

  private static ChannelCodesFeature feature(TestServer server) {
    return server.wiring().features().stream().filter(ChannelCodesFeature.class::isInstance)
        .map(ChannelCodesFeature.class::cast).findFirst().orElseThrow();
  }

  private static ObjectNode way(WeComFake wecom, String state) {
    return wecom.contactWays().values().stream().filter(w -> w.path("state").asText().equals(state)).findFirst()
        .orElseThrow(() -> new AssertionError("WeCom holds no code with state " + state));
  }

  private static int wayCalls(WeComFake wecom) {
    return WAY_APIS.stream().mapToInt(api -> wecom.wireMock().countRequestsMatching(postRequestedFor(urlPathEqualTo(api))
        .build()).getCount()).sum();
  }

  /** Takes a code out of WeCom directly (the fake's own state), as if the later duplicate never existed. */
  private static void deleteWay(TestServer server, WeComFake wecom, String configId) throws Exception {
    var body = "{\"config_id\":\"" + configId + "\"}";
    server.http().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(wecom.baseUrl()
        + WeComFake.DELETE_WAY + "?access_token=x")).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding());
    assertThat(wecom.contactWays()).doesNotContainKey(configId);
  }
}
