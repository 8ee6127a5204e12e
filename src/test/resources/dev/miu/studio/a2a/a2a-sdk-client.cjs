// The official A2A JavaScript SDK's client (@a2a-js/sdk, pinned in .ci/run) against a miu server.
// Usage: node a2a-sdk-client.cjs BASE_URL AGENT API_KEY. Prints one JSON line per step; A2aSdkClientTest reads them.
const { ClientFactory, ClientFactoryOptions } = require('@a2a-js/sdk/client');
const { randomUUID } = require('node:crypto');

const [base, agent, key] = process.argv.slice(2);
const auth = { serviceParameters: { Authorization: `Bearer ${key}` } };
const print = (step, value) => console.log(JSON.stringify({ step, ...value }));
const text = (parts) => (parts || []).map((p) => (p.content && p.content.$case === 'text' ? p.content.value : '')).join('');
const userMessage = (words, contextId) => ({
  message: { messageId: randomUUID(), role: 1 /* ROLE_USER */, parts: [{ content: { $case: 'text', value: words } }], contextId },
});
const errorName = async (call) => {
  try {
    await call();
    return 'none';
  } catch (e) {
    return `${e.constructor.name}: ${e.message}`;
  }
};

(async () => {
  // the card is public; the trailing slash makes the SDK's relative card path resolve under the agent
  const client = await new ClientFactory().createFromUrl(`${base}/a2a/${agent}/`);
  const card = await client.getAgentCard();
  print('card', { name: card.name, streaming: card.capabilities.streaming, url: card.supportedInterfaces[0].url, version: client.protocolVersion });

  const first = await client.sendMessage(userMessage('Hello there'), auth);
  print('send', { id: first.id, contextId: first.contextId, state: first.status.state, answer: text(first.artifacts[0].parts) });

  const second = await client.sendMessage(userMessage('And again', first.contextId), auth);
  print('follow-up', { contextId: second.contextId, state: second.status.state, answer: text(second.artifacts[0].parts) });

  const events = [];
  let streamed = '';
  for await (const event of client.sendMessageStream(userMessage('Count for me'), auth)) {
    const { $case, value } = event.payload;
    events.push($case === 'statusUpdate' ? `status:${value.status.state}` : $case);
    if ($case === 'artifactUpdate') streamed += text(value.artifact.parts);
  }
  print('stream', { events, streamed });

  const got = await client.getTask({ id: first.id, historyLength: 1 }, auth);
  print('get', { id: got.id, state: got.status.state, answer: text(got.artifacts[0].parts), history: got.history.length });

  const polling = await ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { clientConfig: { polling: true } });
  const background = await new ClientFactory(polling).createFromUrl(`${base}/a2a/${agent}/`);
  const running = await background.sendMessage(userMessage('Take your time'), auth);
  const cancelled = await background.cancelTask({ id: running.id }, auth);
  print('cancel', { before: running.status.state, after: cancelled.status.state });
  print('cancel-again', { error: await errorName(() => background.cancelTask({ id: running.id }, auth)) });

  print('unknown-task', { error: await errorName(() => client.getTask({ id: 'no-such-task' }, auth)) });
  print('no-key', { error: await errorName(() => client.getTask({ id: first.id })) });
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
