// miu studio: a turn on the wire. Messages go over the session's WebSocket (SSE over fetch when WebSockets cannot
// be opened); the events that come back fill the running answer, which ends as done, Stopped or an error with Retry.
'use strict';

function setRunning(running) {
  $('send').hidden = running;
  $('stop').hidden = !running;
  $('message-input').disabled = running;
  if (!running) Approvals.updateComposer(); // calls that wait for a decision keep the box closed
}

function closeSocket() {
  clearTimeout(state.reconnectTimer);
  if (state.socket) {
    state.socket.onclose = null;
    state.socket.close();
  }
  state.socket = null;
  state.socketReady = false;
}

function connectSocket() {
  closeSocket();
  if (!state.current || state.useSse) return;
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = localStorage.getItem('miu.apiKey');
  const url = `${proto}//${location.host}${API}/chat/ws/${state.current.id}` + (token ? '?token=' + encodeURIComponent(token) : '');
  const sessionId = state.current.id;
  let opened = false;
  const socket = new WebSocket(url);
  state.socket = socket;
  setConnection('Connecting…');
  socket.onopen = () => {
    opened = true;
    state.socketReady = true;
    state.reconnectDelay = 500;
    setConnection('Connected');
  };
  socket.onmessage = (msg) => {
    let event;
    try { event = JSON.parse(msg.data); } catch (e) { return; }
    handleEvent(event);
  };
  socket.onclose = (close) => {
    state.socketReady = false;
    if (state.turn) {
      // 1009: a message far over the server's limit (server.max-body-bytes); the server closes instead of reading it
      failTurn(close.code === 1009 ? 'The message is too large for the server.'
        : 'Connection lost while the answer was streaming.');
    }
    if (!opened && state.reconnectDelay >= 4000) {
      state.useSse = true; // WebSockets never opened: fall back to SSE
      setConnection('Using SSE (WebSocket unavailable)');
      return;
    }
    if (!state.current || state.current.id !== sessionId) return;
    setConnection(`Connection lost. Reconnecting in ${Math.round(state.reconnectDelay / 100) / 10} s…`);
    state.reconnectTimer = setTimeout(connectSocket, state.reconnectDelay);
    state.reconnectDelay = Math.min(state.reconnectDelay * 2, 10000);
  };
}

/** Resolves true once the session's WebSocket is open, false after {@code ms} or when SSE is in use. */
function socketOpen(ms) {
  const started = Date.now();
  return new Promise((resolve) => {
    const check = () => {
      if (state.socketReady) resolve(true);
      else if (state.useSse || !state.socket || Date.now() - started > ms) resolve(false);
      else setTimeout(check, 20);
    };
    check();
  });
}

function startTurn(message, userDiv) {
  const { div, bubble } = addAssistantMessage('', false);
  bubble.classList.add('streaming');
  // container, div, bubble and text make the turn the pane its own agent writes in; sub-agents get sections
  state.turn = { container: $('conversation'), div, bubble, text: '', cards: {}, sections: [],
    usage: { input: 0, output: 0 }, abort: null, stopping: false, message, userDiv };
  setRunning(true);
}

/** Ends the running turn's display; a turn the user stopped (or the server cancelled) is marked "Stopped". */
function finishTurn(stopReason) {
  const turn = state.turn;
  if (!turn) return;
  state.turn = null;
  // sections still open when the turn ends were cut short by it
  while (turn.sections.length) Agents.finish(turn.sections.pop(), stopReason || 'stopped');
  turn.bubble.classList.remove('streaming');
  // the server's word wins: a Stop that came too late leaves a complete answer
  const stopped = stopReason === 'cancelled' || (!stopReason && turn.stopping);
  if (turn.text) Markdown.render(turn.bubble, turn.text, true);
  else if (!stopped) turn.div.remove();
  if (stopped) {
    const note = document.createElement('div');
    note.className = 'turn-note stopped';
    note.textContent = 'Stopped';
    turn.div.appendChild(note);
    if (!turn.text) turn.bubble.remove();
    $('conversation').appendChild(turn.div);
  }
  if (turn.usage.input || turn.usage.output) {
    const u = document.createElement('div');
    u.className = 'turn-usage';
    u.textContent = `This turn: ${turn.usage.input} in / ${turn.usage.output} out tokens`;
    let holder = turn.div;
    if (!holder.isConnected) { // a turn whose words were all its sub-agents'
      holder = document.createElement('div');
      holder.className = 'msg';
      $('conversation').appendChild(holder);
    }
    holder.appendChild(u);
  }
  setRunning(false);
  $('message-input').focus();
  loadSessions().catch(() => {});
  return turn;
}

/** Ends the running turn with an error that keeps a Retry button sending the same message again. */
function failTurn(detail) {
  const turn = finishTurn();
  if (!turn) {
    addErrorMessage(detail);
    return;
  }
  // calls may wait now: a continuation that failed, or a message refused because a stopped run's calls were asked again
  Approvals.refresh();
  if (turn.message == null) { // a decision's continuation: nothing to send again
    addErrorMessage(detail);
    return;
  }
  addErrorMessage(detail, () => {
    if (turn.userDiv) turn.userDiv.remove(); // send() shows it again
    send(turn.message);
  });
}

function usageOf(event) {
  const u = event.usage || event;
  return { input: u.input_tokens || 0, output: u.output_tokens || 0 };
}

/** A sub-agent's section in the running turn, inside the innermost open one; the turn's answer stays below. */
function openSection(turn, name) {
  const parent = turn.sections.length ? turn.sections[turn.sections.length - 1].container : turn.container;
  const section = Agents.section(parent, name, false);
  turn.sections.push(section);
  turn.container.appendChild(turn.div);
  scrollToEnd();
  return section;
}

/** Where an event is shown: the turn itself, or the open section of the sub-agent it names (opened if none is). */
function paneOf(turn, event) {
  if (!event.agent) return turn;
  for (let i = turn.sections.length - 1; i >= 0; i--) {
    if (turn.sections[i].name === event.agent) return turn.sections[i];
  }
  return openSection(turn, event.agent);
}

/** The pane's streaming bubble, made when its first text comes; text after tool cards starts one below them. */
function streamingBubble(pane) {
  if (!pane.div) {
    const m = addAssistantMessage('', false, pane.container);
    m.bubble.classList.add('streaming');
    pane.div = m.div; pane.bubble = m.bubble;
  } else if (pane.text === '' && pane.container.lastChild !== pane.div) {
    pane.container.appendChild(pane.div);
  }
}

function handleEvent(event) {
  const turn = state.turn;
  switch (event.type) {
    case 'chunk': {
      if (!turn) return;
      const pane = paneOf(turn, event);
      streamingBubble(pane);
      pane.text += event.content || '';
      Markdown.render(pane.bubble, pane.text, false);
      scrollToEnd();
      break;
    }
    case 'tool_call': {
      if (!turn) return;
      const pane = paneOf(turn, event);
      if (pane.text) {
        // close the text so far; the answer continues in a new bubble after the tool
        pane.bubble.classList.remove('streaming');
        Markdown.render(pane.bubble, pane.text, true);
        const next = addAssistantMessage('', false, pane.container);
        next.bubble.classList.add('streaming');
        pane.div = next.div; pane.bubble = next.bubble; pane.text = '';
      }
      turn.cards[event.id] = addToolCard(event.id, event.name, event.input, pane.container);
      if (pane.div) pane.container.appendChild(pane.div);
      if (pane !== turn) turn.container.appendChild(turn.div);
      break;
    }
    case 'agent_start':
      if (turn) openSection(turn, event.agent);
      break;
    case 'agent_end': {
      if (!turn) return;
      const i = turn.sections.map((x) => x.name).lastIndexOf(event.agent);
      if (i >= 0) Agents.finish(turn.sections.splice(i, 1)[0], event.stop_reason);
      break;
    }
    case 'approval_request':
      // the card goes below its call's tool card (event.agent names the asker even when it is the session's own)
      Approvals.add(event, turn ? turn.container : null);
      if (turn && turn.div.isConnected) turn.container.appendChild(turn.div);
      break;
    case 'tool_result': {
      // a call decided after a pause has its card from the turn that asked for it
      const card = (turn && turn.cards[event.id])
        || document.querySelector(`details.tool-card[data-tool-id="${CSS.escape(event.id || '')}"]`);
      if (card) completeToolCard(card, event.output, event.is_error);
      break;
    }
    case 'usage': {
      const u = usageOf(event);
      if (turn) { turn.usage.input += u.input; turn.usage.output += u.output; }
      state.sessionUsage.input += u.input;
      state.sessionUsage.output += u.output;
      updateUsageDisplay();
      break;
    }
    case 'approval_recorded':
      // the last decision, and no continuation comes here: it goes on where the session is held
      if (turn && turn.forDecision === event.approval_id && !(event.pending_approvals || []).length) {
        Approvals.followElsewhere(event.approval_id);
      }
      break;
    case 'done':
      finishTurn(event.stop_reason);
      Approvals.sync(event.pending_approvals);
      break;
    case 'error':
      failTurn(event.detail || event.content || 'Something went wrong.');
      break;
    default:
      break;
  }
}

/** Sends a message; on the empty page it first creates the session it goes to. */
async function send(text) {
  if (state.turn) return;
  showBanner('');
  if (!state.current) $('conversation').innerHTML = ''; // the empty page's welcome gives way to the chat
  const welcome = $('welcome');
  if (welcome) welcome.remove();
  const userDiv = addUserMessage(text);
  startTurn(text, userDiv);
  if (!state.current) {
    try {
      await createSession();
    } catch (e) {
      failTurn('Could not create a session: ' + e.message);
      return;
    }
  }
  if (await socketOpen(3000)) {
    state.socket.send(JSON.stringify({ message: text }));
    return;
  }
  await sendOverSse(text);
}

async function sendOverSse(text) {
  const controller = new AbortController();
  state.turn.abort = controller;
  try {
    const res = await fetch(API + '/chat/stream', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...authHeaders() },
      body: JSON.stringify({ session_id: state.current.id, message: text }),
      signal: controller.signal,
    });
    if (!res.ok) {
      let detail = 'HTTP ' + res.status;
      try { detail = (await res.json()).detail || detail; } catch (e) { /* not JSON */ }
      handleEvent({ type: 'error', detail });
      return;
    }
    await readEvents(res);
  } catch (e) {
    if (!state.turn) return;
    if (e.name === 'AbortError') finishTurn('cancelled'); // the user pressed Stop
    else failTurn('Connection lost: ' + e.message);
  }
}

/** Feeds an SSE response's events to handleEvent; a stream that ends without done ends the turn. */
async function readEvents(res) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = frame.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
      if (data) {
        try { handleEvent(JSON.parse(data)); } catch (e) { /* ignore a malformed frame */ }
      }
    }
  }
  if (state.turn) finishTurn();
}

/** Stops the running answer; the server's done (stop_reason "cancelled") or the aborted stream ends it. */
function stop() {
  const turn = state.turn;
  if (!turn) {
    if (Approvals.waiting()) denyAll();
    return;
  }
  if (Approvals.waiting()) {
    // the turn waits for decisions: Stop denies them all and the run goes on, on its stream, to tell the model
    Approvals.denyAll();
    if (state.socket && state.socketReady) state.socket.send(JSON.stringify({ type: 'cancel' }));
    else api('POST', `/sessions/${state.current.id}/cancel`)
      .catch((e) => showBanner('Could not deny the waiting calls: ' + e.message));
    return;
  }
  turn.stopping = true;
  if (turn.abort) {
    turn.abort.abort();
  } else if (state.socket && state.socketReady) {
    state.socket.send(JSON.stringify({ type: 'cancel' }));
  } else {
    finishTurn('cancelled');
  }
}

/** Stop while calls wait: denies them all; the model is told, and its answer comes as a turn. */
async function denyAll() {
  Approvals.denyAll();
  startTurn(null, null);
  if (state.socket && state.socketReady) {
    state.socket.send(JSON.stringify({ type: 'cancel' }));
    return;
  }
  const id = state.current.id;
  try {
    await api('POST', `/sessions/${id}/cancel`);
  } catch (e) {
    showBanner('Could not deny the waiting calls: ' + e.message);
  }
  finishTurn();
  await openSession(id);
}
