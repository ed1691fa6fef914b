package app.liuliang.contact;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.account.Accounts;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ChannelResolverTest {

  private final ChannelResolver resolver;

  ChannelResolverTest() {
    YamlReader yaml = new YamlReader();
    Problems problems = new Problems();
    TagCatalog tags = TagCatalog.load(Path.of("config"), yaml, problems);
    Accounts accounts = Accounts.load(Path.of("config"), yaml, problems);
    resolver = new ChannelResolver(ChannelCatalog.load(Path.of("config"), yaml, tags, accounts, problems));
    assertThat(problems.isEmpty()).as(problems.toString()).isTrue();
  }

  @Test
  void exactStatesNameTheirChannel() {
    assertThat(resolver.resolve("meituan").channel().id()).isEqualTo("meituan");
    assertThat(resolver.resolve("yizhen").channel().tag()).isEqualTo("来源-义诊活动");
  }

  @Test
  void referralStateCarriesTheCode() {
    ChannelResolver.Resolution r = resolver.resolve("ref:K7QM2X");
    assertThat(r.channel().id()).isEqualTo("referral");
    assertThat(r.referralCode()).isEqualTo("K7QM2X");
  }

  @Test
  void emptyOrUnknownStateIsTheUnknownChannel() {
    assertThat(resolver.resolve("").channel().id()).isEqualTo("unknown");
    assertThat(resolver.resolve(null).channel().id()).isEqualTo("unknown");
    assertThat(resolver.resolve("poster-2026").channel().id()).isEqualTo("unknown");
    assertThat(resolver.resolve("ref:").referralCode()).isNull();
  }

  @Test
  void statesOfTheCodesLiuliangMadeNameChannelAndStore() {
    ChannelResolver.Resolution east = resolver.resolve("lc.meituan.east");
    assertThat(east.channel().id()).isEqualTo("meituan");
    assertThat(east.store()).isEqualTo("east");
    assertThat(resolver.resolve("lc.douyin").channel().id()).isEqualTo("douyin");
    assertThat(resolver.resolve("lc.douyin").store()).isEmpty();
    // A code made from a newer channels.yaml than this process read: still its channel and store.
    assertThat(resolver.resolve("lc.douyin.north").store()).isEqualTo("north");
    assertThat(resolver.resolve("lc.nosuchchannel").channel().id()).isEqualTo("unknown");
    assertThat(resolver.resolve("meituan").store()).isEmpty();
  }
}
