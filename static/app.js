// Minimal studio chat page: sessions on the left, a streamed chat on the right (POST /api/v1/chat/stream, SSE).
'use strict';
const API = '/api/v1';
const $ = (id) => document.getElementById(id);
let current = null;

async function api(path, options = {}) {
  const res = await fetch(API + path, { headers: { 'Content-Type': 'application/json' }, ...options });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.detail || res.statusText);
  return body;
}

function bubble(kind, text) {
  const div = document.createElement('div');
  div.className = 'msg ' + kind;
  div.textContent = text;
  $('messages').appendChild(div);
  $('messages').scrollTop = $('messages').scrollHeight;
  return div;
}

function showMessages(messages) {
  $('messages').replaceChildren();
  for (const m of messages) {
    for (const block of m.content) {
      if (block.type === 'text') bubble(m.role, block.text);
      else if (block.type === 'tool_use') bubble('tool', 'tool call ' + block.name + ' ' + JSON.stringify(block.input));
      else if (block.type === 'tool_result') bubble('tool', 'result: ' + block.content);
    }
  }
}

async function loadSessions() {
  const sessions = await api('/sessions');
  const list = $('sessions');
  list.replaceChildren();
  for (const s of sessions) {
    const li = document.createElement('li');
    li.textContent = s.name;
    li.title = s.model || '';
    li.className = current && s.id === current.id ? 'active' : '';
    li.onclick = () => openSession(s.id);
    list.appendChild(li);
  }
  return sessions;
}

async function openSession(id) {
  current = await api('/sessions/' + id);
  showMessages(current.messages);
  await loadSessions();
}

async function newSession() {
  const s = await api('/sessions', { method: 'POST', body: '{}' });
  await openSession(s.id);
}

async function send(text) {
  bubble('user', text);
  let answer = null;
  const res = await fetch(API + '/chat/stream', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ session_id: current.id, message: text }),
  });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    bubble('error', body.detail || res.statusText);
    return;
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
      if (!data) continue;
      const event = JSON.parse(data);
      if (event.type === 'chunk') {
        answer = answer || bubble('assistant', '');
        answer.textContent += event.content;
      } else if (event.type === 'tool_call') {
        bubble('tool', 'tool call ' + event.name + ' ' + JSON.stringify(event.input));
        answer = null;
      } else if (event.type === 'tool_result') {
        bubble('tool', (event.is_error ? 'error: ' : 'result: ') + event.output);
      } else if (event.type === 'error') {
        bubble('error', event.detail);
      }
    }
  }
  await loadSessions();
}

$('new-session').onclick = () => newSession().catch((e) => bubble('error', e.message));
$('composer').onsubmit = (e) => {
  e.preventDefault();
  const text = $('input').value.trim();
  if (!text || !current) return;
  $('input').value = '';
  $('send').disabled = true;
  send(text).catch((err) => bubble('error', err.message)).finally(() => { $('send').disabled = false; });
};
$('input').onkeydown = (e) => {
  if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); $('composer').requestSubmit(); }
};

loadSessions()
  .then((sessions) => (sessions.length ? openSession(sessions[0].id) : newSession()))
  .catch((e) => bubble('error', e.message));
