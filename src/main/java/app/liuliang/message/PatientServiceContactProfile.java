package app.liuliang.message;

import app.liuliang.contact.ContactLayers;
import app.liuliang.contact.ContactTagger;
import app.liuliang.wecom.WeComApiException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Messages' view of a contact, with layers and tags owned by the new-patients service (one place
 * moves layers and keeps the single WeCom layer tag right); reads and opt-out state stay on the
 * shared tables through {@link ContactTables}.
 */
final class PatientServiceContactProfile implements ContactProfile {

  private final ContactTables tables;
  private final ContactLayers layers;
  private final ContactTagger tagger;

  PatientServiceContactProfile(ContactTables tables, ContactLayers layers, ContactTagger tagger) {
    this.tables = tables;
    this.layers = layers;
    this.tagger = tagger;
  }

  /** A WeCom read failed inside the layer service: the inbox retries the whole message later. */
  private static IllegalStateException retryLater(WeComApiException e) {
    return new IllegalStateException(e.getMessage(), e);
  }

  @Override
  public void ensureKnown(String externalUserId, String channel) {
    tables.ensureKnown(externalUserId, channel);
  }

  @Override
  public Optional<Summary> summary(String externalUserId) {
    return tables.summary(externalUserId);
  }

  @Override
  public List<String> unnamed(Collection<String> externalUserIds) {
    return tables.unnamed(externalUserIds);
  }

  @Override
  public void nameIfUnnamed(Map<String, String> nameByExternalUserId, String channel) {
    tables.nameIfUnnamed(nameByExternalUserId, channel);
  }

  @Override
  public boolean recordReply(String externalUserId) {
    try {
      return layers.recordReply(externalUserId);
    } catch (WeComApiException e) {
      throw retryLater(e);
    }
  }

  @Override
  public boolean raiseTo(String externalUserId, String layer, String reason) {
    try {
      return layers.raiseTo(externalUserId, layer, reason);
    } catch (WeComApiException e) {
      throw retryLater(e);
    }
  }

  @Override
  public void tag(String externalUserId, String tagName, String source) {
    try {
      tagger.tag(externalUserId, tagName, source);
    } catch (WeComApiException e) {
      throw retryLater(e);
    }
  }

  @Override
  public void untag(String externalUserId, String tagName) {
    try {
      tagger.untag(externalUserId, tagName);
    } catch (WeComApiException e) {
      throw retryLater(e);
    }
  }

  @Override
  public void setOptedOut(String externalUserId, boolean optedOut) {
    tables.setOptedOut(externalUserId, optedOut);
  }

  @Override
  public List<String> followers(String externalUserId) {
    return tables.followers(externalUserId);
  }
}
