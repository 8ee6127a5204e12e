// miu studio: tool calls that wait for a person. Each approval_request (live, or a session's pending_approvals after
// a reload) becomes a card with the call and Approve / Deny / Always; the last decision continues the run, whose
// events stream into the conversation as a turn's do (over the WebSocket, else as the decision request's SSE).
'use strict';

const Approvals = (() => {
  const cards = {}; // approval_id → { card, decided }

  function waiting() { return Object.values(cards).filter((c) => !c.decided).length; }

  /** How many cards the conversation shows, decided or not. */
  function count() { return Object.keys(cards).length; }

  /** The composer while calls wait: a new message would be refused, so the box says why and Stop denies them. */
  function updateComposer() {
    const n = waiting();
    const input = $('message-input');
    if (!input.dataset.placeholder) input.dataset.placeholder = input.placeholder;
    if (n) { // the turn that asked may still wait, live, or have ended awaiting approval: the box is closed either way
      input.disabled = true;
      input.placeholder = `${n} tool call${n > 1 ? 's wait' : ' waits'} for your decision above: a new message is `
        + 'refused until they are decided (Stop denies them all).';
      $('send').hidden = true;
      $('stop').hidden = false;
    } else {
      input.placeholder = input.dataset.placeholder;
    }
  }

  function diffView(diff) {
    const pre = document.createElement('pre');
    pre.className = 'approval-diff';
    for (const line of diff.replace(/\n$/, '').split('\n')) {
      const span = document.createElement('span');
      span.textContent = line + '\n';
      if (line.startsWith('+') && !line.startsWith('+++')) span.className = 'diff-add';
      else if (line.startsWith('-') && !line.startsWith('---')) span.className = 'diff-del';
      else if (line.startsWith('@@')) span.className = 'diff-hunk';
      pre.appendChild(span);
    }
    return pre;
  }

  function showDecision(entry, text) {
    entry.decided = true;
    entry.card.classList.add('decided');
    entry.card.querySelectorAll('button, input').forEach((b) => { b.disabled = true; });
    entry.card.querySelector('.approval-status').textContent = text;
    updateComposer();
  }

  /** A decision the server refused or never got: the card waits again, so it can be decided anew. */
  function reopen(approvalId) {
    const entry = cards[approvalId];
    if (!entry || !entry.decided) return;
    entry.decided = false;
    entry.card.classList.remove('decided');
    entry.card.querySelectorAll('button, input').forEach((b) => { b.disabled = false; });
    entry.card.querySelector('.approval-status').textContent = 'waits for you';
    updateComposer();
  }

  /** A card for one waiting call {approval_id, name, agent, input, diff?, decision?}, below its tool card. */
  function add(request, container) {
    if (cards[request.approval_id]) return;
    const card = document.createElement('div');
    card.className = 'approval-card';
    card.dataset.approvalId = request.approval_id;
    const head = document.createElement('div');
    head.className = 'approval-head';
    head.innerHTML = '<span class="tool-label">approval</span> <strong></strong> <span class="approval-agent"></span>'
      + '<span class="approval-status">waits for you</span>';
    head.querySelector('strong').textContent = request.name;
    head.querySelector('.approval-agent').textContent = request.agent ? 'by ' + request.agent : '';
    card.appendChild(head);
    if (request.diff) card.appendChild(diffView(request.diff));
    else {
      const args = document.createElement('pre');
      args.className = 'tool-args';
      args.textContent = pretty(request.input || {});
      card.appendChild(args);
    }
    const actions = document.createElement('div');
    actions.className = 'approval-actions';
    const reason = document.createElement('input');
    reason.className = 'approval-reason';
    reason.placeholder = 'Reason for a denial (optional)';
    reason.setAttribute('aria-label', 'Reason for a denial');
    const button = (cls, label, decide) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = cls;
      b.textContent = label;
      b.addEventListener('click', decide);
      return b;
    };
    const entry = { card, decided: false };
    cards[request.approval_id] = entry;
    actions.append(
      button('approve', 'Approve', () => decide(request.approval_id, 'approve', '', false)),
      reason,
      button('deny', 'Deny', () => decide(request.approval_id, 'deny', reason.value.trim(), false)),
      button('always', 'Always for this session', () => decide(request.approval_id, 'approve', '', true)));
    card.appendChild(actions);
    const tool = document.querySelector(`details.tool-card[data-tool-id="${CSS.escape(request.tool_call_id || '')}"]`);
    if (tool && tool.parentNode) tool.after(card);
    else (container || $('conversation')).appendChild(card);
    if (request.decision) showDecision(entry, describe(request.decision.decision || request.decision, request.decision.reason));
    updateComposer();
    scrollToEnd();
  }

  function describe(decision, reason, remember) {
    if (decision === 'approve') return remember ? 'approved for this session' : 'approved';
    return 'denied' + (reason ? ': ' + reason : '');
  }

  /**
   * Sends one decision. While the turn that asked still runs here (it waits, its stream or socket open), the last
   * decision lets it go on there; once it has ended, the last one starts a turn that the continuation's events fill.
   */
  async function decide(approvalId, decision, reason, remember) {
    const entry = cards[approvalId];
    if (!entry || entry.decided) return;
    showBanner('');
    const starts = waiting() === 1 && !state.turn;
    showDecision(entry, describe(decision, reason, remember));
    const body = { decision, reason, remember };
    if (starts) startTurn(null, null);
    if (state.socket && state.socketReady) {
      state.socket.send(JSON.stringify({ type: 'approval', approval_id: approvalId, ...body }));
      return;
    }
    await decideOverHttp(approvalId, body, starts);
  }

  async function decideOverHttp(approvalId, body, starts) {
    const path = `${API}/sessions/${state.current.id}/approvals/${encodeURIComponent(approvalId)}`;
    const controller = new AbortController();
    if (starts && state.turn) state.turn.abort = controller;
    try {
      const res = await fetch(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...authHeaders() },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      if ((res.headers.get('content-type') || '').includes('text/event-stream')) {
        await readEvents(res);
        return;
      }
      const json = await res.json().catch(() => ({}));
      if (!res.ok) throw Object.assign(new Error(json.detail || 'HTTP ' + res.status), { status: res.status });
      // recorded (others wait) or continuing (on the waiting turn's own stream): nothing ends here
      if (starts && state.turn && json.stop_reason) finishTurn(json.stop_reason);
    } catch (e) {
      if (e.name === 'AbortError') { if (starts && state.turn) finishTurn('cancelled'); return; }
      if (e.status !== 409) reopen(approvalId); // 409: decided already, by someone else
      if (starts && state.turn) failTurn('Could not send the decision: ' + e.message);
      else showBanner('Could not send the decision: ' + e.message);
    }
  }

  /** The server's word on the waiting calls: any still undecided there wait here too. */
  function sync(pending) {
    for (const p of pending || []) add(p);
    updateComposer();
  }

  /**
   * Asks the server which calls still wait, after a decision's continuation failed: the server undoes the decisions
   * of a run that could not go on (a provider error), so their cards wait again.
   */
  async function refresh() {
    const id = state.current && state.current.id;
    if (!id) return;
    try {
      const session = await api('GET', `/sessions/${id}`);
      if (!state.current || state.current.id !== id) return;
      for (const p of session.pending_approvals || []) {
        if (cards[p.approval_id]) reopen(p.approval_id);
        else add(p);
      }
    } catch (e) { /* the server is away: the cards stay as they are until the session is opened again */ }
  }

  /** Stop while calls wait denies them all. */
  function denyAll() {
    for (const entry of Object.values(cards)) if (!entry.decided) showDecision(entry, 'denied: cancelled');
  }

  function reset() {
    for (const k of Object.keys(cards)) delete cards[k];
    updateComposer();
  }

  return { add, sync, refresh, reset, denyAll, waiting, count, updateComposer };
})();
