package dev.fakehomeserver.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fakehomeserver.Homeserver;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.events.Actor;
import dev.fakehomeserver.events.RoomOptions;
import dev.fakehomeserver.testing.ScriptedAppservice;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console in a real browser: Debian's chromium, headless, driven through Debian's chromedriver (both paths
 * given, so Selenium Manager never runs and nothing is downloaded). Skipped, with a message, where they are not
 * installed; {@code .ci/run} installs them. The steps build on each other, in order: log in with a console link,
 * see the room, send with the form, watch a push and its answer arrive live, mark the appservice down and up,
 * and log in with the control token. With {@code -Dconsole.screenshots=DIR} it saves each page to DIR
 * (docs/console/ holds the ones docs/console.md shows).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String TOKEN = "browser-test-control-token";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private ScriptedAppservice bot;
    private Homeserver hs;
    private WebDriver browser;
    private Actor alice;
    private String roomId;

    @BeforeAll
    void start() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "ConsoleBrowserTest skipped: needs Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                        + CHROMEDRIVER + "); .ci/run installs them (apt-get install chromium chromium-driver)");
        bot = ScriptedAppservice.start();
        bot.on("/transactions/", req -> ScriptedAppservice.Answer.json(200, "{\"weather_bot\":\"forecast sent\"}"));
        Registration weather = Registration.builder("weather").url(bot.url()).senderLocalpart("weatherbot")
                .users("@weather_.*:test", true).aliases("#weather_.*:test", true).build();
        Registration bridge = Registration.builder("bridge").url(bot.url()).senderLocalpart("bridgebot")
                .users("@bridge_.*:test", true).build();
        hs = Homeserver.builder().registration(weather).registration(bridge).controlApi(TOKEN).start();
        alice = hs.user("@alice:test").displayName("Alice");
        roomId = alice.createRoom(RoomOptions.create().name("Lobby").alias("lobby").topic("where the bots talk")
                .preset(RoomOptions.PUBLIC_CHAT));
        hs.user("@weather_bob:test").join(roomId);
        hs.user("@zoe:elsewhere").join(roomId);
        String asked = alice.send(roomId, "!weather Paris");
        hs.user("@weather_bob:test").send(roomId, "Paris: 14°C, rain");
        alice.redact(roomId, asked, "typo");
        hs.user("@bob:test").createRoom(RoomOptions.create().name("Side room"));
        hs.awaitAppserviceIdle("weather", WAIT);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Loopback only: no first-run, sync, component or metrics traffic.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,800", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--metrics-recording-only", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(WAIT);
        // The window includes the browser's own bars: size it so that the page itself gets 1280x800.
        Object bars = ((JavascriptExecutor) browser).executeScript("return window.outerHeight - window.innerHeight");
        browser.manage().window().setSize(new Dimension(1280, 800 + ((Number) bars).intValue()));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (hs != null) {
            hs.close();
        }
        if (bot != null) {
            bot.close();
        }
    }

    @Test
    @Order(1)
    void a_console_link_logs_in_and_shows_the_rooms() {
        browser.get(hs.consoleUrl());
        waitFor(By.cssSelector("a.room-link[data-room-id='" + roomId + "']"));
        assertThat(browser.getCurrentUrl()).as("the one-time code leaves the address bar").doesNotContain("code=");
        click(By.cssSelector("a.room-link[data-room-id='" + roomId + "']"));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(text("room-title")).isEqualTo("Lobby"));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(text("timeline"))
                .contains("Paris: 14°C, rain").contains("redacted by @alice:test").contains("@weather_bob:test joined"));
        assertThat(text("main")).contains("#lobby:test").contains("@zoe:elsewhere").contains("admin");
        screenshot("rooms");
        assertThat(hs.journal().requests()).as("the console reads only the control API, which is not journaled")
                .isEmpty();
    }

    @Test
    @Order(2)
    void the_send_form_injects_a_message_that_the_timeline_shows() {
        browser.get(hs.url() + "/_fakehs/console/send.html#room=" + roomId);
        WebElement sender = waitFor(By.id("send-sender"));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                assertThat(browser.findElement(By.id("send-room")).getDomProperty("value")).isEqualTo(roomId));
        sender.clear();
        sender.sendKeys("@alice:test");
        browser.findElement(By.id("send-body")).sendKeys("hello from the browser");
        click(By.id("send-submit"));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(text("send-result")).startsWith("sent $"));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(text("timeline")).contains("hello from the browser"));
        assertThat(hs.room(roomId).messages()).extracting(m -> String.valueOf(m.content().get("body")))
                .contains("hello from the browser");
        screenshot("send");

        browser.get(hs.url() + "/_fakehs/console/#room=" + roomId);
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(text("timeline")).contains("hello from the browser"));
    }

    @Test
    @Order(3)
    void a_push_and_the_appservice_answer_appear_live() {
        browser.get(hs.url() + "/_fakehs/console/transactions.html");
        waitFor(By.cssSelector("#all-table tr[data-kind='transaction']"));
        markPage();
        int before = hs.transactions().records().size();
        alice.send(roomId, "!weather London");
        await().atMost(WAIT).until(() -> hs.transactions().records().size() > before);
        long seq = hs.transactions().records().get(hs.transactions().records().size() - 1).seq();
        assertText(By.cssSelector("#all-table tr[data-seq='" + seq + "']"), "weather", "200", "forecast sent");
        assertThat(pageKept()).as("updated without a reload").isTrue();
    }

    @Test
    @Order(4)
    void marking_the_appservice_down_shows_down_and_its_failed_push_in_red_at_the_top() {
        browser.get(hs.url() + "/_fakehs/console/appservices.html");
        waitFor(By.cssSelector("[data-appservice='weather'] .pill[data-state='up']"));
        // Registered with Registration.builder, so no file to name: the page says so in words.
        assertText(By.cssSelector("[data-appservice='weather'] .facts"), "built in code (Registration.builder)");
        markPage();
        click(By.cssSelector("[data-appservice='weather'] button[data-action='down']"));
        waitFor(By.cssSelector("[data-appservice='weather'] .pill[data-state='down']"));
        assertThat(hs.faults().appservice("weather").isMarkedDown()).isTrue();
        alice.send(roomId, "!weather Tokyo");
        await().atMost(WAIT).until(() -> hs.appserviceStatus("weather").down());
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(text("appservices")).contains("marked down"));
        assertThat(pageKept()).isTrue();
        screenshot("appservices");

        browser.get(hs.url() + "/_fakehs/console/transactions.html");
        assertText(By.cssSelector("#failed-table tr.failed"), "no answer");
        assertText(By.id("nav-transactions"), "failed");
        screenshot("transactions");

        browser.get(hs.url() + "/_fakehs/console/appservices.html");
        click(By.cssSelector("[data-appservice='weather'] button[data-action='up']"));
        waitFor(By.cssSelector("[data-appservice='weather'] .pill[data-state='up']"));
        await().atMost(WAIT).until(() -> !hs.appserviceStatus("weather").down());
    }

    @Test
    @Order(5)
    void the_journal_highlights_violations_and_filters_by_user() {
        hs.expectViolations();
        // An appservice user sending into a room it never joined: refused with M_FORBIDDEN, a violation.
        String ghost = hs.user("@weather_amy:test").accessToken();
        java.net.http.HttpClient.newHttpClient().sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                hs.url() + "/_matrix/client/v3/rooms/" + roomId.replace("!", "%21").replace(":", "%3A")
                        + "/send/m.room.message/t1"))
                .header("Authorization", "Bearer " + ghost)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"msgtype\":\"m.text\",\"body\":\"hi\"}"))
                .build(), java.net.http.HttpResponse.BodyHandlers.discarding()).join();
        browser.get(hs.url() + "/_fakehs/console/journal.html");
        assertText(By.cssSelector("table.journal tr.violation"), "M_FORBIDDEN", "@weather_amy:test");
        screenshot("journal");
        browser.findElement(By.id("f-user")).sendKeys("@nobody:test");
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(text("requests")).contains("No request matches"));
    }

    @Test
    @Order(6)
    void the_login_form_takes_the_control_token_and_refuses_a_wrong_one() {
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.get(hs.url() + "/_fakehs/console/");
        WebElement input = waitFor(By.id("login-token"));
        screenshot("login");
        input.sendKeys("not the token");
        click(By.cssSelector("#login-form button"));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(text("login-message")).contains("Log in again"));
        browser.findElement(By.id("login-token")).sendKeys(TOKEN);
        click(By.cssSelector("#login-form button"));
        waitFor(By.cssSelector("a.room-link[data-room-id='" + roomId + "']"));
        assertThat(browser.findElements(By.id("login"))).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain(TOKEN);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private WebElement waitFor(By what) {
        return await().atMost(WAIT).ignoreExceptions().until(() -> {
            List<WebElement> found = browser.findElements(what);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        }, e -> e != null);
    }

    /** Pages re-render on every change, so an element found a moment ago may be gone: find it anew each try. */
    private void click(By what) {
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            browser.findElement(what).click();
            return true;
        });
    }

    private void assertText(By what, String... parts) {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(browser.findElement(what).getText())
                .contains(parts));
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private void markPage() {
        ((JavascriptExecutor) browser).executeScript("window.__sameDocument = true");
    }

    private boolean pageKept() {
        return Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript("return window.__sameDocument === true"));
    }

    private void screenshot(String name) {
        String dir = System.getProperty("console.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        try {
            File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.createDirectories(Path.of(dir));
            Files.copy(shot.toPath(), Path.of(dir, name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
