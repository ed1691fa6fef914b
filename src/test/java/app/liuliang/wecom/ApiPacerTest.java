package app.liuliang.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each node paces WeCom calls at its share of the corp's ceiling. */
class ApiPacerTest {

  @Test
  void nodesSplitTheCorpsCeilingAndTakeItBackWhenAlone() {
    ApiPacer pacer = new ApiPacer(9_000);
    String welcome = "/cgi-bin/externalcontact/send_welcome_msg";
    pacer.await(welcome);
    assertThat(pacer.perSecond(welcome)).isEqualTo(150.0);
    pacer.shareAmong(3);
    assertThat(pacer.perSecond(welcome)).as("a limiter made before the change").isEqualTo(50.0);
    assertThat(pacer.perSecond("/cgi-bin/externalcontact/mark_tag")).as("and one made after").isEqualTo(50.0);
    pacer.shareAmong(1);
    assertThat(pacer.perSecond(welcome)).isEqualTo(150.0);
  }
}
