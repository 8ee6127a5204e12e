package dev.miu.examples;

import dev.miu.core.agent.AgentConfig;
import dev.miu.core.agent.AgentEvent;
import dev.miu.core.agent.ReActAgent;
import dev.miu.core.agent.Response;
import dev.miu.core.provider.ModelSpec;
import dev.miu.core.tool.Description;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolRegistry;
import dev.miu.core.tool.ToolResult;
import dev.miu.core.tool.Tools;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An agent with three tools — weather (sample data for a few cities), a clock for any time zone, and a calculator
 * that parses arithmetic itself — answering a question that needs all three. Tool calls are printed as they happen.
 */
public final class ToolUsage implements Example {

    static final String QUESTION =
            "What's the weather in Lisbon, what time is it in Tokyo, and what is (17.5 * 4) - 3 ^ 2?";

    /** Sample conditions, so the example runs without a weather service. The tool says they are samples. */
    static final Map<String, String> SAMPLE_WEATHER = new TreeMap<>(Map.of(
            "lisbon", "sunny, 22 °C, light wind from the north",
            "oslo", "light snow, -3 °C",
            "tokyo", "cloudy, 15 °C",
            "new york", "rain, 9 °C",
            "sydney", "clear, 26 °C"));

    record CityInput(@Description("City name, e.g. Lisbon") String city) {}

    record ZoneInput(
            @Description("IANA time zone, e.g. Asia/Tokyo or Europe/Lisbon")
            String timezone) {}

    record ExpressionInput(
            @Description("Arithmetic with + - * / % ^ and parentheses, e.g. (17.5 * 4) - 3 ^ 2")
            String expression) {}

    private final Clock clock;

    public ToolUsage() {
        this(Clock.systemUTC());
    }

    ToolUsage(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) {
        System.exit(new ToolUsage().run(ExampleContext.fromEnvironment()));
    }

    @Override
    public String name() {
        return "tool-usage";
    }

    @Override
    public String description() {
        return "An agent calls a weather tool, a clock and a calculator";
    }

    ToolRegistry tools() {
        Tool weather = Tools.fromRecord(
                "get_weather",
                "Current weather for a city. Sample data for Lisbon, Oslo, Tokyo, New York and Sydney only; say so when you use it.",
                CityInput.class,
                in -> {
                    String conditions = SAMPLE_WEATHER.get(in.city().strip().toLowerCase(Locale.ROOT));
                    return conditions == null
                            ? ToolResult.error("No sample weather for '" + in.city() + "'; cities: "
                                    + String.join(", ", SAMPLE_WEATHER.keySet()))
                            : ToolResult.ok(in.city().strip() + ": " + conditions + " (sample data)");
                });
        Tool time = Tools.fromRecord("get_time", "The current date and time in a time zone.", ZoneInput.class, in -> {
            try {
                ZonedDateTime now =
                        ZonedDateTime.now(clock.withZone(ZoneId.of(in.timezone().strip())));
                return ToolResult.ok(
                        now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx '('VV')'", Locale.ROOT)));
            } catch (DateTimeException e) {
                return ToolResult.error(
                        "Unknown time zone '" + in.timezone() + "'; use an IANA name such as Asia/Tokyo");
            }
        });
        Tool calculator = Tools.fromRecord(
                "calculate", "Evaluates an arithmetic expression exactly.", ExpressionInput.class, in -> {
                    try {
                        return ToolResult.ok(Arithmetic.format(Arithmetic.evaluate(in.expression())));
                    } catch (IllegalArgumentException | ArithmeticException e) {
                        return ToolResult.error("Cannot evaluate '" + in.expression() + "': " + e.getMessage());
                    }
                });
        return ToolRegistry.of(weather, time, calculator);
    }

    @Override
    public int run(ExampleContext context) {
        PrintWriter out = context.out();
        ModelSpec model = context.modelSpec();
        var agent = new ReActAgent(
                AgentConfig.of("tool-usage", model.toString())
                        .withSystemPrompt("Use the tools for weather, time and arithmetic; never guess them."),
                context.provider(model),
                tools());

        out.println("Model: " + model);
        out.println("Question: " + QUESTION);
        Response response = agent.stream(QUESTION, event -> {
            switch (event) {
                case AgentEvent.ToolCall call -> out.println("  -> " + call.name() + " " + call.input());
                case AgentEvent.ToolResult result ->
                    out.println("  <- " + result.name() + (result.isError() ? " (error): " : ": ") + result.output());
                default -> {}
            }
            out.flush();
        });
        out.println("Answer: " + response.text().strip());
        out.println("Model calls: " + response.iterations() + ", tokens: "
                + response.usage().totalTokens());
        out.flush();
        return 0;
    }
}
