package dev.miu.studio;

import dev.miu.config.ServerSettings;
import dev.miu.core.json.Json;
import dev.miu.testing.Prerequisites;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /docs} in headless Chromium: Swagger UI, served from its WebJar under the studio's Content-Security-Policy,
 * shows every operation of {@code /openapi.json} without the key, and "Try it out" with the key typed into
 * "Authorize" calls the API. Without Chromium it is skipped, except under CI=true, where that fails.
 */
@Timeout(120)
class DocsBrowserTest {

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    static final String KEY = "docs-test-key";

    private static ChromeDriver browser;
    private static WebServer server;

    @BeforeAll
    static void start() {
        Prerequisites.executable(WebUiBrowserTest.CHROMIUM, "apt-get install chromium chromium-driver");
        Prerequisites.executable(WebUiBrowserTest.CHROMEDRIVER, "apt-get install chromium chromium-driver");
        var settings = new ServerSettings("127.0.0.1", 0, KEY, List.of(), 1024 * 1024);
        server = StudioServer.start(StudioFixtures.studio(
                llm.settings(), StudioFixtures.tempDir(), settings, dev.miu.studio.tools.StudioTools.none()));
        browser = WebUiBrowserTest.startChromium();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void swaggerUiShowsEveryOperationAndTriesOneWithTheKey() {
        String base = "http://localhost:" + server.port();
        int operations = new OpenApiDocument(
                        new Api(URI.create(base)).get("/openapi.json").json())
                .operations()
                .size();
        browser.get(base + "/docs");
        var wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(d -> d.findElements(By.cssSelector(".opblock")).size() == operations);
        assertTrue(browser.findElement(By.cssSelector(".info .title")).getText().contains("miu studio API"));

        browser.findElement(By.cssSelector("button.authorize")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".auth-container input")))
                .sendKeys(KEY);
        browser.findElement(By.cssSelector(".auth-container button.authorize")).click();
        browser.findElement(By.cssSelector("button.btn-done")).click();

        browser.findElement(By.id("operations-server-info"))
                .findElement(By.cssSelector(".opblock-summary"))
                .click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#operations-server-info .try-out__btn")))
                .click();
        browser.findElement(By.cssSelector("#operations-server-info .execute")).click();
        var status = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#operations-server-info .live-responses-table tr.response .response-col_status")));
        assertEquals("200", status.getText().strip());
        String body = browser.findElement(By.cssSelector("#operations-server-info .live-responses-table .microlight"))
                .getText();
        assertEquals("miu", Json.parseObject(body).getString("name"));

        List<String> blocked = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy"))
                .toList();
        assertEquals(List.of(), blocked, "what the page's Content-Security-Policy refused");
    }
}
