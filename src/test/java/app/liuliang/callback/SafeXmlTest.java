package app.liuliang.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SafeXmlTest {

  private final SafeXml xml = new SafeXml();

  @Test
  void readsFlatFieldsAndCdata() throws Exception {
    assertThat(xml.parse("<xml><A><![CDATA[x < y]]></A><B>2</B></xml>")).containsEntry("A", "x < y").containsEntry("B", "2");
  }

  @Test
  void nestedAndRepeatedElementsKeepEveryValue() throws Exception {
    assertThat(xml.parse("<xml><MemChangeList><Item>u1</Item><Item>u2</Item></MemChangeList></xml>"))
        .containsEntry("MemChangeList.Item", "u1,u2");
  }

  @Test
  void refusesExternalEntities() {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><A>&e;</A></xml>";

    assertThatThrownBy(() -> xml.parse(xxe)).isInstanceOf(SafeXml.MalformedXmlException.class);
  }

  @Test
  void refusesBillionLaughs() {
    String lol = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">"
        + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;\">]><xml><A>&lol3;</A></xml>";

    assertThatThrownBy(() -> xml.parse(lol)).isInstanceOf(SafeXml.MalformedXmlException.class);
  }

  @Test
  void expandsOnlyTheFivePredefinedEntities() throws Exception {
    assertThat(xml.parse("<xml><A>a &amp; b &lt;c&gt;</A></xml>")).containsEntry("A", "a & b <c>");
    assertThatThrownBy(() -> xml.parse("<xml><A>&undeclared;</A></xml>")).isInstanceOf(SafeXml.MalformedXmlException.class);
  }

  @Test
  void refusesElementsNestedDeeperThanAnyWeComDocument() {
    String deep = "<a>".repeat(20) + "</a>".repeat(20);

    assertThatThrownBy(() -> xml.parse(deep)).isInstanceOf(SafeXml.MalformedXmlException.class)
        .hasMessageContaining("too deep");
  }

  @Test
  void refusesMalformedAndTruncatedDocuments() {
    assertThatThrownBy(() -> xml.parse("<xml><A>1</xml>")).isInstanceOf(SafeXml.MalformedXmlException.class);
    assertThatThrownBy(() -> xml.parse("<xml><A>1</A>")).isInstanceOf(SafeXml.MalformedXmlException.class);
    assertThatThrownBy(() -> xml.parse("")).isInstanceOf(SafeXml.MalformedXmlException.class);
    assertThatThrownBy(() -> xml.parse("{\"json\":true}")).isInstanceOf(SafeXml.MalformedXmlException.class);
  }
}
