package app.liuliang.contact;

import app.liuliang.contact.ChannelCatalog.Channel;
import app.liuliang.contact.ChannelCatalog.DeclaredCode;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns a contact way's {@code state} into a channel: the states of the codes Liuliang made
 * ({@code lc.meituan.east} → 美团, store east), then hand-made states, then prefixes (a referral code
 * for {@code ref:...}).
 */
final class ChannelResolver {

  /**
   * The channel; {@code store} is the store id of a per-store code ('' otherwise); {@code referralCode}
   * is set for referral states ({@code ref:K7QM2X} → K7QM2X).
   */
  record Resolution(Channel channel, String store, String referralCode) {
  }

  private final ChannelCatalog catalog;
  private final Map<String, DeclaredCode> codes;

  ChannelResolver(ChannelCatalog catalog) {
    this.catalog = catalog;
    this.codes = catalog.codes().stream().collect(Collectors.toMap(DeclaredCode::state, Function.identity()));
  }

  Resolution resolve(String state) {
    if (state == null || state.isBlank()) {
      return new Resolution(catalog.unknown(), "", null);
    }
    String s = state.trim();
    DeclaredCode code = codes.get(s);
    if (code != null) {
      return new Resolution(code.channel(), code.storeId(), null);
    }
    if (s.startsWith(ChannelCatalog.CODE_STATE_PREFIX)) {
      // A code of ours this process does not declare (made by `channels sync` from a newer file).
      String[] parts = s.substring(ChannelCatalog.CODE_STATE_PREFIX.length()).split("\\.", 2);
      var channel = catalog.find(parts[0]);
      if (channel.isPresent()) {
        return new Resolution(channel.get(), parts.length > 1 ? parts[1] : "", null);
      }
    }
    for (Channel c : catalog.channels()) {
      if (c.states().contains(s)) {
        return new Resolution(c, "", null);
      }
    }
    for (Channel c : catalog.channels()) {
      if (c.statePrefix() != null && !c.statePrefix().isEmpty() && s.startsWith(c.statePrefix())) {
        String referral = s.substring(c.statePrefix().length()).trim();
        boolean isReferral = ChannelCatalog.REFERRAL.equals(c.id()) && !referral.isEmpty();
        return new Resolution(c, "", isReferral ? referral : null);
      }
    }
    return new Resolution(catalog.unknown(), "", null);
  }
}
