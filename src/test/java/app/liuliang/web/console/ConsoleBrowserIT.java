package app.liuliang.web.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser (Debian's headless Chromium) signs in, opens 本周 and finds a seeded SOP item with
 * its status; finds a patient, reads their message, tags them and claims and closes their hand-off;
 * screenshots land in {@code target/} for a human look. Skipped where Chromium is not
 * installed ({@code .ci/run} installs it).
 */
class ConsoleBrowserIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @Test
  void operatorSignsInAndSeesTheWeeksItemsWithTheirStatus() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "Chromium not installed");
    // Never let Selenium Manager go looking for (or downloading) a driver: we name ours.
    System.setProperty("SE_OFFLINE", "true");
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    Path profile = Files.createTempDirectory("liuliang-chromium");

    try (TestServer server = TestServer.builder().clock(new MutableClock(ConsolePagesIT.NOON)).start()) {
      long now = server.clock().millis();
      long hour = ConsolePagesIT.HOUR;
      new ConsoleSeed(server.wiring().foundation().database().jdbi())
          .sopItem("2026-W48", "wed-moment", "moment", now - 3 * hour, "冬季护牙小贴士：每天两次巴氏刷牙法，每次两分钟", "confirmed")
          .sopItem("2026-W48", "wed-group", "group", now + 6 * hour, "本周六义诊活动报名开始啦", "scheduled")
          .sopItem("2026-W48", "mon-group", "group", now - 50 * hour, "周一群公告：本周门诊时间", "missed")
          .sopItem("2026-W48", "tue-personal", "personal", now - 26 * hour, "洗牙后 24 小时回访", "sent")
          .sopItem("2026-W48", "thu-recall", "recall", now + 22 * hour, "半年复查提醒", "failed")
          .sopItem("2026-W49", "next-mon", "moment", now + 5 * 24 * hour, "正畸小知识：牙套清洁", "scheduled")
          .sopPlan("2026-W49", "config/sop/2026-W49.yaml", "invalid",
              "config/sop/2026-W49.yaml:14:7: moments[2].senders: unknown account \"dr-li\"", now - hour)
          .contact("wm1", "张三", "meituan", "intent", now).contact("wm2", "李四", "meituan", "ordered", now)
          .contact("wm3", "王五", "douyin", "stranger", now).contact("wm4", "赵六", "referral", "potential", now)
          .layerChange("wm1", "stranger", "potential", now).layerChange("wm1", "potential", "intent", now)
          .layerChange("wm2", "stranger", "potential", now).layerChange("wm2", "potential", "intent", now)
          .layerChange("wm2", "intent", "ordered", now).layerChange("wm4", "stranger", "potential", now);

      ChromeDriverService service = driverService();
      ChromeDriver browser = new ChromeDriver(service, options(profile));
      try {
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
        browser.get(server.baseUrl() + "/admin/week");
        assertThat(browser.getCurrentUrl()).endsWith("/admin/login");

        browser.findElement(By.id("token")).sendKeys(TestServer.ADMIN_TOKEN);
        browser.findElement(By.cssSelector("form.login-card button")).click();
        // The login page has an h1 too: wait for the page after it, or the h1 found may go stale.
        new WebDriverWait(browser, Duration.ofSeconds(10))
            .until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "今日"));
        assertThat(browser.getCurrentUrl()).doesNotEndWith("/admin/login");

        browser.findElement(By.linkText("本周")).click();
        WebElement item = browser.findElement(By.cssSelector("[data-item='2026-W48/wed-moment']"));
        assertThat(item.getText()).contains("冬季护牙小贴士").contains("员工已确认");
        assertThat(item.findElement(By.cssSelector(".status")).getAttribute("class")).contains("status-confirmed");
        assertThat(browser.findElement(By.cssSelector(".day.today")).getText()).contains("11月25日 周三");
        assertThat(browser.getPageSource()).contains("unknown account \"dr-li\"");

        screenshot(browser, "console-week.png");
        browser.findElement(By.linkText("分层")).click();
        assertThat(browser.findElement(By.cssSelector("svg.chart")).isDisplayed()).isTrue();
        screenshot(browser, "console-patients.png");
        browser.findElement(By.linkText("本周")).click();
        browser.manage().window().setSize(new Dimension(390, 1600));
        screenshot(browser, "console-week-phone.png");
      } finally {
        browser.quit();
        service.stop();
      }
    }
  }

  @Test
  void operatorFindsAPatientReadsTheirMessageTagsThemAndWorksTheirHandoff() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "Chromium not installed");
    System.setProperty("SE_OFFLINE", "true");
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    Path profile = Files.createTempDirectory("liuliang-chromium");

    try (TestServer server = TestServer.builder().without("sop", "campaigns").clock(new MutableClock(ConsolePagesIT.NOON))
        .start()) {
      long now = server.clock().millis();
      var jdbi = server.wiring().foundation().database().jdbi();
      ConsoleSeed seed = new ConsoleSeed(jdbi).contact("wmZhang", "张三", "meituan", "intent", now)
          .contact("wmLi", "李四", "douyin", "stranger", now).follow("wmZhang", "dr-wang", now)
          .message("wmZhang", "in", "拔牙后一直出血怎么办", now - 60_000);
      long handoff = seed.kfHandoff("wmZhang", "dr-wang", "notified", "pain", now - 60_000);

      ChromeDriverService service = driverService();
      ChromeDriver browser = new ChromeDriver(service, options(profile));
      try {
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        browser.get(server.baseUrl() + "/admin/patients");
        browser.findElement(By.id("token")).sendKeys(TestServer.ADMIN_TOKEN);
        browser.findElement(By.cssSelector("form.login-card button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "今日"));

        browser.findElement(By.linkText("患者")).click();
        browser.findElement(By.id("q")).sendKeys("张三");
        browser.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("patients-found"), "1"));
        assertThat(browser.findElements(By.cssSelector("#patient-list tbody tr"))).hasSize(1);
        screenshot(browser, "console-patient-search.png");

        browser.findElement(By.linkText("张三")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "患者详情"));
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("拔牙后一直出血怎么办");
        assertThat(browser.findElement(By.id("profile")).getText()).contains("美团").contains("意向");

        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("tag-to-add"))).selectByVisibleText("需求-种植");
        browser.findElement(By.cssSelector("#add-tag button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "已加标签"));
        assertThat(browser.findElement(By.id("tags")).getText()).contains("需求-种植");
        long tagRows = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM outbox "
            + "WHERE api = '/cgi-bin/externalcontact/mark_tag' AND body LIKE '%dr-wang%'").mapTo(Long.class).one());
        assertThat(tagRows).isEqualTo(1);
        screenshot(browser, "console-patient.png");

        browser.findElement(By.cssSelector("#timeline a[href='/admin/handoffs/" + handoff + "']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "转接详情"));
        assertThat(browser.findElement(By.id("chat")).getText()).contains("拔牙后一直出血怎么办");
        browser.findElement(By.cssSelector("#claim button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "已接手"));
        assertThat(browser.findElement(By.id("handoff-state")).getText()).isEqualTo("医生已接手");

        browser.findElement(By.cssSelector("#close button")).click();
        browser.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "转接已结束"));
        assertThat(browser.findElement(By.id("handoff-state")).getText()).isEqualTo("已结束");
        assertThat(browser.findElement(By.id("handoff-actions")).getText()).contains("接手").contains("结束").contains("王医生");
        screenshot(browser, "console-handoff.png");
      } finally {
        browser.quit();
        service.stop();
      }
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
        "--user-data-dir=" + profile, "--window-size=1280,1400", "--lang=zh-CN");
    return options;
  }

  private static void screenshot(ChromeDriver browser, String name) throws Exception {
    File shot = browser.getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
