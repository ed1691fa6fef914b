package app.liuliang.message;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What patient messages need to know and change about a contact ({@link PatientServiceContactProfile}):
 * layers and tags through the new-patients service, so every follower is tagged and untagged alike.
 * Layers only ever move up here.
 */
public interface ContactProfile {

  /** A contact's name, layer, tags and opt-out state, for cards and decisions. */
  record Summary(String externalUserId, String name, String layer, List<String> tags, boolean optedOut) {
  }

  /** Makes sure a row exists (kf customers may never have been added as contacts). */
  void ensureKnown(String externalUserId, String channel);

  Optional<Summary> summary(String externalUserId);

  /** Those of these contacts who have no name yet (unknown ones included), in the given order, once each. */
  List<String> unnamed(Collection<String> externalUserIds);

  /**
   * Names the contacts that have none yet, creating unknown ones on {@code channel} like
   * {@link #ensureKnown}. A name already there (from {@code externalcontact/get}) is kept: it is
   * the one staff see in their own WeCom.
   */
  void nameIfUnnamed(Map<String, String> nameByExternalUserId, String channel);

  /** The patient wrote: a stranger becomes potential. True when the layer moved. */
  boolean recordReply(String externalUserId);

  /** Raises the layer to at least {@code layer}; never lowers it. True when it moved. */
  boolean raiseTo(String externalUserId, String layer, String reason);

  /** Adds a corp tag (locally, and in WeCom when the contact follows a staff member). */
  void tag(String externalUserId, String tagName, String source);

  void untag(String externalUserId, String tagName);

  void setOptedOut(String externalUserId, boolean optedOut);

  /** The staff userids following this contact (active follows). */
  List<String> followers(String externalUserId);
}
