package dev.miu.studio;

import dev.miu.config.ServerSettings;
import dev.miu.core.json.Json;
import dev.miu.studio.session.SessionApprovals;
import dev.miu.testing.Prerequisites;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import io.helidon.webserver.WebServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static dev.miu.studio.WebUiBrowserTest.browser;
import static dev.miu.studio.WebUiBrowserTest.js;
import static dev.miu.studio.WebUiBrowserTest.text;
import static dev.miu.studio.WebUiBrowserTest.visible;
import static dev.miu.studio.WebUiBrowserTest.waitForTurnEnd;
import static dev.miu.studio.WebUiBrowserTest.waitUpTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Approval cards in the web UI, in headless Chromium against a studio whose agent {@code coder} asks before each
 * Write: approving runs the call, a denial's reason reaches the model, and a card that waits survives a reload.
 */
@Timeout(180)
class ApprovalBrowserTest {

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    private WebServer server;
    private Path workspace;

    @BeforeAll
    static void start() {
        Prerequisites.executable(WebUiBrowserTest.CHROMIUM, "apt-get install chromium chromium-driver");
        Prerequisites.executable(WebUiBrowserTest.CHROMEDRIVER, "apt-get install chromium chromium-driver");
        browser = WebUiBrowserTest.startChromium();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    /** Opens a fresh studio's empty page and sends a message whose answer writes {@code file}: a card waits. */
    private WebElement askToWrite(String file) throws Exception {
        Path data = StudioFixtures.tempDir();
        workspace = Files.createDirectories(data.resolve("ws"));
        server = StudioServer.start(
                StudioFixtures.studio(llm.settings(), data, ApprovalChatTest.agents(llm, data, workspace)));
        browser.get("http://127.0.0.1:" + server.port() + "/");
        waitUpTo(10).until(d -> text("#session-agent").equals("coder"));
        llm.enqueue(Reply.turn(new Reply.ToolCall(
                "w1",
                "Write",
                Json.write(Json.object()
                        .add("file_path", file)
                        .add("content", "new text")
                        .build()))));
        browser.findElement(By.id("message-input")).sendKeys("Write " + file, Keys.ENTER);
        WebElement card = visible(".approval-card");
        waitUpTo(10).until(d -> !browser.findElement(By.id("message-input")).isEnabled());
        return card;
    }

    private static void assertWaiting(WebElement card, String file) {
        assertTrue(card.getText().contains("Write"), card.getText());
        assertTrue(card.getText().contains("by coder"), card.getText());
        assertEquals("+new text", card.findElement(By.cssSelector(".diff-add")).getText());
        assertEquals(
                "waits for you",
                card.findElement(By.cssSelector(".approval-status")).getText());
        assertTrue(
                String.valueOf(js("return document.getElementById('message-input').placeholder"))
                        .contains("refused until they are decided"),
                "the box says why it is closed");
        assertTrue(
                browser.findElements(By.cssSelector("details.agent-section")).isEmpty(),
                "the session's own agent gets no section for " + file);
    }

    @Test
    void approvingRunsTheCallAndTheAnswerShows() throws Exception {
        WebElement card = askToWrite("a.txt");
        assertWaiting(card, "a.txt");
        assertFalse(Files.exists(workspace.resolve("a.txt")));
        WebUiBrowserTest.saveScreenshot("ui-approval.png");

        llm.enqueue(Reply.text("Written **a.txt**."));
        card.findElement(By.cssSelector("button.approve")).click();
        waitUpTo(20).until(d -> text(".approval-card .approval-status").equals("approved"));
        waitForTurnEnd();
        waitUpTo(20)
                .until(d -> !d.findElements(By.cssSelector(".msg.assistant .bubble strong"))
                        .isEmpty());
        assertEquals("a.txt", text(".msg.assistant .bubble strong"));
        assertEquals("new text", Files.readString(workspace.resolve("a.txt")));
        visible("details.tool-card.ok[data-tool-id=w1]");
        assertFalse(card.findElement(By.cssSelector("button.approve")).isEnabled(), "a decided card is closed");
        assertTrue(browser.findElement(By.id("message-input")).isEnabled(), "free for a new message");
        llm.assertAllConsumed();
    }

    @Test
    void aDenialsReasonReachesTheModel() throws Exception {
        WebElement card = askToWrite("b.txt");

        llm.enqueue(Reply.text("Understood, I will not write."));
        card.findElement(By.cssSelector(".approval-reason")).sendKeys("not in this folder");
        card.findElement(By.cssSelector("button.deny")).click();
        waitUpTo(20).until(d -> text(".approval-card .approval-status").equals("denied: not in this folder"));
        waitForTurnEnd();
        waitUpTo(20).until(d -> text("#conversation").contains("Understood, I will not write."));
        JsonArray messages = llm.lastRequest().json().getJsonArray("messages");
        JsonArray content = messages.getJsonObject(messages.size() - 1).getJsonArray("content");
        JsonObject result = content.getJsonObject(content.size() - 1);
        assertEquals("The user denied this Write call: not in this folder", result.getString("content"));
        assertFalse(Files.exists(workspace.resolve("b.txt")));
        visible("details.tool-card.failed[data-tool-id=w1]");
    }

    @Test
    void aWaitingCardComesBackAfterAReloadAndWorksOverHttp() throws Exception {
        askToWrite("c.txt");

        browser.navigate().refresh();
        WebElement card = visible(".approval-card");
        assertWaiting(card, "c.txt");
        js("closeSocket()"); // the decision goes as a POST whose SSE response streams the continuation

        llm.enqueue(Reply.text("Wrote it after all."));
        card.findElement(By.cssSelector("button.always")).click();
        waitUpTo(20).until(d -> text(".approval-card .approval-status").equals("approved for this session"));
        waitUpTo(20).until(d -> text("#conversation").contains("Wrote it after all."));
        waitForTurnEnd();
        assertEquals("new text", Files.readString(workspace.resolve("c.txt")));
        visible("details.tool-card.ok[data-tool-id=w1]");
        llm.assertAllConsumed();
    }

    @Test
    void aWaitingCardWorksAfterTheServerRestarts() throws Exception {
        askToWrite("r.txt");
        Path data = workspace.getParent();
        int port = server.port();
        server.stop(); // the waiting turn ends with the server; its call stays stored in the session

        server = StudioServer.start(
                StudioFixtures.studio(llm.settings(), data, ApprovalChatTest.agents(llm, data, workspace)),
                new ServerSettings("127.0.0.1", port, null, List.of(), 1024 * 1024));
        browser.navigate().refresh();
        WebElement card = visible(".approval-card");
        assertWaiting(card, "r.txt");

        llm.enqueue(Reply.text("Written after the restart."));
        card.findElement(By.cssSelector("button.approve")).click();
        waitUpTo(20).until(d -> text(".approval-card .approval-status").equals("approved"));
        waitUpTo(20).until(d -> text("#conversation").contains("Written after the restart."));
        waitForTurnEnd();
        assertEquals("new text", Files.readString(workspace.resolve("r.txt")));
        llm.assertAllConsumed();
    }

    @Test
    void aDecisionTheServerNeverGotCanBeMadeAgain() throws Exception {
        askToWrite("n.txt");
        Path data = workspace.getParent();
        int port = server.port();
        browser.navigate().refresh();
        WebElement card = visible(".approval-card");
        js("closeSocket()"); // the decision goes as a POST
        server.stop();

        card.findElement(By.cssSelector("button.approve")).click();
        waitUpTo(20).until(d -> text("#conversation").contains("Could not send the decision"));
        waitUpTo(10).until(d -> text(".approval-card .approval-status").equals("waits for you"));
        assertTrue(card.findElement(By.cssSelector("button.approve")).isEnabled(), "the card can be decided again");
        assertFalse(Files.exists(workspace.resolve("n.txt")));

        server = StudioServer.start(
                StudioFixtures.studio(llm.settings(), data, ApprovalChatTest.agents(llm, data, workspace)),
                new ServerSettings("127.0.0.1", port, null, List.of(), 1024 * 1024));
        llm.enqueue(Reply.text("Written on the second try."));
        card.findElement(By.cssSelector("button.approve")).click();
        waitUpTo(20).until(d -> text("#conversation").contains("Written on the second try."));
        waitForTurnEnd();
        assertEquals("new text", Files.readString(workspace.resolve("n.txt")));
        llm.assertAllConsumed();
    }

    @Test
    void aContinuationThatFailsLeavesTheCardWaitingAgain() throws Exception {
        WebElement card = askToWrite("f.txt");

        llm.enqueue(Reply.status(400, "the provider refused the request"));
        card.findElement(By.cssSelector("button.approve")).click();
        waitUpTo(20).until(d -> text("#conversation").contains("the provider refused the request"));
        waitUpTo(10).until(d -> text(".approval-card .approval-status").equals("waits for you"));

        llm.enqueue(Reply.text("Written this time."));
        card.findElement(By.cssSelector("button.approve")).click();
        waitUpTo(20).until(d -> text("#conversation").contains("Written this time."));
        waitForTurnEnd();
        assertEquals("new text", Files.readString(workspace.resolve("f.txt")));
        llm.assertAllConsumed();
    }

    @Test
    void aDecisionInAnotherTabContinuesTheWaitingTurnAndBothTabsShowTheAnswer() throws Exception {
        askToWrite("t.txt"); // this tab's turn waits for the decision on its socket
        String first = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        try {
            browser.get("http://127.0.0.1:" + server.port() + "/"); // opens the last session, its card waiting
            WebElement card = visible(".approval-card");
            assertWaiting(card, "t.txt");

            llm.enqueue(Reply.text("Written from the other tab."));
            card.findElement(By.cssSelector("button.approve")).click();
            // the continuation streams to the first tab; this one shows it once it is stored
            waitUpTo(20).until(d -> text("#conversation").contains("Written from the other tab."));
            waitForTurnEnd();
            assertTrue(browser.findElement(By.id("message-input")).isEnabled(), "free for a new message");
        } finally {
            browser.close();
            browser.switchTo().window(first);
        }
        waitUpTo(20).until(d -> text("#conversation").contains("Written from the other tab."));
        waitForTurnEnd();
        assertEquals("new text", Files.readString(workspace.resolve("t.txt")));
        llm.assertAllConsumed();
    }

    @Test
    void theCallsOfARunThatStoppedAfterItsDecisionsAreAskedAgain() throws Exception {
        askToWrite("s.txt");
        String id = String.valueOf(js("return state.current.id"));
        Path data = workspace.getParent();
        int port = server.port();
        server.stop();
        Studio studio = StudioFixtures.studio(llm.settings(), data, ApprovalChatTest.agents(llm, data, workspace));
        // what a server that stopped while it continued leaves behind: every call decided, the run never went on
        studio.sessions().update(id, s -> {
            SessionApprovals a = s.approvals();
            for (SessionApprovals.Item i : a.undecided()) {
                a = a.decide(i.approvalId(), new SessionApprovals.Decision(true, "", Instant.now(), null), false);
            }
            return s.withApprovals(a);
        });
        server = StudioServer.start(studio, new ServerSettings("127.0.0.1", port, null, List.of(), 1024 * 1024));
        browser.navigate().refresh();
        waitUpTo(10).until(d -> text("#conversation").contains("Write s.txt"));
        assertTrue(browser.findElements(By.cssSelector(".approval-card")).isEmpty(), "nothing waits, as stored");

        browser.findElement(By.id("message-input")).sendKeys("Go on", Keys.ENTER);
        WebElement card = visible(".approval-card"); // refused: the call waits for a person again
        assertTrue(text("#conversation").contains("wait for approval"), text("#conversation"));
        assertEquals(
                "waits for you",
                card.findElement(By.cssSelector(".approval-status")).getText());
        assertFalse(Files.exists(workspace.resolve("s.txt")), "not run unasked");

        llm.enqueue(Reply.text("Written after asking again."));
        card.findElement(By.cssSelector("button.approve")).click();
        waitUpTo(20).until(d -> text("#conversation").contains("Written after asking again."));
        waitForTurnEnd();
        assertEquals("new text", Files.readString(workspace.resolve("s.txt")));
        llm.assertAllConsumed();
    }

    @Test
    void stopDeniesEveryWaitingCall() throws Exception {
        WebElement card = askToWrite("d.txt");

        llm.enqueue(Reply.text("Nothing written."));
        browser.findElement(By.id("stop")).click();
        waitUpTo(20).until(d -> text(".approval-card .approval-status").equals("denied: cancelled"));
        waitUpTo(20).until(d -> text("#conversation").contains("Nothing written."));
        waitForTurnEnd();
        JsonArray messages = llm.lastRequest().json().getJsonArray("messages");
        JsonArray content = messages.getJsonObject(messages.size() - 1).getJsonArray("content");
        assertTrue(
                content.getJsonObject(content.size() - 1).getString("content").contains("cancelled by the user"));
        assertFalse(Files.exists(workspace.resolve("d.txt")));
        assertFalse(card.findElement(By.cssSelector("button.deny")).isEnabled());
    }
}
