package app.liuliang.message;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.account.Accounts;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.contact.TagCatalog;
import app.liuliang.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** An intent's {@code referral_reply}: only {referral_code} may be in it, and it never hands off as well. */
class ReferralReplyRulesTest {

  private final YamlReader yaml = new YamlReader();

  @Test
  void theShippedReferralIntentAnswersWithTheCode() {
    MessageRules rules = load(Path.of("config"), new Problems());

    assertThat(rules.intents()).filteredOn(MessageRules.IntentRule::asksForReferralCode).singleElement()
        .satisfies(r -> assertThat(r.referralReply()).contains("{referral_code}"));
  }

  @Test
  void anUnknownPlaceholderOrAHandOffIsReportedWithItsPlace() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Path file = config.resolve("intents.yaml");
    Files.writeString(file, Files.readString(file).replace("您的专属推荐码是 {referral_code}", "{name}的推荐码是 {referral_code}")
        .replace("    keywords: [推荐码, 分享给朋友", "    handoff: doctor\n    keywords: [推荐码, 分享给朋友"));
    Problems problems = new Problems();

    assertThat(load(config, problems)).isNull();

    assertThat(problems.toString()).contains("intents.yaml:").contains("unknown placeholder {name}")
        .contains("cannot both hand off and answer with a referral code");
  }

  @Test
  void handOffLinesMayOnlyUseWhatIsFilledIn() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Path file = config.resolve("intents.yaml");
    Files.writeString(file, Files.readString(file).replace("{doctor}的接诊时间是{hours}", "{docter}的接诊时间是{hours}"));
    Problems problems = new Problems();

    assertThat(load(config, problems)).isNull();

    assertThat(problems.toString()).contains("intents.yaml:").contains("unknown placeholder {docter}");
  }

  @Test
  void faqAnswersMayOnlyUseTheAssistantsVoice() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Path file = config.resolve("faq.yaml");
    String faq = Files.readString(file);
    Files.writeString(file, faq.replace("answer: 您好，我是{assistant}", "answer: 您好，我是{asistant}")
        .replaceFirst("\\{role}", "{rloe}"));
    Problems problems = new Problems();

    FaqLibrary.load(config, yaml, Accounts.load(config, yaml, problems), problems);

    assertThat(problems.toString()).contains("faq.yaml:").contains("unknown placeholder {asistant}")
        .contains("unknown placeholder {rloe}");
  }

  private MessageRules load(Path config, Problems problems) {
    return MessageRules.load(config, yaml, TagCatalog.load(config, yaml, problems), Accounts.load(config, yaml, problems),
        problems);
  }
}
