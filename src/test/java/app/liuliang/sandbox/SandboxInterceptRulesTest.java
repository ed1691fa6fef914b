package app.liuliang.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.liuliang.app.Json;
import app.liuliang.app.WeComCredentials;
import app.liuliang.store.Database;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import app.liuliang.wecom.WeComClient.InterceptRange;
import app.liuliang.wecom.WeComClient.InterceptRule;
import app.liuliang.wecom.WeComClient.InterceptRuleRef;
import app.liuliang.wecom.WxJavaWeComClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sandbox keeps intercept rules as a corp does: what is added is listed, read, updated and deleted. */
class SandboxInterceptRulesTest {

  @Test
  void addedRulesAreListedReadUpdatedWithTheirRangeChangeAndDeleted() throws Exception {
    try (SandboxWeCom sandbox = new SandboxWeCom(0); Database db = Database.inMemory()) {
      WeComClient client = new WxJavaWeComClient(WeComCredentials.sandboxDefaults().withApiBaseUrl(sandbox.baseUrl()),
          db.jdbi(), Clock.systemUTC(), Json.mapper(), new SimpleMeterRegistry());
      assertThat(client.listInterceptRules()).extracting(InterceptRuleRef::name).containsExactly("前台自定敏感词");

      String id = client.addInterceptRule(new InterceptRule("留量广告词1", List.of("最好", "根治"), 2,
          new InterceptRange(List.of("dr-wang"), List.of(1)), List.of(3)));
      assertThat(id).isNotBlank();
      assertThat(client.listInterceptRules()).extracting(InterceptRuleRef::ruleId).contains("clinic-own-1", id);
      InterceptRule added = client.getInterceptRule(id);
      assertThat(added.words()).containsExactly("最好", "根治");
      assertThat(added.range().users()).containsExactly("dr-wang");
      assertThat(added.semantics()).containsExactly(3);

      client.updateInterceptRule(id, new InterceptRule("留量广告词1", List.of("第一"), 1,
          new InterceptRange(List.of(), List.of(1, 2)), List.of()), new InterceptRange(List.of(), List.of(2)),
          new InterceptRange(List.of("dr-wang"), List.of()));
      InterceptRule updated = client.getInterceptRule(id);
      assertThat(updated.words()).containsExactly("第一");
      assertThat(updated.interceptType()).isEqualTo(1);
      assertThat(updated.range().users()).isEmpty();
      assertThat(updated.range().departments()).containsExactly(1, 2);
      assertThat(updated.semantics()).isEmpty();

      client.deleteInterceptRule(id);
      assertThat(client.listInterceptRules()).extracting(InterceptRuleRef::ruleId).containsExactly("clinic-own-1");
      assertThatThrownBy(() -> client.getInterceptRule(id)).isInstanceOf(WeComApiException.class);
    }
  }
}
