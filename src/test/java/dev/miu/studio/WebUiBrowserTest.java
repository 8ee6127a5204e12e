package dev.miu.studio;

import dev.miu.core.json.Json;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolResult;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import dev.miu.testing.TempDirs;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web UI end to end in Debian's headless Chromium against a real studio and the scripted LLM: create a session,
 * send a message, watch the streamed Markdown answer and a tool card, reload and see the history, delete the session.
 * Skipped only when Chromium or its driver is not installed; .ci/run installs both.
 */
@Timeout(120)
class WebUiBrowserTest {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    static ScriptedLlmServer llm;
    static WebServer server;
    static ChromeDriver browser;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
                "Chromium and chromedriver are needed (apt-get install chromium chromium-driver)");
        llm = ScriptedLlmServer.start();
        Tool weather = Tool.of("get_weather", "Current weather for a city",
                Json.parseObject("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"),
                (input, ctx) -> ToolResult.ok("Sunny, 21 °C in " + input.getString("city")));
        Studio studio = StudioFixtures.studio(llm.settings(), StudioTools.of(weather));
        server = StudioServer.start(studio);
        base = "http://127.0.0.1:" + server.port();

        var options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1200,900",
                "--user-data-dir=" + TempDirs.create("miu-chromium"));
        var service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop();
        }
        if (llm != null) {
            llm.close();
        }
    }

    WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    @Test
    void chatStreamsMarkdownShowsToolCardsSurvivesReloadAndDeletes() throws Exception {
        browser.get(base + "/");
        waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.id("new-session"))).click();
        WebElement input = waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.id("message-input")));
        waitUpTo(10).until(d -> d.findElement(By.id("connection")).getText().equals("Connected"));

        llm.enqueue(Reply.toolCall("toolu_1", "get_weather", "{\"city\":\"Lisbon\"}"),
                Reply.text("It is **sunny** in Lisbon.\n\n```java\nvar t = 21;\n```").withChunkDelay(Duration.ofMillis(40)));
        input.sendKeys("Weather in Lisbon?");
        input.sendKeys(Keys.ENTER);

        WebElement card = waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("details.tool-card.ok")));
        assertTrue(card.getText().contains("get_weather"));
        // While it streams, the answer's HTML is re-rendered chunk by chunk: look at it once the turn is done.
        waitUpTo(20).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".msg.assistant pre code.hljs")));
        waitUpTo(20).until(ExpectedConditions.elementToBeClickable(By.id("send")));
        assertEquals("sunny", browser.findElement(By.cssSelector(".msg.assistant .bubble strong")).getText());
        assertTrue(browser.findElement(By.cssSelector(".turn-usage")).getText().contains("in"));
        card.click(); // expand the card for the screenshot
        saveScreenshot("ui-chat.png");
        llm.assertAllConsumed();

        browser.navigate().refresh();
        waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".msg.user .bubble")));
        waitUpTo(10).until(d -> d.findElement(By.id("session-usage")).getText().contains("in /"));
        assertEquals("Weather in Lisbon?", browser.findElement(By.cssSelector(".msg.user .bubble")).getText());
        assertEquals("sunny", browser.findElement(By.cssSelector(".msg.assistant .bubble strong")).getText());
        WebElement reloadedCard = browser.findElement(By.cssSelector("details.tool-card"));
        reloadedCard.click();
        assertTrue(reloadedCard.getText().contains("Sunny, 21 °C in Lisbon"), reloadedCard.getText());

        List<WebElement> sessions = browser.findElements(By.cssSelector("#session-list li"));
        assertEquals(1, sessions.size());
        sessions.getFirst().findElement(By.cssSelector("button.delete")).click();
        waitUpTo(5).until(ExpectedConditions.alertIsPresent()).accept();
        waitUpTo(10).until(d -> d.findElements(By.cssSelector("#session-list li")).isEmpty());
        assertEquals("No session", browser.findElement(By.id("session-title")).getText());
    }

    @Test
    void noProviderErrorIsShownWithWhatToSet() throws Exception {
        // A studio whose model provider has no key: the answer is an error naming the settings.
        var unconfigured = StudioFixtures.studio(dev.miu.core.provider.ProviderSettings.NONE, StudioTools.none());
        WebServer other = StudioServer.start(unconfigured);
        try {
            browser.get("http://127.0.0.1:" + other.port() + "/");
            waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.id("new-session"))).click();
            WebElement input = waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.id("message-input")));
            waitUpTo(10).until(d -> d.findElement(By.id("connection")).getText().equals("Connected"));
            input.sendKeys("Hello?", Keys.ENTER);
            WebElement error = waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".msg.error")));
            assertTrue(error.getText().contains("ANTHROPIC_API_KEY"), error.getText());
            ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
            saveScreenshot("ui-no-provider.png");
        } finally {
            other.stop();
        }
    }

    @Test
    void phoneWidthFoldsTheSidebarBehindAButton() throws Exception {
        var size = browser.manage().window().getSize();
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.get(base + "/");
            WebElement toggle = waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("toggle-sidebar")));
            WebElement newChat = browser.findElement(By.id("new-session"));
            assertTrue(newChat.getLocation().getX() + newChat.getSize().getWidth() <= 0, "sidebar is off screen");
            toggle.click();
            waitUpTo(5).until(d -> d.findElement(By.id("new-session")).getLocation().getX() >= 0);
            assertTrue(browser.findElement(By.id("message-input")).getSize().getWidth() > 200, "the composer keeps its width");
            saveScreenshot("ui-phone.png");
        } finally {
            browser.manage().window().setSize(size);
        }
    }

    static void saveScreenshot(String name) throws Exception {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.write(target, browser.getScreenshotAs(OutputType.BYTES));
    }
}
