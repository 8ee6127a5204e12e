package dev.miu.code.repl;

import dev.miu.core.agent.AgentEvent;
import dev.miu.core.message.StopReason;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventPrinterTest {

    @Test
    void aSubAgentsRunStartsWithItsNameOnItsOwnLine() {
        var out = new StringWriter();
        var tools = new StringWriter();
        var printer = new EventPrinter(new PrintWriter(out), new PrintWriter(tools), false);

        printer.accept(new AgentEvent.TextDelta("Let me ask."));
        printer.accept(new AgentEvent.AgentStart("researcher"));
        printer.accept(new AgentEvent.Nested("researcher", new AgentEvent.TextDelta("Seven hills.")));
        printer.accept(new AgentEvent.AgentEnd("researcher", StopReason.END_TURN));
        printer.accept(new AgentEvent.TextDelta("Done."));

        String nl = System.lineSeparator();
        assertEquals("Let me ask." + nl + "Seven hills." + nl + "Done.", out.toString());
        assertEquals("[researcher]" + nl, tools.toString());
    }
}
