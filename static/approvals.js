// miu studio: tool calls that wait for a person. Each approval_request (live, or a session's pending_approvals after
// a reload) becomes a card with the call and Approve / Deny / Always; the last decision continues the run, whose
// events stream into the conversation as a turn's do (over the WebSocket, else as the decision request's SSE).
'use strict';

const Approvals = (() => {
  const cards = {}; // approval_id → { card, decided }

  function waiting() { return Object.values(cards).filter((c) => !c.decided).length; }

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
      if (!state.turn && input.disabled) { // the last waiting call was decided with no turn running here
        input.disabled = false;
        $('send').hidden = false;
        $('stop').hidden = true;
      }
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
    if (starts) {
      startTurn(null, null);
      state.turn.forDecision = approvalId; // the continuation this decision starts streams here, unless held elsewhere
    }
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
      // recorded (others wait), or continuing on the turn that holds the session, whose stream is elsewhere
      if (starts && state.turn && json.stop_reason) finishTurn(json.stop_reason);
      else if (starts && json.status === 'continuing') followElsewhere(approvalId);
    } catch (e) {
      if (e.name === 'AbortError') { if (starts && state.turn) finishTurn('cancelled'); return; }
      if (e.status !== 409) reopen(approvalId); // 409: decided already, by someone else
      if (starts && state.turn) failTurn('Could not send the decision: ' + e.message);
      else showBanner('Could not send the decision: ' + e.message);
    }
  }

  /**
   * The server's word on the waiting calls: any still undecided there wait here too, and a card still waiting here
   * that the server no longer lists was decided elsewhere (another tab, the API).
   */
  function sync(pending) {
    const waitingThere = new Set((pending || []).map((p) => p.approval_id));
    for (const p of pending || []) add(p);
    for (const [id, entry] of Object.entries(cards)) {
      if (!entry.decided && !waitingThere.has(id)) showDecision(entry, 'decided');
    }
    updateComposer();
  }

  /**
   * Asks the server which calls wait, after a turn failed: a decision's continuation that could not go on (the
   * server undoes its decisions), or a message refused because a stopped run's calls wait for a person again.
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

  /**
   * The last decision went to a turn that holds the session elsewhere (another tab's stream, or a wait that was just
   * ending): the continuation does not stream here, so this page's turn ends and the session is shown again once the
   * decided call is in the audit trail (the run went on) or calls wait again.
   */
  async function followElsewhere(approvalId) {
    if (state.turn && state.turn.forDecision === approvalId) finishTurn(null);
    const id = state.current && state.current.id;
    for (let i = 0; id && i < 900; i++) { // every 2 s, up to half an hour
      await new Promise((resolve) => setTimeout(resolve, 2000));
      if (!state.current || state.current.id !== id || state.turn) return;
      try {
        const session = await api('GET', `/sessions/${id}`);
        const audited = (session.approvals_audit || []).some((a) => a.approval_id === approvalId);
        if (audited || (session.pending_approvals || []).length) { await openSession(id); return; }
      } catch (e) { /* the server is away for now: ask again */ }
    }
  }

  /** Stop while calls wait denies them all. */
  function denyAll() {
    for (const entry of Object.values(cards)) if (!entry.decided) showDecision(entry, 'denied: cancelled');
  }

  function reset() {
    for (const k of Object.keys(cards)) delete cards[k];
    updateComposer();
  }

  return { add, sync, refresh, followElsewhere, reset, denyAll, waiting, updateComposer };
})();
