package dev.miu.code.tools;

import dev.miu.core.InheritedEnvironment;
import dev.miu.core.tool.ToolResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bash runs commands a model wrote, so it inherits miu's environment without the secrets in it: a real bash prints
 * its environment, and the provider keys and {@code MIU_API_KEY} miu was started with are not there.
 */
@Timeout(60)
class BashEnvironmentTest {

    @TempDir
    Path root;

    @Test
    void bashSeesTheEnvironmentButNotTheSecrets() throws Exception {
        Map<String, String> miu = new HashMap<>(System.getenv());
        miu.put("ANTHROPIC_API_KEY", "sk-ant-leak-1");
        miu.put("OPENAI_API_KEY", "sk-leak-2");
        miu.put("MIU_API_KEY", "studio-leak-3");
        miu.put("GITHUB_TOKEN", "ghp-leak-4");
        miu.put("PGPASSWORD", "pg-leak-5");
        miu.put("MIU_VISIBLE_SETTING", "kept");

        ToolResult result = BashTool.run("env", root.toFile(), 10_000, miu);

        String env = result.output();
        assertFalse(result.isError(), env);
        for (String secret :
                List.of("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "MIU_API_KEY", "GITHUB_TOKEN", "PGPASSWORD")) {
            assertFalse(env.contains(secret + "="), secret + " reached the shell");
        }
        assertFalse(env.contains("leak"), "a secret's value reached the shell");
        assertTrue(env.contains("MIU_VISIBLE_SETTING=kept"), env);
        assertTrue(env.contains("PATH=" + System.getenv("PATH")), "the shell still finds programs");
    }

    @Test
    void onlySecretLookingNamesAreDropped() {
        for (String secret : List.of(
                "ANTHROPIC_API_KEY",
                "GEMINI_API_KEY",
                "GOOGLE_API_KEY",
                "MIU_API_KEY",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN",
                "NPM_TOKEN",
                "CLIENT_SECRET",
                "PGPASSWORD",
                "DB_PASSWD",
                "GOOGLE_APPLICATION_CREDENTIALS",
                "openai_api_key")) {
            assertTrue(InheritedEnvironment.isSecret(secret), secret);
        }
        for (String plain : List.of(
                "PATH",
                "HOME",
                "PWD",
                "OLDPWD",
                "JAVA_HOME",
                "SSH_AUTH_SOCK",
                "MIU_MODEL",
                "OPENAI_BASE_URL",
                "KEYBOARD_LAYOUT",
                "MONKEY",
                "TOKENIZERS_PARALLELISM",
                "LANG")) {
            assertFalse(InheritedEnvironment.isSecret(plain), plain);
        }
    }
}
