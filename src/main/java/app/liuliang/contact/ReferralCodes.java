package app.liuliang.contact;

import java.util.Optional;

/**
 * A patient's personal referral code, for the kf reply when they ask for it and for journey steps
 * ({@code {referral_qr}}); made by the channel codes feature, which owns the 「联系我」 API.
 */
public interface ReferralCodes {

  /** Their referral code and its QR image (PNG). */
  record PersonalCode(String referralCode, byte[] qrPng) {
  }

  /** Made now if need be; empty when none can be made (not an added contact, WeCom refused). */
  Optional<PersonalCode> forPatient(String externalUserId);

  /** For a server without the channel codes feature (tests of messages alone). */
  static ReferralCodes none() {
    return externalUserId -> Optional.empty();
  }
}
