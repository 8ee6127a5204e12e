// miu studio: the browser chat UI. Plain JavaScript, no build step: it talks to /api/v1 over fetch,
// streams answers over a WebSocket (SSE over fetch as the fallback), and renders Markdown with
// marked + DOMPurify + highlight.js served from the jar's WebJars.
'use strict';

const API = '/api/v1';
const $ = (id) => document.getElementById(id);

const state = {
  sessions: [],
  current: null,          // the full session object
  socket: null,           // WebSocket for the current session
  socketReady: false,
  useSse: false,          // set when WebSockets cannot be opened
  reconnectDelay: 500,
  reconnectTimer: null,
  turn: null,             // the running turn: { bubble, text, cards, usage, abort }
  sessionUsage: { input: 0, output: 0 },
};

// ---------- HTTP helpers ----------

function authHeaders() {
  const token = localStorage.getItem('miu.apiKey');
  return token ? { Authorization: 'Bearer ' + token } : {};
}

async function api(method, path, body) {
  const res = await fetch(API + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...authHeaders() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401) {
    const key = prompt('This miu server needs an API key (MIU_API_KEY):');
    if (key) {
      localStorage.setItem('miu.apiKey', key.trim());
      return api(method, path, body);
    }
  }
  let data = null;
  try { data = await res.json(); } catch (e) { /* empty body */ }
  if (!res.ok) {
    const err = new Error((data && data.detail) || ('HTTP ' + res.status));
    err.status = res.status;
    throw err;
  }
  return data;
}

// ---------- rendering ----------

function renderMarkdown(text) {
  const html = window.marked ? window.marked.parse(text || '') : escapeHtml(text || '');
  return window.DOMPurify ? window.DOMPurify.sanitize(html) : escapeHtml(text || '');
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function highlight(el) {
  if (!window.hljs) return;
  el.querySelectorAll('pre code').forEach((block) => window.hljs.highlightElement(block));
}

function scrollToEnd() {
  const c = $('conversation');
  c.scrollTop = c.scrollHeight;
}

function addUserMessage(text) {
  const div = document.createElement('div');
  div.className = 'msg user';
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  bubble.textContent = text;
  div.appendChild(bubble);
  $('conversation').appendChild(div);
  scrollToEnd();
}

function addAssistantMessage(text) {
  const div = document.createElement('div');
  div.className = 'msg assistant';
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  bubble.innerHTML = renderMarkdown(text);
  highlight(bubble);
  div.appendChild(bubble);
  $('conversation').appendChild(div);
  scrollToEnd();
  return { div, bubble };
}

function addErrorMessage(detail) {
  const div = document.createElement('div');
  div.className = 'msg error';
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  bubble.textContent = detail;
  div.appendChild(bubble);
  $('conversation').appendChild(div);
  scrollToEnd();
}

function pretty(value) {
  if (typeof value === 'string') {
    try { return JSON.stringify(JSON.parse(value), null, 2); } catch (e) { return value; }
  }
  return JSON.stringify(value, null, 2);
}

function addToolCard(id, name, input) {
  const card = document.createElement('details');
  card.className = 'tool-card running';
  card.dataset.toolId = id;
  const summary = document.createElement('summary');
  summary.innerHTML = '<span class="tool-label">tool</span> <strong></strong><span class="tool-status">running…</span>';
  summary.querySelector('strong').textContent = name;
  card.appendChild(summary);
  const argsTitle = document.createElement('h3');
  argsTitle.textContent = 'Arguments';
  const args = document.createElement('pre');
  args.className = 'tool-args';
  args.textContent = pretty(input || {});
  card.append(argsTitle, args);
  $('conversation').appendChild(card);
  scrollToEnd();
  return card;
}

function completeToolCard(card, output, isError) {
  card.classList.remove('running');
  card.classList.add(isError ? 'failed' : 'ok');
  card.querySelector('.tool-status').textContent = isError ? 'failed' : 'done';
  const title = document.createElement('h3');
  title.textContent = isError ? 'Error' : 'Result';
  const pre = document.createElement('pre');
  pre.className = 'tool-output';
  pre.textContent = output;
  card.append(title, pre);
}

function blocksOf(message) {
  if (typeof message.content === 'string') return [{ type: 'text', text: message.content }];
  return message.content || [];
}

function renderHistory(messages) {
  const conv = $('conversation');
  conv.innerHTML = '';
  const cards = {};
  for (const m of messages) {
    const blocks = blocksOf(m);
    if (m.role === 'user') {
      const text = blocks.filter((b) => b.type === 'text').map((b) => b.text).join('');
      if (text) addUserMessage(text);
      for (const b of blocks) {
        if (b.type === 'tool_result' && cards[b.tool_use_id]) {
          completeToolCard(cards[b.tool_use_id], b.content, b.is_error);
        }
      }
    } else {
      const text = blocks.filter((b) => b.type === 'text').map((b) => b.text).join('');
      if (text) addAssistantMessage(text);
      for (const b of blocks) {
        if (b.type === 'tool_use') cards[b.id] = addToolCard(b.id, b.name, b.input);
      }
    }
  }
  scrollToEnd();
}

function showBanner(text) {
  const banner = $('banner');
  if (!text) { banner.hidden = true; banner.textContent = ''; return; }
  banner.hidden = false;
  banner.textContent = text;
}

function setConnection(text) { $('connection').textContent = text; }

function updateUsageDisplay() {
  const u = state.sessionUsage;
  $('session-usage').textContent = (u.input || u.output)
    ? `Session: ${u.input.toLocaleString()} in / ${u.output.toLocaleString()} out tokens` : '';
}

// ---------- sessions ----------

async function loadSessions() {
  state.sessions = await api('GET', '/sessions');
  renderSessionList();
}

function renderSessionList() {
  const list = $('session-list');
  list.innerHTML = '';
  for (const s of state.sessions) {
    const li = document.createElement('li');
    li.dataset.sessionId = s.id;
    if (state.current && state.current.id === s.id) li.className = 'active';
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'session-open';
    open.setAttribute('aria-label', 'Open session ' + s.name);
    open.innerHTML = '<span class="session-name"></span><span class="session-meta"></span>';
    open.querySelector('.session-name').textContent = s.name;
    open.querySelector('.session-meta').textContent = `${s.message_count} messages · ${s.model || 'default model'}`;
    open.addEventListener('click', () => openSession(s.id));
    const rename = document.createElement('button');
    rename.type = 'button';
    rename.className = 'icon rename';
    rename.textContent = '✎';
    rename.setAttribute('aria-label', 'Rename session ' + s.name);
    rename.addEventListener('click', () => renameSession(s));
    const del = document.createElement('button');
    del.type = 'button';
    del.className = 'icon delete';
    del.textContent = '✕';
    del.setAttribute('aria-label', 'Delete session ' + s.name);
    del.addEventListener('click', () => deleteSession(s));
    li.append(open, rename, del);
    list.appendChild(li);
  }
}

async function createSession() {
  try {
    const session = await api('POST', '/sessions', {});
    await loadSessions();
    await openSession(session.id);
  } catch (e) {
    showBanner('Could not create a session: ' + e.message);
  }
}

async function renameSession(s) {
  const name = prompt('Rename session', s.name);
  if (!name || !name.trim()) return;
  try {
    await api('PATCH', '/sessions/' + s.id, { name: name.trim() });
    await loadSessions();
    if (state.current && state.current.id === s.id) $('session-title').textContent = name.trim();
  } catch (e) {
    showBanner('Could not rename: ' + e.message);
  }
}

async function deleteSession(s) {
  if (!confirm(`Delete "${s.name}"? This cannot be undone.`)) return;
  try {
    await api('DELETE', '/sessions/' + s.id);
    if (state.current && state.current.id === s.id) {
      closeSocket();
      state.current = null;
      $('conversation').innerHTML = '';
      $('session-title').textContent = 'No session';
      setComposerEnabled(false);
    }
    await loadSessions();
  } catch (e) {
    showBanner('Could not delete: ' + e.message);
  }
}

async function openSession(id) {
  showBanner('');
  try {
    const session = await api('GET', '/sessions/' + id);
    state.current = session;
    localStorage.setItem('miu.session', id);
    $('session-title').textContent = session.name;
    $('model-input').value = session.model || '';
    $('model-input').placeholder = session.model ? 'provider:model' : 'server default (provider:model)';
    $('model-input').disabled = false;
    $('show-traces').disabled = false;
    $('traces').hidden = true;
    const usage = session.usage || {};
    state.sessionUsage = { input: usage.input_tokens || 0, output: usage.output_tokens || 0 };
    updateUsageDisplay();
    renderHistory(session.messages || []);
    renderSessionList();
    setComposerEnabled(true);
    $('sidebar').classList.remove('open');
    connectSocket();
  } catch (e) {
    showBanner('Could not open the session: ' + e.message);
  }
}

async function changeModel() {
  if (!state.current) return;
  const model = $('model-input').value.trim();
  if (!model || model === state.current.model) return;
  try {
    const updated = await api('PATCH', '/sessions/' + state.current.id, { model });
    state.current.model = updated.model;
    setConnection('Model set to ' + updated.model);
    await loadSessions();
  } catch (e) {
    showBanner('Could not change the model: ' + e.message);
    $('model-input').value = state.current.model || '';
  }
}

// ---------- streaming ----------

function setComposerEnabled(enabled) {
  $('message-input').disabled = !enabled;
  $('send').disabled = !enabled;
}

function setRunning(running) {
  $('send').hidden = running;
  $('stop').hidden = !running;
  $('message-input').disabled = running || !state.current;
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
      finishTurn();
      // 1009: a message far over the server's limit (server.max-body-bytes); the server closes instead of reading it
      addErrorMessage(close.code === 1009 ? 'The message is too large for the server.'
        : 'Connection lost while the answer was streaming.');
    }
    if (!opened && state.reconnectDelay >= 4000) {
      state.useSse = true; // WebSockets never opened: fall back to SSE
      setConnection('Using SSE (WebSocket unavailable)');
      return;
    }
    if (!state.current || state.current.id !== sessionId) return;
    setConnection(`Connection lost. Reconnecting in ${Math.round(state.reconnectDelay / 1000 * 10) / 10} s…`);
    state.reconnectTimer = setTimeout(connectSocket, state.reconnectDelay);
    state.reconnectDelay = Math.min(state.reconnectDelay * 2, 10000);
  };
}

function startTurn() {
  const { div, bubble } = addAssistantMessage('');
  bubble.classList.add('streaming');
  state.turn = { div, bubble, text: '', cards: {}, usage: { input: 0, output: 0 }, abort: null };
  setRunning(true);
}

function finishTurn() {
  const turn = state.turn;
  if (!turn) return;
  turn.bubble.classList.remove('streaming');
  if (!turn.text) {
    turn.div.remove();
  } else {
    turn.bubble.innerHTML = renderMarkdown(turn.text);
    highlight(turn.bubble);
  }
  if (turn.usage.input || turn.usage.output) {
    const u = document.createElement('div');
    u.className = 'turn-usage';
    u.textContent = `This turn: ${turn.usage.input} in / ${turn.usage.output} out tokens`;
    (turn.text ? turn.div : $('conversation')).appendChild(u);
  }
  state.turn = null;
  setRunning(false);
  $('message-input').focus();
  loadSessions().catch(() => {});
}

function usageOf(event) {
  const u = event.usage || event;
  return { input: u.input_tokens || 0, output: u.output_tokens || 0 };
}

function handleEvent(event) {
  const turn = state.turn;
  switch (event.type) {
    case 'chunk':
      if (!turn) return;
      if (turn.text === '' && $('conversation').lastChild !== turn.div) {
        // text after tool cards starts a new bubble below them
        $('conversation').appendChild(turn.div);
      }
      turn.text += event.content || '';
      turn.bubble.innerHTML = renderMarkdown(turn.text);
      scrollToEnd();
      break;
    case 'tool_call':
      if (!turn) return;
      if (turn.text) {
        // close the text so far; the answer continues in a new bubble after the tool
        turn.bubble.classList.remove('streaming');
        highlight(turn.bubble);
        const next = addAssistantMessage('');
        next.bubble.classList.add('streaming');
        turn.div = next.div; turn.bubble = next.bubble; turn.text = '';
      }
      turn.cards[event.id] = addToolCard(event.id, event.name, event.input);
      $('conversation').appendChild(turn.div);
      break;
    case 'tool_result': {
      const card = turn && turn.cards[event.id];
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
    case 'done':
      finishTurn();
      break;
    case 'error':
      if (turn) finishTurn();
      addErrorMessage(event.detail || 'Something went wrong.');
      break;
    default:
      break;
  }
}

async function send(text) {
  if (!state.current || state.turn) return;
  showBanner('');
  addUserMessage(text);
  startTurn();
  if (state.socket && state.socketReady) {
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
  } catch (e) {
    if (state.turn) {
      finishTurn();
      if (e.name !== 'AbortError') addErrorMessage('Connection lost: ' + e.message);
    }
  }
}

function stop() {
  if (!state.turn) return;
  if (state.turn.abort) {
    state.turn.abort.abort();
  } else if (state.socket && state.socketReady) {
    state.socket.send(JSON.stringify({ type: 'cancel' }));
  }
}

// ---------- traces ----------

async function showTraces() {
  const panel = $('traces');
  if (!panel.hidden) { panel.hidden = true; return; }
  panel.hidden = false;
  panel.textContent = 'Loading traces…';
  try {
    const data = await api('GET', '/traces?session_id=' + encodeURIComponent(state.current.id));
    const traces = Array.isArray(data) ? data : (data.traces || []);
    panel.innerHTML = '';
    if (data && data.enabled === false) {
      panel.textContent = data.detail || 'Tracing is off. Set tracing.enabled: true in app.yaml (or OTEL_EXPORTER_OTLP_ENDPOINT).';
      return;
    }
    if (!traces.length) { panel.textContent = 'No traces for this session yet.'; return; }
    for (const t of traces) panel.appendChild(renderTrace(t));
  } catch (e) {
    panel.textContent = 'Could not load traces: ' + e.message;
  }
}

function renderTrace(trace) {
  const div = document.createElement('div');
  div.className = 'trace';
  const h = document.createElement('h3');
  h.textContent = `${trace.name} · ${trace.duration_ms.toFixed(1)} ms · ${new Date(trace.started_at).toLocaleTimeString()}`;
  div.appendChild(h);
  const depth = {};
  const total = Math.max(trace.duration_ms, 0.001);
  for (const s of trace.spans) {
    depth[s.span_id] = s.parent_id && depth[s.parent_id] !== undefined ? depth[s.parent_id] + 1 : 0;
    const row = document.createElement('div');
    row.className = 'span-row';
    const name = document.createElement('span');
    name.className = 'span-name';
    name.style.paddingLeft = (depth[s.span_id] * 12) + 'px';
    name.textContent = s.name;
    const track = document.createElement('span');
    track.className = 'span-track';
    const bar = document.createElement('span');
    bar.className = `span-bar kind-${s.kind} status-${s.status}`;
    bar.style.left = (100 * s.start_ms / total) + '%';
    bar.style.width = (100 * s.duration_ms / total) + '%';
    track.appendChild(bar);
    const info = document.createElement('span');
    info.className = 'span-info';
    const a = s.attributes || {};
    const tokens = a['gen_ai.usage.input_tokens'] !== undefined
      ? ` · ${a['gen_ai.usage.input_tokens']}/${a['gen_ai.usage.output_tokens']} tok` : '';
    info.textContent = `${s.duration_ms.toFixed(1)} ms${tokens}`;
    row.append(name, track, info);
    div.appendChild(row);
  }
  return div;
}

// ---------- wiring ----------

function init() {
  if (window.marked) window.marked.setOptions({ gfm: true, breaks: false });
  $('new-session').addEventListener('click', createSession);
  $('toggle-sidebar').addEventListener('click', () => $('sidebar').classList.toggle('open'));
  $('model-input').addEventListener('change', changeModel);
  $('show-traces').addEventListener('click', showTraces);
  $('stop').addEventListener('click', stop);
  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('message-input');
    const text = input.value.trim();
    if (!text || state.turn) return;
    input.value = '';
    send(text);
  });
  $('message-input').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $('composer').requestSubmit();
    }
  });
  window.addEventListener('online', () => { if (state.current && !state.socketReady) connectSocket(); });
  loadSessions()
    .then(() => {
      const last = localStorage.getItem('miu.session');
      if (last && state.sessions.some((s) => s.id === last)) return openSession(last);
      if (state.sessions.length) return openSession(state.sessions[0].id);
      return null;
    })
    .catch((e) => showBanner('Cannot reach the miu server: ' + e.message));
}

document.addEventListener('DOMContentLoaded', init);
