// miu studio: the browser chat UI. Plain JavaScript, no build step: it talks to /api/v1 over fetch; chat.js streams
// the answers, dialog.js, markdown.js, welcome.js, agents.js and traces.js hold the page's dialogs, the Markdown
// rendering, the empty page, the agents and the trace view. This file holds the state, the sessions, the conversation's pieces and init.
'use strict';

const API = '/api/v1';
const $ = (id) => document.getElementById(id);

const state = {
  info: null,             // GET /info: version, default model, whether a provider is configured
  sessions: [],
  current: null,          // the open session; null on the empty page, where the first message creates one
  chosenAgent: null,      // on the empty page: the agent the first message's session will run
  socket: null,           // WebSocket for the current session
  socketReady: false,
  useSse: false,          // set when WebSockets cannot be opened
  reconnectDelay: 500,
  reconnectTimer: null,
  turn: null,             // the running turn: { div, bubble, text, cards, usage, abort, stopping, message, userDiv }
  sessionUsage: { input: 0, output: 0 },
  keyPrompt: null,        // the API-key dialog while it is open, so parallel requests ask once
};

// ---------- HTTP ----------

function authHeaders() {
  const token = localStorage.getItem('miu.apiKey');
  return token ? { Authorization: 'Bearer ' + token } : {};
}

/** Asks for the server's API key in the page's own dialog; resolves true once one was entered. */
function askForApiKey() {
  if (!state.keyPrompt) {
    const rejected = !!localStorage.getItem('miu.apiKey');
    state.keyPrompt = Dialogs.open({
      title: 'API key needed',
      message: rejected ? 'The server did not accept the saved key. Enter the key it was started with (MIU_API_KEY).'
        : 'This miu server needs an API key: the value of MIU_API_KEY where it was started. It is kept in this browser.',
      input: { label: 'API key', type: 'password', placeholder: 'MIU_API_KEY' },
      okLabel: 'Save',
    }).then((result) => {
      state.keyPrompt = null;
      if (result.ok && result.value) localStorage.setItem('miu.apiKey', result.value);
      return result.ok && !!result.value;
    });
  }
  return state.keyPrompt;
}

async function api(method, path, body) {
  const res = await fetch(API + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...authHeaders() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401 && await askForApiKey()) return api(method, path, body);
  let data = null;
  try { data = await res.json(); } catch (e) { /* empty body */ }
  if (!res.ok) {
    const err = new Error((data && data.detail) || ('HTTP ' + res.status));
    err.status = res.status;
    throw err;
  }
  return data;
}

// ---------- conversation ----------

function scrollToEnd() {
  const c = $('conversation');
  c.scrollTop = c.scrollHeight;
}

/** A message at the end of {@code container}: the conversation, or a sub-agent's section. */
function addMessage(kind, container) {
  const div = document.createElement('div');
  div.className = 'msg ' + kind;
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  div.appendChild(bubble);
  (container || $('conversation')).appendChild(div);
  return { div, bubble };
}

function addUserMessage(text, container) {
  const { div, bubble } = addMessage('user', container);
  bubble.textContent = text;
  scrollToEnd();
  return div;
}

function addAssistantMessage(text, final, container) {
  const m = addMessage('assistant', container);
  Markdown.render(m.bubble, text, final);
  scrollToEnd();
  return m;
}

/** An error in the conversation; {@code retry} (optional) is what its Retry button does. */
function addErrorMessage(detail, retry) {
  const { div, bubble } = addMessage('error');
  const text = document.createElement('div');
  text.className = 'error-text';
  text.textContent = detail;
  bubble.appendChild(text);
  if (retry) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'retry';
    button.textContent = 'Retry';
    button.addEventListener('click', () => {
      if (state.turn) return;
      div.remove();
      retry();
    });
    bubble.appendChild(button);
  }
  scrollToEnd();
  return div;
}

function pretty(value) {
  if (typeof value === 'string') {
    try { return JSON.stringify(JSON.parse(value), null, 2); } catch (e) { return value; }
  }
  return JSON.stringify(value, null, 2);
}

function addToolCard(id, name, input, container) {
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
  (container || $('conversation')).appendChild(card);
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

// ownAgent: the session's agent; its own messages are not a sub-agent's (stored messages name who wrote them)
function renderHistory(messages, ownAgent) {
  const conv = $('conversation');
  conv.innerHTML = '';
  const cards = {};
  let section = null; // consecutive messages of one sub-agent share its section
  for (const m of messages) {
    if (!m.agent || m.agent === ownAgent) section = null;
    else if (!section || section.name !== m.agent) section = Agents.section(conv, m.agent, true);
    const container = section ? section.container : conv;
    const blocks = blocksOf(m);
    const text = blocks.filter((b) => b.type === 'text').map((b) => b.text).join('');
    if (m.role === 'user') {
      if (text) addUserMessage(text, container);
      for (const b of blocks) {
        if (b.type === 'tool_result' && cards[b.tool_use_id]) completeToolCard(cards[b.tool_use_id], b.content, b.is_error);
      }
    } else {
      if (text) addAssistantMessage(text, true, container);
      for (const b of blocks) {
        if (b.type === 'tool_use') cards[b.id] = addToolCard(b.id, b.name, b.input, container);
      }
    }
  }
  scrollToEnd();
}

function showBanner(text) {
  const banner = $('banner');
  banner.hidden = !text;
  banner.textContent = text || '';
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
    const active = state.current && state.current.id === s.id;
    if (active) {
      li.className = 'active';
      state.current.name = s.name; // the first message may have titled it
      $('session-title').textContent = s.name;
    }
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'session-open';
    open.setAttribute('aria-label', 'Open session ' + s.name);
    open.innerHTML = '<span class="session-name"></span><span class="session-meta"></span>';
    open.querySelector('.session-name').textContent = s.name;
    open.querySelector('.session-meta').textContent = `${s.message_count} ${s.message_count === 1 ? 'message' : 'messages'}`
      + (s.agent ? ` · ${s.agent}` : '') + ` · ${s.model || 'default model'}`;
    open.addEventListener('click', () => openSession(s.id));
    const rename = iconButton('rename', '✎', 'Rename session ' + s.name, () => renameSession(s));
    const del = iconButton('delete', '✕', 'Delete session ' + s.name, () => deleteSession(s));
    li.append(open, rename, del);
    list.appendChild(li);
  }
  $('no-sessions').hidden = state.sessions.length > 0;
}

function iconButton(kind, symbol, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'icon ' + kind;
  b.textContent = symbol;
  b.setAttribute('aria-label', label);
  b.title = label;
  b.addEventListener('click', onClick);
  return b;
}

/** The empty page: no session until the first message, which creates one. */
function showEmptyPage() {
  closeSocket();
  Approvals.reset();
  state.current = null;
  state.chosenAgent = Agents.defaultAgent();
  $('session-title').textContent = 'New chat';
  $('model-input').value = '';
  $('show-traces').disabled = true;
  $('traces').hidden = true;
  state.sessionUsage = { input: 0, output: 0 };
  updateUsageDisplay();
  setConnection('');
  renderWelcome();
  renderSessionList();
  setRunning(false);
  $('sidebar').classList.remove('open');
  $('message-input').focus();
}

/** The empty page again once GET /info and /agents have answered, keeping whatever the user typed meanwhile. */
function refreshEmptyPage() {
  if (state.current || state.turn) return;
  if (!state.chosenAgent) state.chosenAgent = Agents.defaultAgent();
  renderWelcome();
}

/** The empty page's card with the agents to choose from, and the chosen agent in the header. */
function renderWelcome() {
  Welcome.render($('conversation'), state.info);
  Agents.renderPicker($('welcome'), state.chosenAgent, chooseAgent);
  chooseAgent(state.chosenAgent);
}

/** The agent the next chat runs: named in the header, its model the model box's hint. */
function chooseAgent(name) {
  state.chosenAgent = name;
  Agents.showInHeader(name);
  const agent = Agents.find(name);
  const model = agent ? agent.model : state.info && state.info.model;
  $('model-input').placeholder = model || (agent ? 'set by its agents' : 'provider:model');
}

/** Creates the session a first message goes to, on the chosen agent, with the model typed above it, if any. */
async function createSession() {
  const model = $('model-input').value.trim();
  const body = model ? { model } : {};
  if (state.chosenAgent) body.agent = state.chosenAgent;
  const session = await api('POST', '/sessions', body);
  state.current = session;
  localStorage.setItem('miu.session', session.id);
  $('session-title').textContent = session.name;
  Agents.showInHeader(session.agent);
  $('model-input').value = session.model || '';
  $('show-traces').disabled = false;
  connectSocket();
  loadSessions().catch(() => {});
  return session;
}

async function renameSession(s) {
  const name = await Dialogs.askText('Rename chat', 'Name', s.name, 'Rename');
  if (!name) return;
  try {
    await api('PATCH', '/sessions/' + s.id, { name });
    await loadSessions();
  } catch (e) {
    showBanner('Could not rename: ' + e.message);
  }
}

async function deleteSession(s) {
  const sure = await Dialogs.confirm('Delete chat?', `"${s.name}" and all its messages will be deleted. This cannot be undone.`,
    'Delete', true);
  if (!sure) return;
  try {
    await api('DELETE', '/sessions/' + s.id);
    if (state.current && state.current.id === s.id) {
      localStorage.removeItem('miu.session');
      await loadSessions();
      showEmptyPage();
      return;
    }
    await loadSessions();
  } catch (e) {
    showBanner('Could not delete: ' + e.message);
  }
}

async function openSession(id) {
  showBanner('');
  if (state.turn) return; // the running answer keeps its page until it is done or stopped
  try {
    const session = await api('GET', '/sessions/' + id);
    state.current = session;
    localStorage.setItem('miu.session', id);
    $('session-title').textContent = session.name;
    Agents.showInHeader(session.agent);
    $('model-input').value = session.model || '';
    const agent = Agents.find(session.agent);
    $('model-input').placeholder = agent && agent.type !== 'agent' ? 'set by its agents' : 'server default (provider:model)';
    $('show-traces').disabled = false;
    $('traces').hidden = true;
    const usage = session.usage || {};
    state.sessionUsage = { input: usage.input_tokens || 0, output: usage.output_tokens || 0 };
    updateUsageDisplay();
    Approvals.reset();
    renderHistory(session.messages || [], session.agent);
    if (!(session.messages || []).length) Welcome.render($('conversation'), state.info);
    renderSessionList();
    setRunning(false);
    Approvals.sync(session.pending_approvals); // calls that still wait come back as cards
    $('sidebar').classList.remove('open');
    connectSocket();
    $('message-input').focus();
  } catch (e) {
    showBanner('Could not open the session: ' + e.message);
  }
}

async function changeModel() {
  if (!state.current) return; // on the empty page the model goes with the first message
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

// ---------- wiring ----------

async function loadInfo() {
  try {
    state.info = await api('GET', '/info');
  } catch (e) {
    state.info = null; // the page still works; the empty page just says less
  }
}

function init() {
  if (window.marked) window.marked.setOptions({ gfm: true, breaks: false });
  Markdown.wireCopyButtons($('conversation'));
  $('new-session').addEventListener('click', () => {
    if (state.turn) return;
    localStorage.removeItem('miu.session'); // a reload stays on the empty page
    showEmptyPage();
  });
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
  showEmptyPage(); // typing works at once; the server's answers fill the page in
  Promise.all([loadInfo(), Agents.load()])
    .then(() => loadSessions())
    .then(() => {
      if (state.current || state.turn) return null; // the user already started a chat
      const last = localStorage.getItem('miu.session');
      if (last && state.sessions.some((s) => s.id === last)) return openSession(last);
      refreshEmptyPage();
      return null;
    })
    .catch((e) => showBanner('Cannot reach the miu server: ' + e.message));
}

document.addEventListener('DOMContentLoaded', init);
