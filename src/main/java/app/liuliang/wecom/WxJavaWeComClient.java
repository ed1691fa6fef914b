package app.liuliang.wecom;

import app.liuliang.app.WeComCredentials;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.common.error.WxRuntimeException;
import me.chanjar.weixin.cp.api.WxCpService;
import org.apache.http.client.HttpResponseException;
import org.apache.http.conn.ConnectTimeoutException;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link WeComClient} on one shared WxJava {@link WxCpService}, pointed at the configured base URL
 * (the real API, or the sandbox / WireMock). Every call is timed per endpoint; failures become
 * {@link WeComApiException}s that keep the errcode.
 */
public final class WxJavaWeComClient implements WeComClient {

  private final WxCpService service;
  private final ObjectMapper json;
  private final MeterRegistry meters;
  private final ApiPacer pacer;
  private final Clock clock;

  public WxJavaWeComClient(WeComCredentials credentials, Jdbi jdbi, Clock clock, ObjectMapper json,
      MeterRegistry meters) {
    this(credentials, jdbi, clock, json, meters, ApiPacer.DEFAULT_CALLS_PER_MINUTE);
  }

  /** @param callsPerMinute the most calls a minute to any one API (WeCom allows 10,000 per corp) */
  public WxJavaWeComClient(WeComCredentials credentials, Jdbi jdbi, Clock clock, ObjectMapper json,
      MeterRegistry meters, int callsPerMinute) {
    StoredTokenConfig config = new StoredTokenConfig(jdbi, clock, meters);
    config.setCorpId(credentials.corpId());
    config.setAgentId(credentials.agentIdAsInt());
    config.setCorpSecret(credentials.secret());
    config.setToken(credentials.token());
    config.setAesKey(credentials.aesKey());
    config.setBaseApiUrl(trimSlash(credentials.apiBaseUrl()));
    config.setApacheHttpClientBuilder(new PooledHttpClientBuilder());
    DirectWxCpService wx = new DirectWxCpService(meters);
    wx.setWxCpConfigStorage(config);
    this.service = wx;
    this.json = json;
    this.meters = meters;
    this.pacer = new ApiPacer(callsPerMinute);
    this.clock = clock;
  }

  /** With {@code nodes} nodes calling WeCom for the same corp, each takes its share of the per-API ceiling. */
  public void shareQuotaAmong(int nodes) {
    pacer.shareAmong(nodes);
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public JsonNode post(String apiPath, JsonNode body) throws WeComApiException {
    return call(apiPath, () -> parse(service.post(service.getWxCpConfigStorage().getApiUrl(apiPath), json.writeValueAsString(body))));
  }

  @Override
  public JsonNode get(String apiPath, Map<String, String> query) throws WeComApiException {
    String params = query.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return call(apiPath, () -> parse(service.get(service.getWxCpConfigStorage().getApiUrl(apiPath), params.isEmpty() ? null : params)));
  }

  @Override
  public String uploadMedia(String type, Path file) throws WeComApiException {
    return upload("/cgi-bin/media/upload", () -> service.getMediaService().upload(type, file.toFile()).getMediaId());
  }

  @Override
  public String uploadAttachment(String mediaType, Path file) throws WeComApiException {
    return upload("/cgi-bin/media/upload_attachment",
        () -> service.getExternalContactService().uploadAttachment(mediaType, 1, file.toFile()).getMediaId());
  }

  @Override
  public ExternalContact getExternalContact(String externalUserId) throws WeComApiException {
    JsonNode answer = get("/cgi-bin/externalcontact/get", Map.of("external_userid", externalUserId));
    JsonNode contact = answer.path("external_contact");
    List<FollowUser> follows = new ArrayList<>();
    for (JsonNode f : answer.path("follow_user")) {
      List<FollowTag> tags = new ArrayList<>();
      for (JsonNode t : f.path("tags")) {
        tags.add(new FollowTag(t.path("group_name").asText(), t.path("tag_name").asText(),
            t.path("tag_id").asText(null), t.path("type").asInt()));
      }
      follows.add(new FollowUser(f.path("userid").asText(), f.path("remark").asText(""),
          f.path("createtime").asLong(), f.path("add_way").asInt(), f.path("state").asText(""), tags));
    }
    return new ExternalContact(contact.path("external_userid").asText(externalUserId),
        contact.path("name").asText(""), contact.path("type").asInt(1), contact.path("gender").asInt(0),
        contact.path("unionid").asText(null), follows);
  }

  @Override
  public List<CorpTagGroup> listCorpTags() throws WeComApiException {
    JsonNode answer = post("/cgi-bin/externalcontact/get_corp_tag_list", json.createObjectNode());
    List<CorpTagGroup> groups = new ArrayList<>();
    for (JsonNode g : answer.path("tag_group")) {
      groups.add(tagGroup(g));
    }
    return groups;
  }

  @Override
  public CorpTagGroup addCorpTags(String groupName, List<String> tagNames) throws WeComApiException {
    ObjectNode body = json.createObjectNode().put("group_name", groupName);
    tagNames.forEach(name -> body.withArray("tag").addObject().put("name", name));
    return tagGroup(post("/cgi-bin/externalcontact/add_corp_tag", body).path("tag_group"));
  }

  private static CorpTagGroup tagGroup(JsonNode g) {
    List<CorpTag> tags = new ArrayList<>();
    for (JsonNode t : g.path("tag")) {
      tags.add(new CorpTag(t.path("id").asText(), t.path("name").asText()));
    }
    return new CorpTagGroup(g.path("group_id").asText(), g.path("group_name").asText(), tags);
  }

  @Override
  public GroupChatPage listGroupChats(List<String> ownerUserIds, String cursor, int limit) throws WeComApiException {
    ObjectNode body = json.createObjectNode().put("status_filter", 0).put("limit", limit);
    ownerUserIds.forEach(id -> body.withObject("owner_filter").withArray("userid_list").add(id));
    if (cursor != null && !cursor.isEmpty()) {
      body.put("cursor", cursor);
    }
    JsonNode answer = post("/cgi-bin/externalcontact/groupchat/list", body);
    List<String> ids = new ArrayList<>();
    answer.path("group_chat_list").forEach(g -> ids.add(g.path("chat_id").asText()));
    return new GroupChatPage(ids, answer.path("next_cursor").asText(""));
  }

  @Override
  public GroupChat getGroupChat(String chatId) throws WeComApiException {
    ObjectNode body = json.createObjectNode().put("chat_id", chatId).put("need_name", 1);
    JsonNode chat = post("/cgi-bin/externalcontact/groupchat/get", body).path("group_chat");
    List<GroupMember> members = new ArrayList<>();
    for (JsonNode m : chat.path("member_list")) {
      members.add(new GroupMember(m.path("userid").asText(), m.path("type").asInt(), m.path("unionid").asText(null),
          m.path("join_time").asLong(), m.path("join_scene").asInt(), m.path("invitor").path("userid").asText(null),
          m.path("group_nickname").asText(""), m.path("name").asText(""), m.path("state").asText("")));
    }
    return new GroupChat(chat.path("chat_id").asText(chatId), chat.path("name").asText(""), chat.path("owner").asText(""),
        chat.path("create_time").asLong(), chat.path("notice").asText(""), chat.path("member_version").asText(""), members);
  }

  @Override
  public KfSyncPage syncKfMessages(String cursor, String token, String openKfId, int limit) throws WeComApiException {
    ObjectNode body = json.createObjectNode().put("token", token).put("limit", limit).put("open_kfid", openKfId);
    if (cursor != null && !cursor.isEmpty()) {
      body.put("cursor", cursor);
    }
    JsonNode answer = post("/cgi-bin/kf/sync_msg", body);
    List<JsonNode> messages = new ArrayList<>();
    answer.path("msg_list").forEach(messages::add);
    return new KfSyncPage(answer.path("next_cursor").asText(""), answer.path("has_more").asInt() == 1, messages);
  }

  @Override
  public List<StaffBehavior> getUserBehavior(String userId, java.time.Instant from, java.time.Instant to)
      throws WeComApiException {
    var answer = call("/cgi-bin/externalcontact/get_user_behavior_data", () -> service.getExternalContactService()
        .getUserBehaviorStatistic(java.util.Date.from(from), java.util.Date.from(to), new String[] {userId}, null));
    List<StaffBehavior> days = new ArrayList<>();
    if (answer != null && answer.getBehaviorList() != null) {
      for (var b : answer.getBehaviorList()) {
        days.add(new StaffBehavior(b.getStatTime() == null ? 0 : b.getStatTime(), orZero(b.getNewApplyCnt()),
            orZero(b.getNewContactCnt()), orZero(b.getChatCnt()), orZero(b.getMessageCnt()), b.getReplyPercentage(),
            b.getAvgReplyTime(), orZero(b.getNegativeFeedbackCnt())));
      }
    }
    return days;
  }

  private static int orZero(Integer n) {
    return n == null ? 0 : n;
  }

  @Override
  public List<InterceptRuleRef> listInterceptRules() throws WeComApiException {
    var answer = call("/cgi-bin/externalcontact/get_intercept_rule_list",
        () -> service.getExternalContactService().getInterceptRuleList());
    List<InterceptRuleRef> rules = new ArrayList<>();
    if (answer != null && answer.getRuleList() != null) {
      answer.getRuleList().forEach(r -> rules.add(new InterceptRuleRef(r.getRuleId(), r.getRuleName())));
    }
    return rules;
  }

  @Override
  public InterceptRule getInterceptRule(String ruleId) throws WeComApiException {
    var rule = call("/cgi-bin/externalcontact/get_intercept_rule",
        () -> service.getExternalContactService().getInterceptRuleDetail(ruleId)).getRule();
    if (rule == null) {
      throw WeComApiException.transport("/cgi-bin/externalcontact/get_intercept_rule", "answer without rule", null);
    }
    var range = rule.getApplicableRange();
    return new InterceptRule(rule.getRuleName(), rule.getWordList(),
        rule.getInterceptType() == null ? 0 : rule.getInterceptType(),
        range == null ? null : new InterceptRange(range.getUserList(), range.getDepartmentList()),
        rule.getSemanticsList());
  }

  @Override
  public String addInterceptRule(InterceptRule rule) throws WeComApiException {
    var request = me.chanjar.weixin.cp.bean.external.interceptrule.WxCpInterceptRuleAddRequest.builder()
        .ruleName(rule.name()).wordList(rule.words()).interceptType(rule.interceptType())
        .semanticsList(rule.semantics().isEmpty() ? null : rule.semantics())
        .applicableRange(wxRange(rule.range())).build();
    String ruleId = call("/cgi-bin/externalcontact/add_intercept_rule",
        () -> service.getExternalContactService().addInterceptRule(request));
    if (ruleId == null || ruleId.isEmpty()) {
      throw WeComApiException.transport("/cgi-bin/externalcontact/add_intercept_rule", "answer without rule_id", null);
    }
    return ruleId;
  }

  @Override
  public void updateInterceptRule(String ruleId, InterceptRule rule, InterceptRange add, InterceptRange remove)
      throws WeComApiException {
    var request = me.chanjar.weixin.cp.bean.external.interceptrule.WxCpInterceptRule.builder()
        .ruleId(ruleId).ruleName(rule.name()).wordList(rule.words()).interceptType(rule.interceptType())
        .addApplicableRange(wxRange(add)).removeApplicableRange(wxRange(remove)).build();
    // Always sent, an empty list included: left out, WeCom would keep the kinds the rule had. [U]
    var extra = new me.chanjar.weixin.cp.bean.external.interceptrule.WxCpInterceptRule.ExtraRule();
    extra.setSemanticsList(rule.semantics());
    request.setExtraRule(extra);
    call("/cgi-bin/externalcontact/update_intercept_rule", () -> {
      service.getExternalContactService().updateInterceptRule(request);
      return null;
    });
  }

  @Override
  public void deleteInterceptRule(String ruleId) throws WeComApiException {
    call("/cgi-bin/externalcontact/del_intercept_rule", () -> {
      service.getExternalContactService().delInterceptRule(ruleId);
      return null;
    });
  }

  /** WxJava's range, or null (left out of the request) when empty: WeCom refuses empty lists. */
  private static me.chanjar.weixin.cp.bean.external.interceptrule.ApplicableRange wxRange(InterceptRange range) {
    if (range == null || range.isEmpty()) {
      return null;
    }
    var wx = new me.chanjar.weixin.cp.bean.external.interceptrule.ApplicableRange();
    wx.setUserList(range.users().isEmpty() ? null : range.users());
    wx.setDepartmentList(range.departments().isEmpty() ? null : range.departments());
    return wx;
  }

  /**
   * An upload through {@link #call} (metrics, errcodes); WxJava returns the media id itself, not JSON.
   * An answer without a media id is no upload at all: a transport failure, so callers retry.
   */
  private String upload(String api, WxCall<String> mediaIdCall) throws WeComApiException {
    String mediaId = call(api, mediaIdCall);
    if (mediaId == null || mediaId.isEmpty()) {
      throw WeComApiException.transport(api, "answer without media_id", null);
    }
    return mediaId;
  }

  @FunctionalInterface
  private interface WxCall<T> {
    T run() throws WxErrorException, IOException;
  }

  private JsonNode parse(String answer) throws IOException {
    return answer == null || answer.isBlank() ? json.createObjectNode() : json.readTree(answer);
  }

  /** One WeCom call, timed per endpoint; WxJava's errors become {@link WeComApiException}s with their errcode. */
  private <T> T call(String api, WxCall<T> call) throws WeComApiException {
    pacer.await(api);
    Timer.Sample sample = Timer.start(meters);
    String outcome = "ok";
    try {
      return call.run();
    } catch (WxErrorException e) {
      outcome = String.valueOf(e.getError().getErrorCode());
      throw WeComApiException.fromErrcode(api, e.getError().getErrorCode(), e.getError().getErrorMsg());
    } catch (WxRuntimeException e) {
      WeComApiException failure = transport(api, e);
      outcome = failure.kind() == WeComApiException.Kind.NOT_SENT ? "not_sent" : "transport";
      throw failure;
    } catch (IOException e) {
      // Our own reading of the answer failed (WeCom answered, but not JSON): it may have acted.
      outcome = "transport";
      throw WeComApiException.transport(api, e.getClass().getSimpleName(), e);
    } finally {
      sample.stop(meters.timer("liuliang.wecom.api", "api", api, "outcome", outcome));
    }
  }

  /**
   * WxJava wraps I/O failures in a runtime exception. What the failure says about the request's
   * fate decides what the outbox may do next: a request that never reached WeCom's service is retried
   * like a busy answer; one that may have been acted on is checked before it is sent again.
   */
  static WeComApiException transport(String api, WxRuntimeException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpResponseException http) {
        int status = http.getStatusCode();
        String what = "HTTP " + status;
        if (status == 429) {
          return new WeComApiException(api, WeComApiException.NO_ERRCODE, what, WeComApiException.Kind.RATE_LIMITED, e);
        }
        // A gateway answers 502/503 itself, before the service sees the request; 500 and 504 may come after it acted.
        return status == 502 || status == 503
            ? WeComApiException.notSent(api, what, e) : WeComApiException.transport(api, what, e);
      }
      if (cause instanceof ConnectException || cause instanceof ConnectTimeoutException
          || cause instanceof UnknownHostException || cause instanceof NoRouteToHostException) {
        return WeComApiException.notSent(api, cause.getClass().getSimpleName(), e);
      }
      if (cause instanceof IOException io) {
        return WeComApiException.transport(api, io.getClass().getSimpleName(), e);
      }
    }
    return WeComApiException.transport(api, e.getClass().getSimpleName(), e);
  }

  @Override
  public List<CustomerTransfer> transferCustomers(Handover kind, String handoverUserId, String takeoverUserId,
      List<String> externalUserIds, String message) throws WeComApiException {
    var request = new me.chanjar.weixin.cp.bean.external.WxCpUserTransferCustomerReq();
    request.setHandOverUserid(handoverUserId);
    request.setTakeOverUserid(takeoverUserId);
    request.setExternalUserid(List.copyOf(externalUserIds));
    var external = service.getExternalContactService();
    me.chanjar.weixin.cp.bean.external.WxCpUserTransferCustomerResp answer;
    if (kind == Handover.RESIGNED) {
      answer = call("/cgi-bin/externalcontact/resigned/transfer_customer", () -> external.resignedTransferCustomer(request));
    } else {
      request.setTransferMsg(message);
      answer = call("/cgi-bin/externalcontact/transfer_customer", () -> external.transferCustomer(request));
    }
    List<CustomerTransfer> customers = new ArrayList<>();
    if (answer.getCustomer() != null) {
      answer.getCustomer().forEach(c -> customers.add(new CustomerTransfer(c.getExternalUserid(),
          c.getErrcode() == null ? 0 : c.getErrcode())));
    }
    return customers;
  }

  @Override
  public TransferResultPage transferResults(Handover kind, String handoverUserId, String takeoverUserId, String cursor)
      throws WeComApiException {
    var external = service.getExternalContactService();
    String page = cursor == null || cursor.isEmpty() ? null : cursor;
    var answer = kind == Handover.RESIGNED
        ? call("/cgi-bin/externalcontact/resigned/transfer_result",
            () -> external.resignedTransferResult(handoverUserId, takeoverUserId, page))
        : call("/cgi-bin/externalcontact/transfer_result",
            () -> external.transferResult(handoverUserId, takeoverUserId, page));
    List<TransferResult> customers = new ArrayList<>();
    if (answer.getCustomer() != null) {
      // WxJava's STATUS names WeCom's 1..5 in order; a status it does not know reads as 0 (still open).
      answer.getCustomer().forEach(c -> customers.add(new TransferResult(c.getExternalUserid(),
          c.getStatus() == null ? 0 : c.getStatus().ordinal() + 1, c.getTakeOverTime() == null ? 0 : c.getTakeOverTime())));
    }
    return new TransferResultPage(customers, answer.getNextCursor());
  }

  @Override
  public UnassignedPage listUnassigned(String cursor, int pageSize) throws WeComApiException {
    String page = cursor == null || cursor.isEmpty() ? null : cursor;
    // page_id is gone from WeCom's doc (cursor paging only); WxJava leaves it out when null.
    var answer = call("/cgi-bin/externalcontact/get_unassigned_list",
        () -> service.getExternalContactService().listUnassignedList(null, page, pageSize));
    List<Unassigned> customers = new ArrayList<>();
    if (answer.getUnassignInfos() != null) {
      answer.getUnassignInfos().forEach(u -> customers.add(new Unassigned(u.getHandoverUserid(), u.getExternalUserid(),
          u.getDimissionTime() == null ? 0 : u.getDimissionTime())));
    }
    return new UnassignedPage(customers, answer.isLast(), answer.getNextCursor());
  }

  @Override
  public List<GroupTransferFailure> transferGroupChats(Handover kind, List<String> chatIds, String newOwner)
      throws WeComApiException {
    String[] ids = chatIds.toArray(String[]::new);
    var external = service.getExternalContactService();
    var answer = kind == Handover.RESIGNED
        ? call("/cgi-bin/externalcontact/groupchat/transfer", () -> external.transferGroupChat(ids, newOwner))
        : call("/cgi-bin/externalcontact/groupchat/onjob_transfer", () -> external.onjobTransferGroupChat(ids, newOwner));
    List<GroupTransferFailure> failed = new ArrayList<>();
    if (answer.getFailedChatList() != null) {
      answer.getFailedChatList().forEach(f -> failed.add(new GroupTransferFailure(f.getChatId(),
          f.getErrcode() == null ? -1 : f.getErrcode().intValue(), f.getErrmsg())));
    }
    return failed;
  }

  @Override
  public java.util.Optional<String> staffForOAuthCode(String code) throws WeComApiException {
    // WxJava puts the code into the URL as it is: only WeCom's own alphabet passes (≤ 512 bytes).
    if (code == null || !code.matches("[A-Za-z0-9_-]{1,512}")) {
      throw WeComApiException.fromErrcode("/cgi-bin/auth/getuserinfo", 40029, "invalid code");
    }
    String userId = call("/cgi-bin/auth/getuserinfo", () -> service.getOauth2Service().getAuthUserInfo(code)).getUserId();
    return userId == null || userId.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(userId);
  }

  @Override
  public JsapiSignature jsapiSignature(String url, boolean agent) throws WeComApiException {
    String api = agent ? "/cgi-bin/ticket/get" : "/cgi-bin/get_jsapi_ticket";
    String ticket = call(api, () -> agent ? service.getAgentJsapiTicket() : service.getJsapiTicket());
    if (ticket == null || ticket.isEmpty()) {
      throw WeComApiException.transport(api, "answer without ticket", null);
    }
    // WxJava's createAgentJsapiSignature reads the system clock; ours is injected (tests move it).
    long timestamp = clock.millis() / 1000;
    String nonce = me.chanjar.weixin.common.util.RandomUtils.getRandomStr();
    var config = service.getWxCpConfigStorage();
    return new JsapiSignature(config.getCorpId(), String.valueOf(config.getAgentId()), timestamp, nonce,
        signature(ticket, nonce, timestamp, url));
  }

  /**
   * WeCom's JS-SDK signature: SHA1 of {@code jsapi_ticket=T&noncestr=N&timestamp=TS&url=URL}, the url as the
   * page has it (no {@code #...}, not encoded); WxJava's own {@code SHA1.genWithAmple}, as its
   * {@code createAgentJsapiSignature} uses.
   */
  static String signature(String ticket, String nonce, long timestamp, String url) {
    return me.chanjar.weixin.common.util.crypto.SHA1.genWithAmple("jsapi_ticket=" + ticket, "noncestr=" + nonce,
        "timestamp=" + timestamp, "url=" + url);
  }
}
