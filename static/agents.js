// miu studio: the agents a server hosts. "New chat" offers them (GET /api/v1/agents, the default chosen), the
// header names the session's agent, and a composite agent's sub-agents (router targets, pipeline stages,
// orchestrator tasks, agents called as tools) show as labelled, collapsible sections of the conversation, live
// (between agent_start and agent_end, and events carrying "agent") and in stored history (messages with "agent").
'use strict';

const Agents = (() => {
  let catalog = null; // { agents: [{name, description, type, model, tools}], default }

  function node(tag, className, text) {
    const n = document.createElement(tag);
    if (className) n.className = className;
    if (text !== undefined) n.textContent = text;
    return n;
  }

  /** Loads the server's agents; the page works without them (older servers), offering no choice. */
  async function load() {
    try {
      catalog = await api('GET', '/agents');
    } catch (e) {
      catalog = null;
    }
    return catalog;
  }

  function defaultAgent() { return catalog ? catalog.default : null; }

  function find(name) { return catalog ? catalog.agents.find((a) => a.name === name) : null; }

  /** The header's agent label: the open session's agent, or on the empty page the one chosen for the next chat. */
  function showInHeader(name) {
    const badge = document.getElementById('session-agent');
    badge.hidden = !name;
    badge.textContent = name || '';
    const agent = find(name);
    badge.title = agent && agent.description ? `Agent ${name}: ${agent.description}` : 'Agent ' + (name || '');
  }

  /**
   * The agent choice of a new chat, inside the empty page's card: one option per agent with its description, the
   * {@code chosen} one checked. Nothing to choose with a single agent. {@code onChoose(name)} follows a change.
   */
  function renderPicker(card, chosen, onChoose) {
    if (!card || !catalog || catalog.agents.length < 2) return;
    const box = node('fieldset', 'agent-picker');
    box.id = 'agent-picker';
    box.appendChild(node('legend', null, 'Agent'));
    for (const agent of catalog.agents) {
      const option = node('label', 'agent-option');
      option.dataset.agent = agent.name;
      const radio = node('input');
      radio.type = 'radio';
      radio.name = 'agent';
      radio.value = agent.name;
      radio.checked = agent.name === chosen;
      radio.addEventListener('change', () => { if (radio.checked) onChoose(agent.name); });
      const text = node('span', 'agent-text');
      const title = node('span', 'agent-title');
      title.append(node('strong', 'agent-name', agent.name));
      if (agent.type !== 'agent') title.append(' ', node('span', 'agent-type', agent.type));
      if (agent.name === catalog.default) title.append(' ', node('span', 'agent-type', 'default'));
      text.append(title, node('span', 'agent-description', agent.description || ''));
      option.append(radio, text);
      box.appendChild(option);
    }
    const hint = card.querySelector('.hint');
    card.insertBefore(box, hint || null);
  }

  /** A new section for the sub-agent {@code name} at the end of {@code container}; done marks one from history. */
  function section(container, name, done) {
    const el = node('details', 'agent-section ' + (done ? 'ok' : 'running'));
    el.open = true; // its words may be the answer: shown, and folded away on a click
    el.dataset.agent = name;
    const summary = node('summary');
    summary.append(node('span', 'agent-label', 'agent'), ' ', node('strong', 'agent-name', name),
      node('span', 'agent-status', done ? '' : 'working…'));
    const body = node('div', 'agent-body');
    el.append(summary, body);
    container.appendChild(el);
    return { name, el, container: body, div: null, bubble: null, text: '' };
  }

  /** Marks a live section finished: its text final, its status the sub-agent's stop reason. */
  function finish(pane, stopReason) {
    if (pane.bubble) {
      pane.bubble.classList.remove('streaming');
      if (pane.text) Markdown.render(pane.bubble, pane.text, true);
      else pane.div.remove();
    }
    const ok = !stopReason || stopReason === 'end_turn';
    pane.el.classList.remove('running');
    pane.el.classList.add(ok ? 'ok' : 'failed');
    pane.el.querySelector('.agent-status').textContent = ok ? 'done' : stopReason.replace(/_/g, ' ');
  }

  return { load, defaultAgent, find, showInHeader, renderPicker, section, finish };
})();
