// The official A2A JavaScript SDK's client (@a2a-js/sdk, pinned in .ci/run) polling a task that paused for approval.
// Usage: node a2a-sdk-approval.cjs BASE_URL AGENT. Sends a message whose run pauses, approves the waiting call as a
// person would (the studio's HTTP route), then polls getTask until the task moves on. Prints one JSON line per step;
// A2aApprovalTest reads them.
const { ClientFactory } = require('@a2a-js/sdk/client');
const { randomUUID } = require('node:crypto');

const [base, agent] = process.argv.slice(2);
const print = (step, value) => console.log(JSON.stringify({ step, ...value }));
const text = (parts) => (parts || []).map((p) => (p.content && p.content.$case === 'text' ? p.content.value : '')).join('');
const INPUT_REQUIRED = 6;

(async () => {
  const client = await new ClientFactory().createFromUrl(`${base}/a2a/${agent}/`);
  const paused = await client.sendMessage({
    message: { messageId: randomUUID(), role: 1 /* ROLE_USER */, parts: [{ content: { $case: 'text', value: 'Write e.txt' } }] },
  });
  print('paused', { id: paused.id, contextId: paused.contextId, state: paused.status.state });

  const session = await (await fetch(`${base}/api/v1/sessions/${paused.contextId}`)).json();
  const approval = session.pending_approvals[0].approval_id;
  const decided = await fetch(`${base}/api/v1/sessions/${paused.contextId}/approvals/${approval}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ decision: 'approve', decided_by: 'sdk test' }),
  });
  print('decided', { status: decided.status });

  let task = await client.getTask({ id: paused.id });
  for (let i = 0; i < 100 && (task.status.state === INPUT_REQUIRED || task.status.state === 2); i++) {
    await new Promise((r) => setTimeout(r, 100));
    task = await client.getTask({ id: paused.id });
  }
  print('polled', { state: task.status.state, answer: text(task.artifacts[0].parts) });
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
