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
}
