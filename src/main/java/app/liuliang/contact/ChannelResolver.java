package app.liuliang.contact;

import app.liuliang.contact.ChannelCatalog.Channel;

/** Turns a contact way's {@code state} into a channel (and a referral code for {@code ref:...}). */
final class ChannelResolver {

  /** The channel; {@code referralCode} is set for referral states ({@code ref:K7QM2X} → K7QM2X). */
  record Resolution(Channel channel, String referralCode) {
  }

  private final ChannelCatalog catalog;

  ChannelResolver(ChannelCatalog catalog) {
    this.catalog = catalog;
  }

  Resolution resolve(String state) {
    if (state == null || state.isBlank()) {
      return new Resolution(catalog.unknown(), null);
    }
    String s = state.trim();
    for (Channel c : catalog.channels()) {
      if (c.states().contains(s)) {
        return new Resolution(c, null);
      }
    }
    for (Channel c : catalog.channels()) {
      if (c.statePrefix() != null && !c.statePrefix().isEmpty() && s.startsWith(c.statePrefix())) {
        String code = s.substring(c.statePrefix().length()).trim();
        boolean referral = ChannelCatalog.REFERRAL.equals(c.id()) && !code.isEmpty();
        return new Resolution(c, referral ? code : null);
      }
    }
    return new Resolution(catalog.unknown(), null);
  }
}
