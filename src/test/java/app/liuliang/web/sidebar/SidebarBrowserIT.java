package app.liuliang.web.sidebar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.liuliang.sandbox.SidebarStubs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser (headless Chromium, phone-sized) opens the sidebar as WeCom's toolbar would: signs in
 * through the (WireMock) OAuth2 page, registers the JS-SDK (a stub that records calls) with the server's
 * signature, sees the patient of the chat, sends a quick reply, tags the patient and hands them to a
 * doctor; another staff member is refused a patient they do not follow; beside a customer group the
 * group's category and patients show. Skipped without Chromium.
 */
class SidebarBrowserIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void staffSeeTheirPatientSendAQuickReplyTagAndHandOffAndOthersAreRefused() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "Chromium not installed");
    System.setProperty("SE_OFFLINE", "true");
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());

    try (SidebarFixture fixture = new SidebarFixture()) {
      long now = fixture.server.clock().millis();
      fixture.patient("wmZhang", "张三", "meituan", "intent", "assistant-lily")
          .patient("wmLi", "李四", "douyin", "stranger", "dr-chen")
          .message("wmZhang", "in", "请问周六可以洗牙吗", now - 60_000)
          .group("wrGroup1", "种植交流群", "种植VIP群", "assistant-lily", "wmZhang", "wmNotAPatient")
          .signInAs("assistant-lily").chat("single_chat_tools", "wmZhang", null);

      ChromeDriverService service = driverService();
      ChromeDriver browser = new ChromeDriver(service, options(Files.createTempDirectory("liuliang-chromium")));
      try {
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        String page = fixture.server.baseUrl() + "/sidebar";
        browser.get(page);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("patient-name"), "张三"));

        // The authorize link's #wechat_redirect stays on through the redirects, as in WeCom; it is not signed.
        assertThat(browser.getCurrentUrl().split("#")[0]).isEqualTo(page);
        assertThat(browser.findElement(By.id("staff")).getText()).isEqualTo("小美");
        assertThat(browser.findElement(By.id("profile")).getText()).contains("美团").contains("意向");
        assertThat(browser.findElement(By.id("messages")).getText()).contains("请问周六可以洗牙吗");
        wait.until(b -> recorded(browser).path("signatures").has("agent") && recorded(browser).path("signatures").has("corp"));
        JsonNode ww = recorded(browser);
        assertThat(ww.path("calls").toString()).contains("register", "getContext", "getCurExternalContact");
        assertThat(ww.path("register").path("corpId").asText()).isEqualTo(app.liuliang.testing.TestServer.CORP_ID);
        assertThat(ww.path("register").path("agentId").asInt()).isEqualTo(1000002);
        JsonNode agent = ww.path("signatures").path("agent");
        assertThat(agent.path("url").asText()).isEqualTo(page);
        assertThat(agent.path("signature").asText()).isEqualTo(SidebarFixture.sha1(SidebarStubs.AGENT_TICKET,
            agent.path("nonceStr").asText(), agent.path("timestamp").asLong(), page));
        JsonNode corp = ww.path("signatures").path("corp");
        assertThat(corp.path("signature").asText()).isEqualTo(SidebarFixture.sha1(SidebarStubs.CORP_TICKET,
            corp.path("nonceStr").asText(), corp.path("timestamp").asLong(), page));

        browser.findElement(By.id("reply-search")).sendKeys("确认预约");
        browser.findElement(By.cssSelector("#replies li[data-reply='script:booking-confirm'] button")).click();
        wait.until(b -> recorded(browser).path("sent").size() == 1);
        JsonNode sent = recorded(browser).path("sent").get(0);
        assertThat(sent.path("msgtype").asText()).isEqualTo("text");
        assertThat(sent.path("text").path("content").asText()).startsWith("张三您好，我是小美～");
        wait.until(b -> fixture.count("SELECT COUNT(*) FROM sidebar_audit WHERE action = 'reply'") == 1);

        new Select(browser.findElement(By.id("tag-to-add"))).selectByVisibleText("需求-种植");
        browser.findElement(By.cssSelector("#add-tag button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "已加标签"));
        assertThat(browser.findElement(By.id("tags")).getText()).contains("需求-种植");
        assertThat(fixture.count("SELECT COUNT(*) FROM outbox WHERE api = '/cgi-bin/externalcontact/mark_tag' "
            + "AND body LIKE '%assistant-lily%'")).isEqualTo(1);
        assertThat(browser.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
            .as("nothing wider than a 390 px phone screen").isEqualTo(true);
        screenshot(browser, "sidebar-patient-phone.png");

        new Select(browser.findElement(By.id("doctor"))).selectByVisibleText("陈医生 · 副主任医师 · 正畸/种植");
        browser.findElement(By.cssSelector("#handoff button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "已转给陈医生"));
        assertThat(browser.findElement(By.id("handoff-now")).getText()).contains("陈医生");
        assertThat(fixture.count("SELECT COUNT(*) FROM handoffs WHERE external_userid = 'wmZhang' "
            + "AND doctor_userid = 'dr-chen' AND reason = 'staff'")).isEqualTo(1);
        assertThat(fixture.count("SELECT COUNT(*) FROM sidebar_audit WHERE userid = 'assistant-lily' "
            + "AND external_userid = 'wmZhang' AND action IN ('view', 'tag_add', 'handoff', 'reply')")).isGreaterThanOrEqualTo(4);

        // Another staff member, in a chat with a patient they do not follow.
        browser.manage().deleteAllCookies();
        fixture.signInAs("dr-wang").chat("single_chat_tools", "wmLi", null);
        browser.get(page);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "您没有查看这位患者的权限"));
        assertThat(browser.findElement(By.id("staff")).getText()).isEqualTo("王医生");
        assertThat(browser.findElement(By.id("patient")).isDisplayed()).isFalse();
        assertThat(browser.getPageSource()).doesNotContain("李四");
        assertThat(fixture.count("SELECT COUNT(*) FROM sidebar_audit WHERE userid = 'dr-wang' AND external_userid = 'wmLi' "
            + "AND action = 'refused'")).isEqualTo(1);
        screenshot(browser, "sidebar-refused-phone.png");

        // An admin of app.yaml sees every patient, and the view is recorded too.
        browser.manage().deleteAllCookies();
        fixture.signInAs("admin-zhang").chat("single_chat_tools", "wmLi", null);
        browser.get(page);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("patient-name"), "李四"));
        assertThat(browser.findElement(By.id("staff")).getText()).isEqualTo("管理员");
        assertThat(fixture.count("SELECT COUNT(*) FROM sidebar_audit WHERE userid = 'admin-zhang' "
            + "AND external_userid = 'wmLi' AND action = 'view'")).isEqualTo(1);

        // Back as the assistant, beside the customer group they own.
        browser.manage().deleteAllCookies();
        fixture.signInAs("assistant-lily").chat("group_chat_tools", null, "wrGroup1");
        browser.get(page);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("group-name"), "种植交流群"));
        assertThat(browser.findElement(By.id("g-category")).getText()).isEqualTo("种植VIP群");
        assertThat(browser.findElement(By.id("group-patients")).getText()).isEqualTo("张三 · 意向");
        assertThat(browser.findElement(By.id("group-others")).getText()).isEqualTo("另有 1 位客户还不是登记的患者。");
        assertThat(recorded(browser).path("calls").toString()).contains("getCurExternalChat");
        assertThat(fixture.count("SELECT COUNT(*) FROM sidebar_audit WHERE action = 'group_view' AND chat_id = 'wrGroup1'"))
            .isEqualTo(1);
      } finally {
        browser.quit();
        service.stop();
      }
    }
  }

  private static JsonNode recorded(ChromeDriver browser) {
    try {
      return JSON.readTree(String.valueOf(browser.executeScript("return JSON.stringify(window.__ww || {})")));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ChromeDriverService driverService() {
    return new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
  }

  private static ChromeOptions options(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + profile, "--window-size=390,1400", "--lang=zh-CN");
    return options;
  }

  private static void screenshot(ChromeDriver browser, String name) throws Exception {
    File shot = browser.getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
