package dev.miu.studio;

import dev.miu.config.ServerSettings;
import dev.miu.core.json.Json;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolResult;
import dev.miu.studio.tools.StudioTools;
import dev.miu.testing.Prerequisites;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import dev.miu.testing.TempDirs;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web UI end to end in Debian's headless Chromium against real studios and the scripted LLM: the empty page
 * with and without a provider, the first message creating and titling the session, streamed Markdown (tables,
 * quotes, code with its language and a Copy button) and a tool card, history after a reload, Stop, Retry after an
 * error, the page's own dialogs for rename, delete and the API key, the dark theme, phone width, and agents (the
 * choice in a new chat, the header, a sub-agent's section live and after a reload). Screenshots go
 * to target/screenshots. Without Chromium it is skipped, except under CI=true, where that fails.
 */
@Timeout(180)
class WebUiBrowserTest {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    static ChromeDriver browser;
    static StudioTools tools;

    /** Servers a test started; each test has its own, so their session lists do not meet. */
    final List<WebServer> servers = new ArrayList<>();

    @BeforeAll
    static void start() {
        Prerequisites.executable(CHROMIUM, "apt-get install chromium chromium-driver");
        Prerequisites.executable(CHROMEDRIVER, "apt-get install chromium chromium-driver");
        Tool weather = Tool.of(
                "get_weather",
                "Current weather for a city",
                Json.parseObject(
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"),
                (input, ctx) -> ToolResult.ok("Sunny, 21 °C in " + input.getString("city")));
        tools = StudioTools.of(weather);

        browser = startChromium();
    }

    /** Headless Chromium as these tests drive it; callers check {@link Prerequisites} first. */
    static ChromeDriver startChromium() {
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1200,900",
                "--user-data-dir=" + TempDirs.create("miu-chromium"));
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL")); // the console, for CSP reports
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .build();
        return new ChromeDriver(service, options);
    }

    @AfterEach
    void stopServers() {
        servers.forEach(WebServer::stop);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** A studio of its own for one test, at a base URL (each port is its own origin, with its own local storage). */
    String studio(ProviderSettings providers, ServerSettings settings) {
        WebServer server =
                StudioServer.start(StudioFixtures.studio(providers, StudioFixtures.tempDir(), settings, tools));
        servers.add(server);
        return "http://127.0.0.1:" + server.port();
    }

    String studio() {
        return studio(llm.settings(), StudioFixtures.server());
    }

    static WebDriverWait waitUpTo(int seconds) {
        // lists and answers are re-rendered as they change: an element found a moment ago may be gone
        return (WebDriverWait)
                new WebDriverWait(browser, Duration.ofSeconds(seconds)).ignoring(StaleElementReferenceException.class);
    }

    static WebElement visible(String css) {
        return waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** Waits until the running answer is over: Send is back. */
    static void waitForTurnEnd() {
        waitUpTo(20).until(ExpectedConditions.elementToBeClickable(By.id("send")));
    }

    @Test
    void theFirstMessageCreatesTheSessionTitlesItAndStreamsMarkdown() throws Exception {
        String base = studio();
        browser.get(base + "/");
        visible("#welcome");
        waitUpTo(10).until(d -> d.findElement(By.id("welcome-model")).getText().equals("anthropic:claude-sonnet-4-5"));
        assertEquals("configured", text("#provider-status"));
        assertTrue(text("#welcome .tagline").startsWith("miu is an AI agent platform"), text("#welcome .tagline"));
        assertTrue(browser.findElements(By.id("provider-setup")).isEmpty(), "nothing to set up");
        assertTrue(
                browser.findElements(By.cssSelector("#session-list li")).isEmpty(),
                "no session before the first message");
        WebElement input = browser.findElement(By.id("message-input"));
        assertTrue(input.isEnabled());
        saveScreenshot("ui-empty.png");

        llm.enqueue(
                Reply.toolCall("toolu_1", "get_weather", "{\"city\":\"Lisbon\"}"),
                Reply.text("It is **sunny** in Lisbon.\n\n| day | °C |\n|---|---|\n| Mon | 21 |\n| Tue | 23 |\n\n"
                                + "> Bring sunglasses.\n\n```java\nvar t = 21;\n```")
                        .withChunkDelay(Duration.ofMillis(30)));
        input.sendKeys("Weather in Lisbon?", Keys.ENTER); // no "New chat" first: typing is enough

        WebElement card = visible("details.tool-card.ok");
        assertTrue(card.getText().contains("get_weather"));
        visible(".msg.assistant pre code.hljs");
        waitForTurnEnd();
        assertEquals("sunny", text(".msg.assistant .bubble strong"));
        assertTrue(text(".turn-usage").contains("in"));
        assertEquals("java", text(".msg.assistant .code-lang"));
        assertEquals(
                "solid", js("return getComputedStyle(document.querySelector('.msg.assistant td')).borderTopStyle"));
        assertEquals(
                "4px",
                js("return getComputedStyle(document.querySelector('.msg.assistant blockquote')).borderLeftWidth"));
        assertTrue(browser.findElements(By.id("welcome")).isEmpty(), "the welcome gave way to the chat");

        // the session exists now, titled from the first message
        waitUpTo(10)
                .until(d -> d.findElements(By.cssSelector("#session-list li")).size() == 1
                        && text("#session-list li .session-name").equals("Weather in Lisbon?"));
        assertEquals("Weather in Lisbon?", text("#session-title"));

        browser.executeCdpCommand(
                "Browser.grantPermissions",
                Map.of("origin", base, "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        WebElement copy = browser.findElement(By.cssSelector(".msg.assistant .copy-code"));
        copy.click();
        waitUpTo(5).until(d -> copy.getText().equals("Copied"));
        Object copied = ((JavascriptExecutor) browser)
                .executeAsyncScript(
                        "const done = arguments[0]; navigator.clipboard.readText().then(done, (e) => done('error: ' + e));");
        assertEquals("var t = 21;\n", copied);
        card.click(); // expand the card for the screenshot
        saveScreenshot("ui-chat.png");
        llm.assertAllConsumed();

        browser.navigate().refresh();
        visible(".msg.user .bubble");
        waitUpTo(10).until(d -> d.findElement(By.id("session-usage")).getText().contains("in /"));
        assertEquals("Weather in Lisbon?", text(".msg.user .bubble"));
        assertEquals("sunny", text(".msg.assistant .bubble strong"));
        assertEquals("java", text(".msg.assistant .code-lang"));
        WebElement reloadedCard = browser.findElement(By.cssSelector("details.tool-card"));
        reloadedCard.click();
        assertTrue(reloadedCard.getText().contains("Sunny, 21 °C in Lisbon"), reloadedCard.getText());
        assertTrue(
                browser.findElements(By.cssSelector("details.agent-section")).isEmpty(),
                "the session's own agent's stored messages are not shown as a sub-agent's");
    }

    @Test
    void renameAndDeleteUseThePagesOwnDialogs() throws Exception {
        String base = studio();
        llm.enqueue(Reply.text("Hello!"));
        browser.get(base + "/");
        visible("#message-input").sendKeys("Say hello", Keys.ENTER);
        waitUpTo(10).until(d -> text("#session-list li .session-name").equals("Say hello"));
        waitForTurnEnd();

        browser.findElement(By.cssSelector("#session-list li button.rename")).click();
        WebElement field = visible("dialog#dialog[open] #dialog-input");
        assertEquals("Rename chat", text("#dialog-title"));
        assertEquals("Say hello", field.getAttribute("value"));
        field.clear();
        field.sendKeys("Greetings", Keys.ENTER);
        waitUpTo(10).until(d -> text("#session-list li .session-name").equals("Greetings"));
        assertEquals("Greetings", text("#session-title"));
        assertTrue(browser.findElements(By.cssSelector("dialog#dialog[open]")).isEmpty());

        // Cancel keeps the session
        browser.findElement(By.cssSelector("#session-list li button.delete")).click();
        visible("dialog#dialog[open] #dialog-ok");
        assertTrue(text("#dialog-message").contains("\"Greetings\""), text("#dialog-message"));
        saveScreenshot("ui-dialog.png");
        browser.findElement(By.id("dialog-cancel")).click();
        assertEquals(1, browser.findElements(By.cssSelector("#session-list li")).size());

        browser.findElement(By.cssSelector("#session-list li button.delete")).click();
        visible("dialog#dialog[open] #dialog-ok").click();
        waitUpTo(10)
                .until(d -> d.findElements(By.cssSelector("#session-list li")).isEmpty());
        visible("#welcome");
        assertEquals("New chat", text("#session-title"));
        llm.assertAllConsumed();
    }

    @Test
    void aStoppedAnswerIsMarkedStopped() throws Exception {
        String base = studio();
        llm.enqueue(Reply.text("a very long answer that goes on and on and on and on and on and on and on and on")
                .withChunkDelay(Duration.ofMillis(150)));
        browser.get(base + "/");
        visible("#message-input").sendKeys("Talk for a while", Keys.ENTER);
        visible(".msg.assistant .bubble.streaming p"); // the first words are there
        visible("#stop").click();
        WebElement note = visible(".msg.assistant .turn-note.stopped");
        assertEquals("Stopped", note.getText());
        waitForTurnEnd();
        saveScreenshot("ui-stopped.png");
        assertTrue(text(".msg.assistant .bubble").startsWith("a very"), text(".msg.assistant .bubble"));
        assertTrue(browser.findElements(By.cssSelector(".msg.error")).isEmpty());
    }

    @Test
    void anErrorKeepsARetryButtonThatSendsTheMessageAgain() {
        String base = studio();
        llm.enqueue(Reply.status(400, "The scripted provider refuses this once"));
        browser.get(base + "/");
        visible("#message-input").sendKeys("Try me", Keys.ENTER);
        WebElement error = visible(".msg.error");
        assertTrue(error.getText().contains("refuses this once"), error.getText());
        waitForTurnEnd();

        llm.enqueue(Reply.text("Worked this time."));
        error.findElement(By.cssSelector("button.retry")).click();
        waitUpTo(10)
                .until(d -> d.findElements(By.cssSelector(".msg.assistant .bubble")).stream()
                        .anyMatch(b -> b.getText().equals("Worked this time.")));
        assertTrue(browser.findElements(By.cssSelector(".msg.error")).isEmpty(), "the error gave way to the retry");
        assertEquals(1, browser.findElements(By.cssSelector(".msg.user")).size(), "the message is shown once");
        assertEquals(
                "Try me",
                llm.lastRequest()
                        .json()
                        .getJsonArray("messages")
                        .getJsonObject(0)
                        .getJsonArray("content")
                        .getJsonObject(0)
                        .getString("text"));
        llm.assertAllConsumed();
    }

    @Test
    void withoutAProviderTheEmptyPageSaysWhatToSetAndTheBoxStillWorks() throws Exception {
        String base = studio(ProviderSettings.NONE, StudioFixtures.server());
        browser.get(base + "/");
        WebElement setup = visible("#provider-setup");
        assertEquals("not configured", text("#provider-status"));
        assertEquals("none configured", text("#welcome-model"));
        assertTrue(
                setup.getText().contains("ANTHROPIC_API_KEY")
                        && setup.getText().contains("OPENAI_API_KEY")
                        && setup.getText().contains("GEMINI_API_KEY")
                        && setup.getText().contains("MIU_MODEL"),
                setup.getText());
        assertEquals("export ANTHROPIC_API_KEY=sk-ant-...", text("#provider-setup .setup-line"));
        WebElement copyLine = browser.findElement(By.cssSelector("#provider-setup .copy-line"));
        assertEquals("export ANTHROPIC_API_KEY=sk-ant-...", copyLine.getAttribute("data-copy"));
        copyLine.click();
        waitUpTo(5).until(d -> copyLine.getText().equals("Copied"));
        WebElement input = browser.findElement(By.id("message-input"));
        assertTrue(input.isEnabled() && browser.findElement(By.id("send")).isEnabled(), "not a disabled box");
        saveScreenshot("ui-empty-no-provider.png");

        input.sendKeys("Hello?", Keys.ENTER);
        WebElement error = visible(".msg.error");
        assertTrue(error.getText().contains("ANTHROPIC_API_KEY"), error.getText());
        assertFalse(error.findElements(By.cssSelector("button.retry")).isEmpty(), "Retry once the key is set");
        saveScreenshot("ui-no-provider.png");
    }

    @Test
    void theApiKeyIsAskedForInThePagesDialog() {
        var locked = new ServerSettings("127.0.0.1", 0, "browser-secret", List.of(), 1024 * 1024);
        String base = studio(llm.settings(), locked);
        browser.get(base + "/");
        WebElement field = visible("dialog#dialog[open] #dialog-input");
        assertEquals("API key needed", text("#dialog-title"));
        assertEquals("password", field.getAttribute("type"));
        field.sendKeys("browser-secret", Keys.ENTER);
        waitUpTo(10).until(d -> d.findElement(By.id("welcome-model")).getText().equals("anthropic:claude-sonnet-4-5"));

        llm.enqueue(Reply.text("Authorised."));
        browser.findElement(By.id("message-input")).sendKeys("Am I in?", Keys.ENTER);
        waitUpTo(10).until(d -> text(".msg.assistant .bubble").equals("Authorised."));
        assertTrue(browser.findElements(By.cssSelector("dialog#dialog[open]")).isEmpty(), "asked once");
    }

    @Test
    void aDarkSystemThemeGivesADarkPage() throws Exception {
        String base = studio();
        browser.executeCdpCommand(
                "Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        try {
            browser.get(base + "/");
            visible("#welcome-model");
            assertEquals("rgb(20, 20, 23)", js("return getComputedStyle(document.body).backgroundColor"));
            saveScreenshot("ui-empty-dark.png");
            llm.enqueue(Reply.text("| a | b |\n|---|---|\n| 1 | 2 |\n\n> A quote.\n\n```python\nprint('dark')\n```"));
            browser.findElement(By.id("message-input")).sendKeys("Show me code", Keys.ENTER);
            visible(".msg.assistant pre code.hljs");
            waitForTurnEnd();
            assertEquals("python", text(".msg.assistant .code-lang"));
            saveScreenshot("ui-chat-dark.png");
        } finally {
            browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        }
        browser.navigate().refresh();
        visible(".msg.assistant");
        assertEquals("rgb(247, 247, 248)", js("return getComputedStyle(document.body).backgroundColor"));
    }

    @Test
    void phoneWidthFoldsTheSidebarBehindAButton() throws Exception {
        String base = studio();
        var size = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            browser.get(base + "/");
            WebElement toggle = visible("#toggle-sidebar");
            WebElement newChat = browser.findElement(By.id("new-session"));
            assertTrue(newChat.getLocation().getX() + newChat.getSize().getWidth() <= 0, "sidebar is off screen");
            visible("#welcome-model");
            saveScreenshot("ui-phone.png");
            toggle.click();
            waitUpTo(5)
                    .until(d ->
                            d.findElement(By.id("new-session")).getLocation().getX() >= 0);
            assertTrue(
                    browser.findElement(By.id("message-input")).getSize().getWidth() > 200,
                    "the composer keeps its width");
        } finally {
            browser.manage().window().setSize(size);
        }
    }

    @Test
    void newChatOffersTheAgentsAndASubAgentShowsAsALabelledSection() throws Exception {
        var catalog = new TestCatalog(
                llm.settings(),
                "assistant",
                tools,
                TestCatalog.model("assistant", "Answers anything", null, null),
                TestCatalog.model("writer", "Writes poems", "anthropic:claude-writer", "Write well."),
                TestCatalog.router("helpdesk", "assistant", "writer", "poem"));
        WebServer server = StudioServer.start(StudioFixtures.studio(llm.settings(), StudioFixtures.tempDir(), catalog));
        servers.add(server);
        browser.get("http://127.0.0.1:" + server.port() + "/");
        waitUpTo(10)
                .until(d -> d.findElements(By.cssSelector("#agent-picker .agent-option"))
                                .size()
                        == 3);
        assertTrue(
                browser.findElement(By.cssSelector("#agent-picker input[value=assistant]"))
                        .isSelected(),
                "the default agent is chosen");
        assertEquals("assistant", text("#session-agent"));
        WebElement helpdesk = browser.findElement(By.cssSelector("#agent-picker .agent-option[data-agent=helpdesk]"));
        assertTrue(helpdesk.getText().contains("Sends each question to the right agent"), helpdesk.getText());
        helpdesk.click();
        waitUpTo(5).until(d -> text("#session-agent").equals("helpdesk"));
        saveScreenshot("ui-agents.png");

        llm.enqueue(Reply.text("Roses are red,\nviolets are blue.").withChunkDelay(Duration.ofMillis(20)));
        browser.findElement(By.id("message-input")).sendKeys("Write a poem", Keys.ENTER);
        WebElement section = visible("details.agent-section[data-agent=writer]");
        waitForTurnEnd();
        assertEquals(
                "writer", section.findElement(By.cssSelector(".agent-name")).getText());
        assertTrue(section.getText().contains("Roses are red"), section.getText());
        assertEquals(
                "done", section.findElement(By.cssSelector(".agent-status")).getText());
        assertEquals("claude-writer", llm.lastRequest().json().getString("model"), "the router chose the writer");
        assertTrue(browser.findElements(By.id("agent-picker")).isEmpty(), "the choice gave way to the chat");
        assertEquals("helpdesk", text("#session-agent"));
        waitUpTo(10).until(d -> text("#session-list li .session-meta").contains("helpdesk"));
        saveScreenshot("ui-agents-chat.png");
        section.findElement(By.tagName("summary")).click();
        waitUpTo(5).until(d -> section.getAttribute("open") == null); // folds away like a tool card

        browser.navigate().refresh();
        WebElement stored = visible("details.agent-section[data-agent=writer]");
        assertEquals("writer", stored.findElement(By.cssSelector(".agent-name")).getText());
        assertTrue(stored.getText().contains("Roses are red"), stored.getText());
        assertEquals("helpdesk", text("#session-agent"));
        llm.assertAllConsumed();
    }

    static void saveScreenshot(String name) throws Exception {
        Path target = Path.of("target", "screenshots", name);
        Files.createDirectories(target.getParent());
        Files.write(target, browser.getScreenshotAs(OutputType.BYTES));
    }
}
