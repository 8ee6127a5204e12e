package dev.miu.testing;

import dev.miu.core.json.Json;
import jakarta.json.JsonObject;

import java.util.List;
import java.util.Map;

/** A request the scripted server received: where it went, its headers (lower-case names) and its JSON body. */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body) {

    public JsonObject json() {
        return Json.parseObject(body);
    }

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    public boolean streaming() {
        if (path.contains(":streamGenerateContent")) {
            return true;
        }
        return json().getBoolean("stream", false);
    }
}
