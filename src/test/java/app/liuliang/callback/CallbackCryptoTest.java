package app.liuliang.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** WeCom's published vectors (../shared/wecom-reference.md §1) and random round trips. */
class CallbackCryptoTest {

  private static final String TOKEN = "QDG6eK";
  private static final String AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
  private static final String CORP_ID = "wx5823bf96d3bd56c7";
  private static final String POST_ENCRYPT = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";

  private final CallbackCrypto crypto = new CallbackCrypto(TOKEN, AES_KEY, CORP_ID);

  @Test
  void publishedUrlCheckVectorVerifiesAndOpens() {
    String echo = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";

    assertThat(crypto.signatureMatches("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", echo)).isTrue();
    assertThat(crypto.open(echo)).isEqualTo(new CallbackCrypto.Opened("1616140317555161061", CORP_ID));
  }

  @Test
  void publishedEventVectorVerifiesAndOpensToTheSampleMessage() throws Exception {
    assertThat(crypto.signatureMatches("477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149", POST_ENCRYPT)).isTrue();

    CallbackCrypto.Opened opened = crypto.open(POST_ENCRYPT);

    assertThat(opened.receiveId()).isEqualTo(CORP_ID);
    assertThat(new SafeXml().parse(opened.message()))
        .containsEntry("FromUserName", "mycreate").containsEntry("CreateTime", "1409659813")
        .containsEntry("MsgType", "text").containsEntry("Content", "hello")
        .containsEntry("MsgId", "4561255354251345929").containsEntry("AgentID", "218");
  }

  @Test
  void wxJavaAgreesWithOurDecryptionOfThePublishedVector() {
    String wxJava = new WxCryptUtil(TOKEN, AES_KEY, CORP_ID).decrypt(POST_ENCRYPT);

    assertThat(wxJava).isEqualTo(crypto.open(POST_ENCRYPT).message());
  }

  @Test
  void fixedRandomEncryptVectorMatchesWxJavasTests() {
    String key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    WxCryptUtil wx = new WxCryptUtil("pamtest", key, "wxb11529c136998cb6");

    String sealed = wx.encrypt("aaaabbbbccccdddd", "我是中文abcd123");

    assertThat(sealed).isEqualTo("jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==");
    assertThat(new CallbackCrypto("pamtest", key, "wxb11529c136998cb6").open(sealed))
        .isEqualTo(new CallbackCrypto.Opened("我是中文abcd123", "wxb11529c136998cb6"));
  }

  @RepeatedTest(20)
  void randomKeysRoundTripAndWxJavaOpensWhatWeSeal() {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    String key = Base64.getEncoder().encodeToString(raw).substring(0, 43);
    CallbackCrypto ours = new CallbackCrypto("tok", key, "wwcorp");
    String message = "<xml><Content><![CDATA[牙疼怎么办 " + System.nanoTime() + "]]></Content></xml>";

    String sealed = ours.seal(message);

    assertThat(ours.open(sealed)).isEqualTo(new CallbackCrypto.Opened(message, "wwcorp"));
    assertThat(new WxCryptUtil("tok", key, "wwcorp").decrypt(sealed)).isEqualTo(message);
  }

  @Test
  void tamperedSignatureDoesNotMatch() {
    assertThat(crypto.signatureMatches("0000000000000000000000000000000000000000", "1409659813", "1372623149", POST_ENCRYPT)).isFalse();
    assertThat(crypto.signatureMatches(null, "1409659813", "1372623149", POST_ENCRYPT)).isFalse();
  }

  @Test
  void ciphertextFromAnotherKeyIsRefused() {
    CallbackCrypto other = new CallbackCrypto(TOKEN, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", CORP_ID);

    assertThatThrownBy(() -> other.open(POST_ENCRYPT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> crypto.open("not base64 at all!")).isInstanceOf(IllegalArgumentException.class);
  }
}
