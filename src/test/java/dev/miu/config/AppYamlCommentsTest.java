package dev.miu.config;

import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.ProviderSettings;
import dev.miu.core.provider.Providers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** app.yaml's comments and the README say the same as the code about which provider miu picks when none is named. */
class AppYamlCommentsTest {

    @Test
    void theProviderOrderInAppYamlAndTheReadmeIsTheCodes() throws IOException {
        List<String> code = detectionOrder();
        assertEquals(List.of("anthropic", "openai", "gemini"), code);

        Matcher yaml = Pattern.compile("# Unset: the first provider with credentials \\(([^)]+)\\)")
                .matcher(Files.readString(Path.of("app.yaml")));
        assertTrue(yaml.find(), "app.yaml names the order");
        assertEquals(code, names(yaml.group(1)), "app.yaml: " + yaml.group(1));

        Matcher readme = Pattern.compile("first provider with a key: ([A-Za-z, ]+) \\|")
                .matcher(Files.readString(Path.of("README.md")));
        assertTrue(readme.find(), "the README's configuration table names the order");
        assertEquals(code, names(readme.group(1)), "README: " + readme.group(1));
    }

    /** The provider picked with every key set, then with that one's key removed, and so on. */
    private static List<String> detectionOrder() {
        String anthropic = "k", openai = "k", gemini = "k";
        List<String> order = new ArrayList<>();
        while (true) {
            var settings = new ProviderSettings(anthropic, null, openai, null, null, gemini, null);
            var picked = new Providers(settings, ProviderOptions.DEFAULT).detectProvider();
            if (picked.isEmpty()) {
                return order;
            }
            order.add(picked.get());
            switch (picked.get()) {
                case "anthropic" -> anthropic = null;
                case "openai" -> openai = null;
                case "gemini" -> gemini = null;
                default -> throw new AssertionError("a provider this test does not know: " + picked.get());
            }
        }
    }

    /** "Anthropic, then OpenAI, then Gemini" as provider names. */
    private static List<String> names(String text) {
        return Arrays.stream(text.split(",\\s*(then\\s+)?"))
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .toList();
    }
}
