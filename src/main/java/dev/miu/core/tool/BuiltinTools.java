package dev.miu.core.tool;

import dev.miu.core.json.Json;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Tools miu can give agents without any outside service, by the name used in {@code studio.tools} and in an agent's
 * {@code tools:} list.
 */
public final class BuiltinTools {

    private static final Map<String, Supplier<Tool>> CATALOGUE =
            new TreeMap<>(Map.of("current_time", BuiltinTools::currentTime));

    private BuiltinTools() {}

    public static Map<String, Supplier<Tool>> catalogue() {
        return CATALOGUE;
    }

    /** The current date and time in a time zone: models do not know what day it is. */
    static Tool currentTime() {
        var schema = Json.object()
                .add("type", "object")
                .add(
                        "properties",
                        Json.object()
                                .add(
                                        "timezone",
                                        Json.object()
                                                .add("type", "string")
                                                .add(
                                                        "description",
                                                        "IANA time zone such as Europe/Lisbon; UTC when omitted")))
                .build();
        return Tool.of("current_time", "The current date and time (ISO-8601) in a time zone", schema, (input, ctx) -> {
            String zone = Json.string(input, "timezone", "UTC");
            try {
                return ToolResult.ok(ZonedDateTime.now(ZoneId.of(zone.isBlank() ? "UTC" : zone.strip()))
                        .format(DateTimeFormatter.ISO_ZONED_DATE_TIME));
            } catch (DateTimeException e) {
                return ToolResult.error("Unknown time zone '" + zone + "'; use an IANA name such as Europe/Lisbon");
            }
        });
    }
}
