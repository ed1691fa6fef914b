package app.liuliang.callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import me.chanjar.weixin.common.util.crypto.PKCS7Encoder;
import me.chanjar.weixin.common.util.crypto.SHA1;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;

/**
 * WeCom's callback crypto, on WxJava's {@link WxCryptUtil}: SHA-1 signatures and AES-256-CBC.
 *
 * <p>WxJava's {@code decrypt} throws the receive id away (its check is commented out), so the
 * decryption here keeps it: a message sealed for another corp must be refused.
 */
public final class CallbackCrypto {

  private final String token;
  private final String corpId;
  private final Codec codec;

  public CallbackCrypto(String token, String encodingAesKey, String corpId) {
    this.token = token;
    this.corpId = corpId;
    this.codec = new Codec(token, encodingAesKey, corpId);
  }

  /** What a ciphertext opened to: the message and the corp it was sealed for. */
  public record Opened(String message, String receiveId) {
  }

  public String corpId() {
    return corpId;
  }

  public boolean signatureMatches(String signature, String timestamp, String nonce, String encrypted) {
    // WxJava's SHA1 refuses an empty part with an exception whose message lists every part, the
    // Token among them: such a request is answered here, before the token is ever in a string.
    if (isEmpty(signature) || isEmpty(timestamp) || isEmpty(nonce) || isEmpty(encrypted)) {
      return false;
    }
    byte[] expected = sign(timestamp, nonce, encrypted).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
  }

  private static boolean isEmpty(String part) {
    return part == null || part.isEmpty();
  }

  public String sign(String timestamp, String nonce, String encrypted) {
    return SHA1.gen(token, timestamp, nonce, encrypted);
  }

  /** Opens a ciphertext; throws {@link IllegalArgumentException} when it is not one of ours. */
  public Opened open(String encrypted) {
    return codec.open(encrypted);
  }

  /** Seals a message the way WeCom does (random prefix, length, message, corp id). */
  public String seal(String message) {
    // WxJava's one-argument encrypt returns a whole signed envelope; this one, the ciphertext.
    return codec.encrypt(randomPrefix(), message);
  }

  private static String randomPrefix() {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder prefix = new StringBuilder(16);
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int i = 0; i < 16; i++) {
      prefix.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return prefix.toString();
  }

  /** WxJava's util, with a decrypt that also returns the receive id. */
  private static final class Codec extends WxCryptUtil {

    Codec(String token, String encodingAesKey, String corpId) {
      super(token, encodingAesKey, corpId);
    }

    Opened open(String encrypted) {
      byte[] plain;
      try {
        Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"),
            new IvParameterSpec(Arrays.copyOfRange(aesKey, 0, 16)));
        plain = PKCS7Encoder.decode(cipher.doFinal(Base64.getDecoder().decode(encrypted)));
      } catch (GeneralSecurityException | RuntimeException e) {
        // RuntimeException too: WxJava's PKCS7 decoder indexes past an empty plaintext.
        throw new IllegalArgumentException("ciphertext does not open with our key", e);
      }
      if (plain.length < 20) {
        throw new IllegalArgumentException("ciphertext too short");
      }
      int length = ByteBuffer.wrap(plain, 16, 4).getInt();
      if (length < 0 || 20 + length > plain.length) {
        throw new IllegalArgumentException("ciphertext length field out of range");
      }
      String message = new String(plain, 20, length, StandardCharsets.UTF_8);
      String receiveId = new String(plain, 20 + length, plain.length - 20 - length, StandardCharsets.UTF_8);
      return new Opened(message, receiveId);
    }
  }
}
