package app.liuliang.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An embedded fake of the WeCom API. Every endpoint Liuliang calls answers errcode 0 with a
 * realistic body; contacts registered with {@link #registerContact} are what
 * {@code externalcontact/get} returns. Features add richer stubs through {@link #stub}.
 */
public final class SandboxWeCom implements AutoCloseable {

  /** A request the bot made, as the console and the simulator show it. */
  public record SentRequest(long at, String method, String path, String body) {
  }

  private final WireMockServer serverRef;
  /** Keeps the intercept rules Liuliang adds, as a corp would. */
  private final InterceptRuleStubs interceptRules = new InterceptRuleStubs();
  /** Keeps the transfers Liuliang starts, so their results move on (waiting, then taken over or refused). */
  private final TransferStubs transfers = TransferStubs.fromEnvironment(System.getenv());
  private final ObjectMapper json = new ObjectMapper();

  /** Starts the fake on {@code port} (0 picks a free one), loopback only. */
  public SandboxWeCom(int port) {
    // The request journal is what "what the bot sent" reads: kept, but bounded.
    serverRef = new WireMockServer(options().port(port).bindAddress("127.0.0.1")
        .containerThreads(16).maxRequestJournalEntries(5000).extensions(interceptRules, transfers,
            new StaffBehaviorStubs()));
    serverRef.start();
    installDefaults();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + serverRef.port();
  }

  public int port() {
    return serverRef.port();
  }

  /** Adds or replaces a stub (WireMock's builder); features use it for their endpoints. */
  public void stub(MappingBuilder mapping) {
    serverRef.stubFor(mapping);
  }

  private volatile String lastContact;

  /** The patient registered last ({@code simulate add-contact}), for {@code simulate kf-message}'s default. */
  public java.util.Optional<String> lastContact() {
    return java.util.Optional.ofNullable(lastContact);
  }

  /** Makes {@code externalcontact/get} answer this contact, followed by {@code userId} via {@code state}. */
  public void registerContact(String externalUserId, String name, String userId, String state) {
    lastContact = externalUserId;
    ObjectNode body = json.createObjectNode().put("errcode", 0).put("errmsg", "ok");
    body.putObject("external_contact").put("external_userid", externalUserId).put("name", name)
        .put("type", 1).put("gender", 0).put("avatar", "http://wx.qlogo.cn/mmhead/sandbox/0");
    body.putArray("follow_user").addObject().put("userid", userId).put("remark", "")
        .put("createtime", System.currentTimeMillis() / 1000).put("add_way", 1).put("state", state == null ? "" : state)
        .putArray("tags");
    serverRef.stubFor(get(urlPathEqualTo("/cgi-bin/externalcontact/get"))
        .withQueryParam("external_userid", equalTo(externalUserId))
        .atPriority(1)
        .willReturn(okJson(body.toString())));
  }

  /** What the bot sent since {@code sinceMillis}, oldest first; token fetches left out. */
  public List<SentRequest> sentSince(long sinceMillis) {
    List<SentRequest> sent = new ArrayList<>();
    for (ServeEvent event : serverRef.getAllServeEvents()) {
      long at = event.getRequest().getLoggedDate().getTime();
      String path = event.getRequest().getUrl().replaceAll("access_token=[^&]*&?", "").replaceAll("[?&]$", "");
      if (at >= sinceMillis && !path.startsWith("/cgi-bin/gettoken")) {
        sent.add(new SentRequest(at, event.getRequest().getMethod().getName(), path, event.getRequest().getBodyAsString()));
      }
    }
    sent.sort(Comparator.comparingLong(SentRequest::at));
    return sent;
  }

  public WireMockServer wireMock() {
    return serverRef;
  }

  private void installDefaults() {
    // Lowest priority: any other WeCom endpoint succeeds plainly.
    serverRef.stubFor(any(urlPathMatching("/cgi-bin/.*")).atPriority(10)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    serverRef.stubFor(get(urlPathEqualTo("/cgi-bin/gettoken")).atPriority(1)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"sandbox-token-{{randomValue length=16 type='ALPHANUMERIC'}}\",\"expires_in\":7200}")
            .withTransformers("response-template")));
    serverRef.stubFor(get(urlPathEqualTo("/cgi-bin/externalcontact/get")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"external_contact\":{\"external_userid\":\"{{request.query.external_userid}}\","
            + "\"name\":\"\",\"type\":1,\"gender\":0},\"follow_user\":[]}").withTransformers("response-template")));
    serverRef.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/get_corp_tag_list")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"tag_group\":[]}")));
    serverRef.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/add_corp_tag")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"tag_group\":{\"group_id\":\"grp-{{jsonPath request.body '$.group_name'}}\","
            + "\"group_name\":\"{{jsonPath request.body '$.group_name'}}\",\"create_time\":1700000000,\"order\":0,\"tag\":["
            + "{{#each (jsonPath request.body '$.tag') as |t|}}{{#if @index}},{{/if}}{\"id\":\"tag-{{t.name}}\",\"name\":\"{{t.name}}\",\"create_time\":1700000000,\"order\":0}{{/each}}]}}")
            .withTransformers("response-template")));
    serverRef.stubFor(post(urlPathEqualTo("/cgi-bin/kf/sync_msg")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"next_cursor\":\"\",\"has_more\":0,\"msg_list\":[]}")));
    serverRef.stubFor(post(urlPathEqualTo("/cgi-bin/message/send")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"invaliduser\":\"\",\"msgid\":\"{{randomValue length=24 type='ALPHANUMERIC'}}\","
            + "\"response_code\":\"{{randomValue length=32 type='ALPHANUMERIC'}}\"}").withTransformers("response-template")));
    serverRef.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/add_msg_template")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"fail_list\":[],\"msgid\":\"msg{{randomValue length=20 type='ALPHANUMERIC'}}\"}")
            .withTransformers("response-template")));
    serverRef.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/add_moment_task")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"jobid\":\"job{{randomValue length=20 type='ALPHANUMERIC'}}\"}")
            .withTransformers("response-template")));
    serverRef.stubFor(get(urlPathEqualTo("/cgi-bin/externalcontact/get_moment_task_result")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"status\":3,\"type\":\"add_moment_task\",\"result\":{\"errcode\":0,"
            + "\"errmsg\":\"ok\",\"moment_id\":\"moment{{randomValue length=12 type='ALPHANUMERIC'}}\",\"invalid_sender_list\":{\"user_list\":[]},"
            + "\"invalid_external_contact_list\":{\"tag_list\":[]}}}").withTransformers("response-template")));
    // No one sits at the sandbox's WeCom client, so staff never confirm: broadcasts and Moments stay "sent".
    serverRef.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/get_groupmsg_task")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"next_cursor\":\"\",\"task_list\":[]}")));
    serverRef.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/get_moment_task")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"next_cursor\":\"\",\"task_list\":[]}")));
    serverRef.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/remind_groupmsg_send")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    serverRef.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/get_groupmsg_send_result")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"next_cursor\":\"\",\"send_list\":[]}")));
    installGroupDefaults();
    serverRef.stubFor(post(urlPathMatching("/cgi-bin/media/upload(_attachment)?")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"type\":\"image\",\"media_id\":\"media{{randomValue length=24 type='ALPHANUMERIC'}}\","
            + "\"created_at\":\"1700000000\"}").withTransformers("response-template")));
    ContactWayStubs.install(serverRef);
    transfers.install(serverRef);
    SidebarStubs.install(serverRef);
    interceptRules.install(serverRef);
    StaffBehaviorStubs.install(serverRef);
  }

  /**
   * Customer groups: one group of the sandbox's assistant with a staff owner and one patient, group codes
   * that get a config id and a QR image URL, and join-welcome templates that get a template id.
   */
  private void installGroupDefaults() {
    String g = "/cgi-bin/externalcontact/groupchat/";
    serverRef.stubFor(post(urlPathEqualTo(g + "list")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"group_chat_list\":[{\"chat_id\":\"wrSandboxGroup01\","
            + "\"status\":0}],\"next_cursor\":\"\"}")));
    serverRef.stubFor(post(urlPathEqualTo(g + "get")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"group_chat\":{\"chat_id\":\"{{jsonPath request.body '$.chat_id'}}\","
            + "\"name\":\"种植VIP群\",\"owner\":\"assistant-lily\",\"create_time\":1700000000,\"notice\":\"\","
            + "\"member_list\":[{\"userid\":\"assistant-lily\",\"type\":1,\"join_time\":1700000000,\"join_scene\":1},"
            + "{\"userid\":\"wmSandboxPatient\",\"type\":2,\"unionid\":\"ozynqsulJFCZ2z1aYeS8h-nuasdAAA\","
            + "\"join_time\":1700000100,\"join_scene\":3,\"group_nickname\":\"\",\"name\":\"张三\",\"state\":\"grp-implant-vip\"}],"
            + "\"admin_list\":[],\"member_version\":\"71217227bbd112ecfe3a49c482195cb4\"}}").withTransformers("response-template")));
    serverRef.stubFor(post(urlPathEqualTo(g + "add_join_way")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"config_id\":\"{{randomValue length=32 type='HEXADECIMAL'}}\"}")
            .withTransformers("response-template")));
    serverRef.stubFor(post(urlPathEqualTo(g + "get_join_way")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"join_way\":{\"config_id\":\"{{jsonPath request.body '$.config_id'}}\","
            + "\"scene\":2,\"remark\":\"\",\"auto_create_room\":1,\"room_base_name\":\"\",\"room_base_id\":1,"
            + "\"chat_id_list\":[],\"qr_code\":\"https://wework.qpic.cn/wwpic/sandbox/{{jsonPath request.body '$.config_id'}}/0\","
            + "\"state\":\"\"}}").withTransformers("response-template")));
    String t = "/cgi-bin/externalcontact/group_welcome_template/";
    serverRef.stubFor(post(urlPathEqualTo(t + "add")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"template_id\":\"msg{{randomValue length=24 type='ALPHANUMERIC'}}\"}")
            .withTransformers("response-template")));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okJson(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
  }

  /** The sandbox's 继承 API (its takeover delay can be shortened). */
  public TransferStubs transfers() {
    return transfers;
  }

  @Override
  public void close() {
    serverRef.stop();
  }
}
