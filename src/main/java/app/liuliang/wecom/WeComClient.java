package app.liuliang.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Our view of the WeCom API. Features call it for reads; sends go through the {@link Outbox}, which
 * calls {@link #post} for them. Paths are WeCom's, e.g. {@code /cgi-bin/externalcontact/mark_tag};
 * the access token is added underneath.
 */
public interface WeComClient {

  /** POSTs a JSON body; returns WeCom's JSON answer (errcode 0). */
  JsonNode post(String apiPath, JsonNode body) throws WeComApiException;

  /** GETs with query parameters; returns WeCom's JSON answer (errcode 0). */
  JsonNode get(String apiPath, Map<String, String> query) throws WeComApiException;

  /** {@code media/upload}: a temporary media id (valid 3 days) for image, voice, video or file. */
  String uploadMedia(String type, Path file) throws WeComApiException;

  /**
   * {@code media/upload} of an image held in memory (a stored QR code): WxJava uploads files, so it
   * goes through a temporary file (named after {@code what}) that is deleted again.
   */
  default String uploadImage(String what, byte[] png) throws WeComApiException {
    Path file = null;
    try {
      file = java.nio.file.Files.createTempFile(what, ".png");
      java.nio.file.Files.write(file, png);
      return uploadMedia("image", file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot stage the image for upload", e);
    } finally {
      if (file != null) {
        file.toFile().delete();
      }
    }
  }

  /** {@code media/upload_attachment}: the media id Moments need (valid 3 days). */
  String uploadAttachment(String mediaType, Path file) throws WeComApiException;

  /** {@code externalcontact/get}: the contact and the staff who follow them. */
  ExternalContact getExternalContact(String externalUserId) throws WeComApiException;

  /** {@code externalcontact/get_corp_tag_list}: every corp tag group with its tags. */
  List<CorpTagGroup> listCorpTags() throws WeComApiException;

  /** {@code externalcontact/add_corp_tag}: adds tags to a group (created when missing). */
  CorpTagGroup addCorpTags(String groupName, List<String> tagNames) throws WeComApiException;

  /** {@code kf/sync_msg}: one page of customer-service messages after {@code cursor}. */
  KfSyncPage syncKfMessages(String cursor, String token, String openKfId, int limit) throws WeComApiException;

  /**
   * {@code externalcontact/groupchat/list}: one page of the customer groups these owners (at most
   * 100) own, of every status.
   */
  GroupChatPage listGroupChats(List<String> ownerUserIds, String cursor, int limit) throws WeComApiException;

  /** {@code externalcontact/groupchat/get}: a customer group with its members (names included). */
  GroupChat getGroupChat(String chatId) throws WeComApiException;

  /** A page of {@code groupchat/list}: chat ids and the cursor of the next page (empty on the last). */
  record GroupChatPage(List<String> chatIds, String nextCursor) {
    public GroupChatPage {
      chatIds = chatIds == null ? List.of() : List.copyOf(chatIds);
      nextCursor = nextCursor == null ? "" : nextCursor;
    }
  }

  /** A customer group as {@code groupchat/get} describes it; {@code createTime} in epoch seconds. */
  record GroupChat(String chatId, String name, String owner, long createTime, String notice, String memberVersion,
      List<GroupMember> members) {
    public GroupChat {
      members = members == null ? List.of() : List.copyOf(members);
    }
  }

  /**
   * A group member: {@code type} 1 staff, 2 external contact (then {@code userId} is the external
   * userid); {@code joinScene} 1 invited, 2 invitation link, 3 QR code; {@code state} set when they
   * joined through a group code with a state.
   */
  record GroupMember(String userId, int type, String unionId, long joinTime, int joinScene, String invitor,
      String groupNickname, String name, String state) {
  }

  /** A patient as {@code externalcontact/get} describes them. */
  record ExternalContact(String externalUserId, String name, int type, int gender, String unionId,
      List<FollowUser> followUsers) {
    public ExternalContact {
      followUsers = followUsers == null ? List.of() : List.copyOf(followUsers);
    }
  }

  /** One staff member following the contact, with the state of the QR code the patient scanned. */
  record FollowUser(String userId, String remark, long createTime, int addWay, String state,
      List<FollowTag> tags) {
    public FollowUser {
      tags = tags == null ? List.of() : List.copyOf(tags);
    }
  }

  /** A tag a follow user put on the contact (type 1 corp, 2 personal, 3 rule). */
  record FollowTag(String groupName, String tagName, String tagId, int type) {
  }

  record CorpTagGroup(String groupId, String groupName, List<CorpTag> tags) {
    public CorpTagGroup {
      tags = tags == null ? List.of() : List.copyOf(tags);
    }
  }

  record CorpTag(String id, String name) {
  }

  /** A page of {@code kf/sync_msg}: messages as WeCom's JSON objects, the next cursor, more or not. */
  record KfSyncPage(String nextCursor, boolean hasMore, List<JsonNode> messages) {
    public KfSyncPage {
      messages = messages == null ? List.of() : List.copyOf(messages);
    }
  }

  /** Whose customers move: a member still at the corp (在职) or one who has left (离职). */
  enum Handover { ONJOB, RESIGNED }

  /**
   * {@code externalcontact/transfer_customer} (在职) or {@code resigned/transfer_customer} (离职): at most
   * 100 customers a call; errcode 0 per customer means started (taken over after 24 h), not done.
   *
   * @param message the transfer_success_msg a customer sees (在职 only; null for WeCom's own text)
   */
  List<CustomerTransfer> transferCustomers(Handover kind, String handoverUserId, String takeoverUserId,
      List<String> externalUserIds, String message) throws WeComApiException;

  /** {@code transfer_result} / {@code resigned/transfer_result}: one page of where the customers stand. */
  TransferResultPage transferResults(Handover kind, String handoverUserId, String takeoverUserId, String cursor)
      throws WeComApiException;

  /** {@code externalcontact/get_unassigned_list}: one page of departed staff's customers not yet given to anyone. */
  UnassignedPage listUnassigned(String cursor, int pageSize) throws WeComApiException;

  /**
   * {@code groupchat/onjob_transfer} (在职) or {@code groupchat/transfer} (离职) of at most 100 groups; the
   * groups that did not move, with why (the rest moved).
   */
  List<GroupTransferFailure> transferGroupChats(Handover kind, List<String> chatIds, String newOwner)
      throws WeComApiException;

  /** One customer of a {@code transfer_customer} call: errcode 0 started, else why not. */
  record CustomerTransfer(String externalUserId, int errcode) {
  }

  /**
   * A customer's transfer: {@code status} 1 taken over, 2 waiting (24 h), 3 refused, 4 takeover's limit
   * reached, 5 no record; {@code takeoverTime} in epoch seconds (0 before).
   */
  record TransferResult(String externalUserId, int status, long takeoverTime) {
  }

  record TransferResultPage(List<TransferResult> customers, String nextCursor) {
    public TransferResultPage {
      customers = customers == null ? List.of() : List.copyOf(customers);
      nextCursor = nextCursor == null ? "" : nextCursor;
    }
  }

  /** A departed member's customer nobody took over; {@code dimissionTime} in epoch seconds. */
  record Unassigned(String handoverUserId, String externalUserId, long dimissionTime) {
  }

  record UnassignedPage(List<Unassigned> customers, boolean last, String nextCursor) {
    public UnassignedPage {
      customers = customers == null ? List.of() : List.copyOf(customers);
      nextCursor = nextCursor == null ? "" : nextCursor;
    }
  }

  record GroupTransferFailure(String chatId, int errcode, String errmsg) {
  }
  /**
   * {@code externalcontact/get_user_behavior_data} for one staff member, {@code from} to {@code to}
   * (WeCom: a closed interval of at most 30 days within the last 180, midnights of the clinic's days);
   * one entry per day.
   */
  List<StaffBehavior> getUserBehavior(String userId, java.time.Instant from, java.time.Instant to)
      throws WeComApiException;

  /**
   * One day of a staff member's WeCom figures; {@code replyPercentage} (0-100) and {@code avgReplyTime}
   * (minutes) are null on days without replies. {@code statTime} is the day's midnight in epoch seconds.
   */
  record StaffBehavior(long statTime, int newApplyCnt, int newContactCnt, int chatCnt, int messageCnt,
      Double replyPercentage, Integer avgReplyTime, int negativeFeedbackCnt) {
  }

  /** {@code externalcontact/get_intercept_rule_list}: every intercept rule of the corp (ours and the clinic's). */
  List<InterceptRuleRef> listInterceptRules() throws WeComApiException;

  /** {@code externalcontact/get_intercept_rule}: one rule with its words and where it applies. */
  InterceptRule getInterceptRule(String ruleId) throws WeComApiException;

  /** {@code externalcontact/add_intercept_rule}: the new rule's id. */
  String addInterceptRule(InterceptRule rule) throws WeComApiException;

  /**
   * {@code externalcontact/update_intercept_rule}: new name, words and type; the range changes by what
   * is added and removed (WeCom takes the difference, not the whole range).
   */
  void updateInterceptRule(String ruleId, InterceptRule rule, InterceptRange add, InterceptRange remove)
      throws WeComApiException;

  /** {@code externalcontact/del_intercept_rule}. */
  void deleteInterceptRule(String ruleId) throws WeComApiException;

  /** A rule as the list shows it. */
  record InterceptRuleRef(String ruleId, String name) {
  }

  /**
   * An intercept rule (敏感词): up to 300 words of 1 to 32 characters; {@code interceptType} 1 warn and
   * block, 2 warn only; {@code semantics} WeCom's built-in kinds (1 phone numbers, 2 e-mail, 3 red packets).
   */
  record InterceptRule(String name, List<String> words, int interceptType, InterceptRange range,
      List<Integer> semantics) {
    public InterceptRule {
      words = words == null ? List.of() : List.copyOf(words);
      range = range == null ? new InterceptRange(List.of(), List.of()) : range;
      semantics = semantics == null ? List.of() : List.copyOf(semantics);
    }

    public InterceptRule(String name, List<String> words, int interceptType, InterceptRange range) {
      this(name, words, interceptType, range, List.of());
    }
  }

  /** Who a rule applies to: staff userids and department ids. */
  record InterceptRange(List<String> users, List<Integer> departments) {
    public InterceptRange {
      users = users == null ? List.of() : List.copyOf(users);
      departments = departments == null ? List.of() : List.copyOf(departments);
    }

    public boolean isEmpty() {
      return users.isEmpty() && departments.isEmpty();
    }
  }

  /**
   * {@code auth/getuserinfo} (WxJava's {@code getAuthUserInfo}): the staff userid an OAuth2 code from the
   * sidebar's sign-in stands for; empty when the code is a non-member's (WeCom then answers an openid).
   */
  java.util.Optional<String> staffForOAuthCode(String code) throws WeComApiException;

  /**
   * The JS-SDK signature for the page at {@code url} (without its {@code #...}): with the app's ticket
   * ({@code ticket/get?type=agent_config}, for {@code getAgentConfigSignature}) when {@code agent}, else the
   * corp's ({@code get_jsapi_ticket}, for {@code getConfigSignature}). Tickets are cached until they expire.
   */
  JsapiSignature jsapiSignature(String url, boolean agent) throws WeComApiException;

  /** What {@code ww.register}'s signature callbacks return, with the ids the page registers. */
  record JsapiSignature(String corpId, String agentId, long timestamp, String nonceStr, String signature) {
  }
}
