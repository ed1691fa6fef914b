package app.liuliang.sop;

import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A WeCom that answers reads from a map and records every call; uploads return "att-" / "media-" + file name. */
final class FakeWeCom implements WeComClient {

  final ObjectMapper json = new ObjectMapper();
  final List<String> calls = new ArrayList<>();
  final Map<String, JsonNode> answers = new HashMap<>();
  final List<CorpTagGroup> corpTags = new ArrayList<>();

  void answer(String api, String body) {
    try {
      answers.put(api, json.readTree(body));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public synchronized JsonNode post(String apiPath, JsonNode body) {
    calls.add("POST " + apiPath + " " + body);
    return answers.getOrDefault(apiPath, json.createObjectNode().put("errcode", 0));
  }

  @Override
  public synchronized JsonNode get(String apiPath, Map<String, String> query) {
    calls.add("GET " + apiPath + " " + query);
    return answers.getOrDefault(apiPath, json.createObjectNode().put("errcode", 0));
  }

  @Override
  public synchronized String uploadMedia(String type, Path file) {
    calls.add("uploadMedia " + type + " " + file.getFileName());
    return "media-" + file.getFileName();
  }

  @Override
  public synchronized String uploadAttachment(String mediaType, Path file) {
    calls.add("uploadAttachment " + mediaType + " " + file.getFileName());
    return "att-" + file.getFileName();
  }

  @Override
  public ExternalContact getExternalContact(String externalUserId) throws WeComApiException {
    throw new WeComApiException("externalcontact/get", 84061, "not external contact", WeComApiException.Kind.REJECTED, null);
  }

  @Override
  public List<CorpTagGroup> listCorpTags() {
    return corpTags;
  }

  @Override
  public CorpTagGroup addCorpTags(String groupName, List<String> tagNames) {
    throw new UnsupportedOperationException();
  }

  @Override
  public KfSyncPage syncKfMessages(String cursor, String token, String openKfId, int limit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public GroupChatPage listGroupChats(List<String> ownerUserIds, String cursor, int limit) {
    return new GroupChatPage(List.of(), "");
  }

  @Override
  public GroupChat getGroupChat(String chatId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<CustomerTransfer> transferCustomers(Handover kind, String from, String to, List<String> ids, String message) {
    throw new UnsupportedOperationException();
  }

  @Override
  public TransferResultPage transferResults(Handover kind, String from, String to, String cursor) {
    throw new UnsupportedOperationException();
  }

  @Override
  public UnassignedPage listUnassigned(String cursor, int pageSize) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<GroupTransferFailure> transferGroupChats(Handover kind, List<String> chatIds, String newOwner) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<StaffBehavior> getUserBehavior(String userId, java.time.Instant from, java.time.Instant to) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<InterceptRuleRef> listInterceptRules() {
    throw new UnsupportedOperationException();
  }

  @Override
  public InterceptRule getInterceptRule(String ruleId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public String addInterceptRule(InterceptRule rule) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void updateInterceptRule(String ruleId, InterceptRule rule, InterceptRange add, InterceptRange remove) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void deleteInterceptRule(String ruleId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public java.util.Optional<String> staffForOAuthCode(String code) {
    throw new UnsupportedOperationException();
  }

  @Override
  public JsapiSignature jsapiSignature(String url, boolean agent) {
    throw new UnsupportedOperationException();
  }
}
