// Drives miu's MCP server with the official TypeScript SDK client (@modelcontextprotocol/sdk, found on NODE_PATH).
// Usage: node sdk-client.cjs stdio COMMAND ARG...   (env of the child: JSON in MIU_CHILD_ENV)
//        node sdk-client.cjs http URL               (bearer key in MIU_API_KEY_FOR_TEST)
// Prints one JSON object with what it saw on stdout; any failure exits 1 with the error on stderr.
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');

async function main() {
  const [mode, target, ...rest] = process.argv.slice(2);
  let transport;
  if (mode === 'stdio') {
    transport = new StdioClientTransport({
      command: target, args: rest, env: JSON.parse(process.env.MIU_CHILD_ENV || '{}'), stderr: 'inherit',
    });
  } else {
    transport = new StreamableHTTPClientTransport(new URL(target), {
      requestInit: { headers: { Authorization: 'Bearer ' + process.env.MIU_API_KEY_FOR_TEST } },
    });
  }
  const client = new Client({ name: 'sdk-test', version: '1.0.0' });
  await client.connect(transport);
  const out = {
    server: client.getServerVersion(),
    instructions: client.getInstructions(),
    protocolVersion: transport.protocolVersion ?? null,
    sessionId: transport.sessionId ?? null,
  };
  const tools = await client.listTools();
  out.tools = tools.tools.map((t) => ({ name: t.name, description: t.description, annotations: t.annotations }));
  const tool = tools.tools[0].name;

  const progress = [];
  const first = await client.callTool({ name: tool, arguments: { message: 'Write a line' } }, undefined, {
    onprogress: (p) => progress.push(p),
  });
  out.first = first;
  out.progress = progress;
  const session = first.structuredContent.session_id;
  out.second = await client.callTool({ name: tool, arguments: { message: 'Another', session_id: session } });

  // cancel a call that hangs (the model starts writing, then never finishes): the SDK sends notifications/cancelled.
  // Abort only once the answer is being written: "is working" comes before the model is even asked, and a cancel
  // then would leave the hanging reply for the next call.
  const controller = new AbortController();
  let cancelled;
  try {
    await client.callTool({ name: tool, arguments: { message: 'Slow', session_id: session } }, undefined, {
      signal: controller.signal,
      onprogress: (p) => {
        if (String(p.message).includes('writing the answer')) controller.abort('changed my mind');
      },
    });
    cancelled = 'answered';
  } catch (e) {
    cancelled = String(e && e.message ? e.message : e);
  }
  out.cancelled = cancelled;
  // the turn stops and frees the session; give it a moment
  let after;
  for (let i = 0; i < 50; i++) {
    after = await client.callTool({ name: tool, arguments: { message: 'Now', session_id: session } });
    if (!after.isError || !JSON.stringify(after).includes('already running')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  out.after = after;
  if (mode === 'http') {
    await transport.terminateSession();
  }
  await client.close();
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
