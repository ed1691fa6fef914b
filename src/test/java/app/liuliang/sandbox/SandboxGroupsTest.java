package app.liuliang.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Json;
import app.liuliang.app.WeComCredentials;
import app.liuliang.store.Database;
import app.liuliang.wecom.WeComClient;
import app.liuliang.wecom.WeComClient.GroupChat;
import app.liuliang.wecom.WeComClient.GroupMember;
import app.liuliang.wecom.WxJavaWeComClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sandbox answers the group endpoints as WeCom does, read through our real WxJava client. */
class SandboxGroupsTest {

  @Test
  void groupsCodesAndWelcomeTemplatesAnswerAndGroupChangesShowInGroupchatGet() throws Exception {
    try (SandboxWeCom sandbox = new SandboxWeCom(0); Database db = Database.inMemory()) {
      GroupStubs groups = GroupStubs.install(sandbox);
      WeComClient client = new WxJavaWeComClient(WeComCredentials.sandboxDefaults().withApiBaseUrl(sandbox.baseUrl()),
          db.jdbi(), Clock.systemUTC(), Json.mapper(), new SimpleMeterRegistry());

      assertThat(client.listGroupChats(List.of("assistant-lily"), "", 1000).chatIds()).containsExactly("wrSandboxGroup01");
      GroupChat standard = client.getGroupChat("wrSandboxGroup01");
      assertThat(standard.owner()).isEqualTo("assistant-lily");
      assertThat(standard.members()).extracting(GroupMember::userId).containsExactly("assistant-lily", "wmSandboxPatient");
      assertThat(standard.members().get(1).state()).isEqualTo("grp-implant-vip");

      GroupStubs.Versions joined = groups.change("wrSim", "wmA", "阿梅", true);
      GroupChat after = client.getGroupChat("wrSim");
      assertThat(after.memberVersion()).isEqualTo(joined.current()).isNotEqualTo(joined.last());
      assertThat(after.members()).extracting(GroupMember::userId).containsExactly("assistant-lily", "wmA");
      groups.change("wrSim", "wmA", "", false);
      assertThat(client.getGroupChat("wrSim").members()).extracting(GroupMember::userId).containsExactly("assistant-lily");

      var json = Json.mapper();
      String configId = client.post("/cgi-bin/externalcontact/groupchat/add_join_way",
          json.createObjectNode().put("scene", 2)).path("config_id").asText();
      assertThat(configId).hasSize(32);
      JsonNode way = client.post("/cgi-bin/externalcontact/groupchat/get_join_way",
          json.createObjectNode().put("config_id", configId)).path("join_way");
      assertThat(way.path("qr_code").asText()).startsWith("https://wework.qpic.cn/").contains(configId);
      assertThat(client.post("/cgi-bin/externalcontact/group_welcome_template/add", json.createObjectNode())
          .path("template_id").asText()).startsWith("msg");
    }
  }
}
