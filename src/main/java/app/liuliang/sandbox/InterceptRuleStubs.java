package app.liuliang.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sandbox's intercept rules (敏感词): a corp that keeps them in memory, so {@code add_intercept_rule}
 * answers a rule_id and list, get, update (with its add/remove ranges) and delete agree with what was
 * added. It starts with one rule of the clinic's own, 「前台自定敏感词」, which Liuliang must leave alone.
 */
public final class InterceptRuleStubs extends JsonApiStub {

  static final String NAME = "sandbox-intercept-rules";

  private final Map<String, ObjectNode> rules = new LinkedHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  InterceptRuleStubs() {
    super(NAME);
    ObjectNode own = JSON.createObjectNode().put("rule_id", "clinic-own-1").put("rule_name", "前台自定敏感词")
        .put("intercept_type", 2).put("create_time", 1700000000L);
    own.putArray("word_list").add("转账");
    own.putObject("applicable_range").putArray("department_list").add(1);
    rules.put("clinic-own-1", own);
  }

  void install(WireMockServer server) {
    for (String api : new String[] {"get_intercept_rule_list", "get_intercept_rule", "add_intercept_rule",
        "update_intercept_rule", "del_intercept_rule"}) {
      server.stubFor(any(urlPathEqualTo(API + api)).atPriority(5).willReturn(aResponse().withTransformers(NAME)));
    }
  }

  @Override
  ObjectNode answer(String path, JsonNode body) {
    ObjectNode ok = ok();
    String ruleId = body.path("rule_id").asText();
    switch (path) {
      case "get_intercept_rule_list" -> {
        ArrayNode list = ok.putArray("rule_list");
        rules.values().forEach(r -> list.addObject().put("rule_id", r.path("rule_id").asText())
            .put("rule_name", r.path("rule_name").asText()).put("create_time", r.path("create_time").asLong()));
      }
      case "get_intercept_rule" -> {
        if (!rules.containsKey(ruleId)) {
          return unknown(ruleId);
        }
        ok.set("rule", rules.get(ruleId).deepCopy());
      }
      case "add_intercept_rule" -> {
        String id = "sbrule" + ids.incrementAndGet();
        ObjectNode rule = ((ObjectNode) body.deepCopy()).put("rule_id", id)
            .put("create_time", System.currentTimeMillis() / 1000);
        rules.put(id, rule);
        ok.put("rule_id", id);
      }
      case "update_intercept_rule" -> {
        ObjectNode rule = rules.get(ruleId);
        if (rule == null) {
          return unknown(ruleId);
        }
        for (String field : new String[] {"rule_name", "word_list", "intercept_type"}) {
          if (body.has(field)) {
            rule.set(field, body.get(field));
          }
        }
        if (body.path("extra_rule").has("semantics_list")) {
          rule.set("semantics_list", body.path("extra_rule").get("semantics_list"));
        }
        ObjectNode range = rule.withObject("/applicable_range");
        for (String list : new String[] {"user_list", "department_list"}) {
          Set<JsonNode> members = new LinkedHashSet<>();
          range.path(list).forEach(members::add);
          body.path("add_applicable_range").path(list).forEach(members::add);
          body.path("remove_applicable_range").path(list).forEach(members::remove);
          ArrayNode now = range.putArray(list);
          members.forEach(now::add);
        }
      }
      case "del_intercept_rule" -> {
        if (rules.remove(ruleId) == null) {
          return unknown(ruleId);
        }
      }
      default -> {
        return error(404, "unknown api");
      }
    }
    return ok;
  }

  private static ObjectNode unknown(String ruleId) {
    return error(40003, "invalid rule_id " + ruleId);
  }
}
