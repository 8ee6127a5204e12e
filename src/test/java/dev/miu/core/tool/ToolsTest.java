package dev.miu.core.tool;

import dev.miu.core.json.Json;
import dev.miu.core.message.ContentBlock;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToolsTest {

    enum Unit {
        C,
        F
    }

    record Forecast(@Description("City name") String city, int days, Optional<Unit> unit, List<String> extras) {}

    @Test
    void recordSchemaListsComponentsWithTypesDescriptionsAndRequired() {
        Tool tool = Tools.fromRecord("forecast", "Forecast", Forecast.class, f -> f.city() + "/" + f.days());
        JsonObject schema = tool.spec().inputSchema();
        JsonObject props = schema.getJsonObject("properties");
        assertEquals("string", props.getJsonObject("city").getString("type"));
        assertEquals("City name", props.getJsonObject("city").getString("description"));
        assertEquals("integer", props.getJsonObject("days").getString("type"));
        assertEquals(
                List.of("C", "F"),
                props.getJsonObject("unit").getJsonArray("enum").getValuesAs(jakarta.json.JsonString::getString));
        assertEquals("array", props.getJsonObject("extras").getString("type"));
        assertEquals(
                List.of("city", "days", "extras"),
                schema.getJsonArray("required").getValuesAs(jakarta.json.JsonString::getString));
    }

    @Test
    void recordToolReceivesTypedArguments() {
        Tool tool = Tools.fromRecord(
                "forecast",
                "Forecast",
                Forecast.class,
                f -> f.city() + " " + f.days() + " " + f.unit().orElse(Unit.C) + " " + f.extras());
        var result = ToolRegistry.of(tool)
                .execute(
                        use("forecast", "{\"city\":\"Oslo\",\"days\":3,\"unit\":\"F\",\"extras\":[\"wind\"]}"),
                        ToolContext.current());
        assertFalse(result.isError(), result.content());
        assertEquals("Oslo 3 F [wind]", result.content());
    }

    public static class Calculator {
        @ToolMethod(description = "Adds two numbers")
        public double add(@Param(value = "a", description = "first") double a, @Param("b") double b) {
            return a + b;
        }

        @ToolMethod(name = "where_am_i", description = "The working directory")
        public String where(ToolContext context) {
            return context.workingDir().getFileName().toString();
        }
    }

    @Test
    void annotatedMethodsBecomeTools() {
        List<Tool> tools = Tools.fromObject(new Calculator());
        assertEquals(
                List.of("add", "where_am_i"), tools.stream().map(Tool::name).toList());
        var registry = ToolRegistry.of(tools);
        assertEquals(
                "5.5",
                registry.execute(use("add", "{\"a\":2,\"b\":3.5}"), ToolContext.current())
                        .content());
        assertEquals(
                "number",
                tools.getFirst()
                        .spec()
                        .inputSchema()
                        .getJsonObject("properties")
                        .getJsonObject("a")
                        .getString("type"));
        var wrong = registry.execute(use("add", "{\"a\":\"two\",\"b\":1}"), ToolContext.current());
        assertTrue(wrong.isError());
        assertTrue(wrong.content().contains("'a' must be a number"), wrong.content());
    }

    @Test
    void validatorReportsEveryProblemReadably() {
        JsonObject schema = Json.parseObject("""
                {"type":"object","additionalProperties":false,"required":["n","mode"],
                 "properties":{"n":{"type":"integer","minimum":1,"maximum":10},
                               "mode":{"type":"string","enum":["fast","slow"]}}}""");
        assertEquals(List.of(), JsonSchemaValidator.validate(schema, Json.parseObject("{\"n\":3,\"mode\":\"fast\"}")));
        List<String> problems =
                JsonSchemaValidator.validate(schema, Json.parseObject("{\"n\":11.5,\"mode\":\"warp\",\"x\":1}"));
        assertTrue(problems.stream().anyMatch(p -> p.contains("'n' must be an integer")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("one of")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("unexpected property 'x'")), problems.toString());
        assertEquals(
                List.of("arguments must be an object but was an array"),
                JsonSchemaValidator.validate(schema, Json.parse("[]")));
    }

    @Test
    void unparseableArgumentsAreRefusedNotCrashed() {
        Tool echo =
                Tool.of("echo", "echo", Json.parseObject("{\"type\":\"object\"}"), (in, ctx) -> ToolResult.ok("ran"));
        var call = new ContentBlock.ToolUse(
                "x",
                "echo",
                Json.object().add("_unparseable_arguments", "{oops").build());
        var result = ToolRegistry.of(echo).execute(call, ToolContext.current());
        assertTrue(result.isError());
        assertTrue(result.content().contains("not a valid JSON object"));
        // the marker a provider makes is the one stored histories hold, and the registry reads it back
        assertEquals(call.input(), new UnparseableArguments("{oops").asInput());
        assertEquals(Optional.of(new UnparseableArguments("{oops")), UnparseableArguments.in(call.input()));
        assertEquals(Optional.empty(), UnparseableArguments.in(Json.EMPTY_OBJECT));
    }

    @Test
    void duplicateNamesAndBadNamesAreProgrammingErrors() {
        Tool a = Tool.of("same", "a", Json.EMPTY_OBJECT, (in, ctx) -> null);
        assertThrows(IllegalArgumentException.class, () -> ToolRegistry.of(a, a));
        assertThrows(
                IllegalArgumentException.class, () -> Tool.of("has space", "x", Json.EMPTY_OBJECT, (in, ctx) -> null));
    }

    static ContentBlock.ToolUse use(String name, String json) {
        return new ContentBlock.ToolUse("id-" + name, name, Json.parseObject(json));
    }
}
