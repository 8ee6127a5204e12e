// Drives miu's OpenAI-compatible API with the official `openai` npm SDK, as a chat front end would.
// Usage: node sdk-client.cjs BASE_URL API_KEY MODEL; prints one JSON object with what the SDK saw.
const path = require('node:path');
const fs = require('node:fs');
const { OpenAI } = require('openai');

const [baseURL, apiKey, model] = process.argv.slice(2);
const version = JSON.parse(
  fs.readFileSync(path.join(path.dirname(require.resolve('openai')), 'package.json'), 'utf8')).version;

async function main() {
  const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 30000 });
  const out = { version };

  out.models = [];
  for await (const m of client.models.list()) {
    out.models.push({ id: m.id, owned_by: m.owned_by });
  }

  const messages = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Say hello' },
  ];
  const plain = await client.chat.completions.create({ model, messages, max_tokens: 40, temperature: 0.5 });
  out.plain = {
    object: plain.object,
    content: plain.choices[0].message.content,
    finish: plain.choices[0].finish_reason,
    total: plain.usage.total_tokens,
  };

  const stream = await client.chat.completions.create({
    model, messages, stream: true, stream_options: { include_usage: true },
  });
  const streamed = { text: '', finish: null, total: null, chunks: 0 };
  for await (const chunk of stream) {
    streamed.chunks++;
    for (const choice of chunk.choices) {
      streamed.text += choice.delta.content ?? '';
      if (choice.finish_reason) streamed.finish = choice.finish_reason;
    }
    if (chunk.usage) streamed.total = chunk.usage.total_tokens;
  }
  out.streamed = streamed;

  try {
    await client.chat.completions.create({ model: 'no-such-agent', messages });
    out.error = null;
  } catch (e) {
    out.error = { notFound: e instanceof OpenAI.NotFoundError, status: e.status, code: e.code, type: e.type };
  }
  try {
    await new OpenAI({ baseURL, apiKey: 'wrong-key', maxRetries: 0 }).models.list();
    out.auth = null;
  } catch (e) {
    out.auth = { unauthorized: e instanceof OpenAI.AuthenticationError, status: e.status, code: e.code };
  }
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
