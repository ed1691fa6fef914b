package app.liuliang.compliance;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sync as the server runs it: at start from the shipped file, again after an edit, and never when off. */
class InterceptRuleFeatureIT {

  private static final String API = "/cgi-bin/externalcontact/";

  @Test
  void theShippedWordsReachWeComAtStartAndAnEditedListAtTheNextRound() throws Exception {
    WireMockServer wecom = TestServer.startWeCom();
    wecom.stubFor(any(urlPathEqualTo(API + "get_intercept_rule_list")).willReturn(okJson(
        "{\"errcode\":0,\"errmsg\":\"ok\",\"rule_list\":[{\"rule_id\":\"own1\",\"rule_name\":\"前台自定敏感词\"}]}")));
    wecom.stubFor(post(urlPathEqualTo(API + "add_intercept_rule"))
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"rule_id\":\"ll1\"}")));
    try (TestServer server = TestServer.builder().wecom(wecom).start()) {
      TestServer.awaitUntil(() -> !server.sentTo(API + "add_intercept_rule").isEmpty());
      JsonNode added = server.sentTo(API + "add_intercept_rule").get(0);
      assertThat(added.path("rule_name").asText()).isEqualTo("留量广告词1");
      assertThat(added.path("word_list").toString()).contains("\"最好\"").contains("\"名医\"");
      assertThat(added.path("intercept_type").asInt()).isEqualTo(2);
      assertThat(added.path("applicable_range").path("department_list").toString()).isEqualTo("[1]");
      TestServer.awaitUntil(() -> new InterceptRuleStore(server.wiring().foundation().database().jdbi()).all().stream()
          .anyMatch(r -> "active".equals(r.status())));

      Path file = server.configDir().resolve(AdvertisingWords.FILE);
      Files.writeString(file, Files.readString(file).replace("words: [专家推荐, 院士, 名医]", "words: [专家推荐, 院士, 名医, 神医]"));
      wecom.stubFor(any(urlPathEqualTo(API + "get_intercept_rule_list")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\","
          + "\"rule_list\":[{\"rule_id\":\"own1\",\"rule_name\":\"前台自定敏感词\"},{\"rule_id\":\"ll1\",\"rule_name\":\"留量广告词1\"}]}")));
      wecom.stubFor(post(urlPathEqualTo(API + "get_intercept_rule")).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\","
          + "\"rule\":{\"rule_id\":\"ll1\",\"rule_name\":\"留量广告词1\",\"word_list\":" + added.path("word_list")
          + ",\"intercept_type\":2,\"applicable_range\":{\"department_list\":[1]}}}")));
      InterceptRuleSync.Report report = feature(server).sync();

      assertThat(report.updated()).isEqualTo(1);
      List<JsonNode> updates = server.sentTo(API + "update_intercept_rule");
      assertThat(updates).singleElement().satisfies(u -> {
        assertThat(u.path("rule_id").asText()).isEqualTo("ll1");
        assertThat(u.path("word_list").toString()).contains("\"神医\"");
      });
      assertThat(wecom.findAll(anyRequestedFor(urlPathMatching(API + ".*intercept_rule"))).stream()
          .filter(r -> r.getBodyAsString().contains("own1"))).as("the clinic's rule is never touched").isEmpty();
    } finally {
      wecom.stop();
    }
  }

  @Test
  void withSyncOffWeComIsNeverAsked() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Path file = config.resolve(AdvertisingWords.FILE);
    Files.writeString(file, Files.readString(file).replace("  sync: true", "  sync: false"));
    try (TestServer server = TestServer.builder().configDir(config).start()) {
      assertThat(feature(server).sync().ran()).isFalse();
      Thread.sleep(1000);
      assertThat(server.wecom().findAll(anyRequestedFor(urlPathMatching(API + ".*intercept_rule.*")))).isEmpty();
    }
  }

  private static InterceptRuleFeature feature(TestServer server) {
    return server.wiring().features().stream().filter(InterceptRuleFeature.class::isInstance)
        .map(InterceptRuleFeature.class::cast).findFirst().orElseThrow();
  }
}
