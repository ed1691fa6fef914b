package app.liuliang.contact;

import java.util.Optional;

/** The group code (群活码) of a customer-group category: its QR image URL, once WeCom made it. */
@FunctionalInterface
public interface GroupCodes {

  /** No customer groups configured. */
  GroupCodes NONE = category -> Optional.empty();

  Optional<String> qrCode(String category);
}
