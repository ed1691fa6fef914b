package app.liuliang.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sandbox customer groups that change: {@link #change} adds or removes a patient from a group, and
 * {@code groupchat/get} then answers the group as it now is, with a new member version (what
 * {@code liuliang simulate group-join|group-leave} does before it sends {@code change_external_chat}).
 * Groups nobody changed answer with the sandbox's default group.
 */
public final class GroupStubs {

  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String OWNER = "assistant-lily";

  /** The member versions before and after a change, as the event carries them. */
  public record Versions(String last, String current) {
  }

  private record Member(String name, long joinTime) {
  }

  private final SandboxWeCom sandbox;
  private final Map<String, Map<String, Member>> groups = new LinkedHashMap<>();
  private final Map<String, Integer> versions = new LinkedHashMap<>();

  private GroupStubs(SandboxWeCom sandbox) {
    this.sandbox = sandbox;
  }

  public static GroupStubs install(SandboxWeCom sandbox) {
    return new GroupStubs(sandbox);
  }

  /** A patient joins ({@code join}) or leaves the group; the group's groupchat/get answer follows. */
  public synchronized Versions change(String chatId, String externalUserId, String name, boolean join) {
    Map<String, Member> members = groups.computeIfAbsent(chatId, id -> new LinkedHashMap<>());
    int before = versions.getOrDefault(chatId, 0);
    if (join) {
      members.put(externalUserId, new Member(name, System.currentTimeMillis() / 1000));
    } else {
      members.remove(externalUserId);
    }
    versions.put(chatId, before + 1);
    stub(chatId, members, version(chatId, before + 1));
    return new Versions(version(chatId, before), version(chatId, before + 1));
  }

  private static String version(String chatId, int n) {
    return Integer.toHexString((chatId + "#" + n).hashCode()) + "v" + n;
  }

  private void stub(String chatId, Map<String, Member> members, String version) {
    ObjectNode body = JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok");
    ObjectNode chat = body.putObject("group_chat").put("chat_id", chatId).put("name", "客户群")
        .put("owner", OWNER).put("create_time", 1_700_000_000L).put("notice", "").put("member_version", version);
    ArrayNode list = chat.putArray("member_list");
    list.addObject().put("userid", OWNER).put("type", 1).put("join_time", 1_700_000_000L).put("join_scene", 1);
    members.forEach((id, m) -> list.addObject().put("userid", id).put("type", 2).put("join_time", m.joinTime())
        .put("join_scene", 3).put("group_nickname", "").put("name", m.name()));
    chat.putArray("admin_list");
    sandbox.stub(post(urlPathEqualTo("/cgi-bin/externalcontact/groupchat/get"))
        .withRequestBody(equalToJson("{\"chat_id\":\"" + chatId + "\"}", true, true)).atPriority(1)
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8")
            .withBody(body.toString())));
  }
}
