// miu studio: the empty page a new chat starts from. It says what miu is, which model answers and whether its
// provider is configured; without one it shows the variables to set and a line to copy, from GET /api/v1/info.
'use strict';

const Welcome = (() => {
  function node(tag, className, text) {
    const n = document.createElement(tag);
    if (className) n.className = className;
    if (text !== undefined) n.textContent = text;
    return n;
  }

  function copyButton(text, label) {
    const b = node('button', 'copy-line', 'Copy');
    b.type = 'button';
    b.dataset.copy = text;
    b.setAttribute('aria-label', label);
    return b;
  }

  /** What to set when no provider is configured: one row per variable, and a block of lines to copy. */
  function setup(info) {
    const box = node('div', 'setup');
    box.id = 'provider-setup';
    box.appendChild(node('h3', null, 'Set up a model provider'));
    // with a model chosen, the server's words name exactly what it lacks; else the list below says it better
    box.appendChild(node('p', null, info.model && info.detail ? info.detail
      : 'No model provider is configured, so chats cannot be answered yet. Any one of these will do:'));
    const list = node('ul', 'setup-vars');
    for (const s of info.settings || []) {
      const li = node('li');
      li.append(node('code', 'var-name', s.name), node('span', 'var-what', s.description));
      list.appendChild(li);
    }
    box.appendChild(list);
    const first = (info.settings || [])[0];
    if (first) {
      box.appendChild(node('p', null, 'Set one of them in the shell that starts miu, for example:'));
      const line = first.example;
      const row = node('div', 'copy-row');
      const pre = node('pre', 'setup-line');
      pre.appendChild(node('code', null, line));
      row.append(pre, copyButton(line, 'Copy the setup lines'));
      box.appendChild(row);
      box.appendChild(node('p', null, 'then start the server again (miu serve) and reload this page.'));
    }
    box.appendChild(node('p', 'muted', 'You can still send a message: the answer says what is missing.'));
    return box;
  }

  /** The empty conversation for {@code info} (null when the server could not say). */
  function render(container, info) {
    container.innerHTML = '';
    const card = node('div', 'welcome');
    card.id = 'welcome';
    card.appendChild(node('h2', null, 'miu'));
    card.appendChild(node('p', 'tagline', (info && info.description)
      || 'miu is an AI agent platform for the JVM: chat with a model that can call tools.'));
    if (info) {
      const facts = node('dl', 'facts');
      const model = node('dd');
      model.id = 'welcome-model';
      model.textContent = info.model || 'none configured';
      const status = node('dd', info.provider_configured ? 'status-ok' : 'status-missing',
        info.provider_configured ? 'configured' : 'not configured');
      status.id = 'provider-status';
      facts.append(node('dt', null, 'Model'), model, node('dt', null, 'Provider'), status);
      if (info.tools && info.tools.length) {
        facts.append(node('dt', null, 'Tools'), node('dd', null, info.tools.join(', ')));
      }
      facts.append(node('dt', null, 'Version'), node('dd', null, 'miu ' + info.version));
      card.appendChild(facts);
      if (!info.provider_configured) card.appendChild(setup(info));
    }
    card.appendChild(node('p', 'muted hint', info && info.provider_configured
      ? 'Type a message below to start a chat. Enter sends, Shift+Enter starts a new line.'
      : 'Enter sends, Shift+Enter starts a new line.'));
    container.appendChild(card);
  }

  return { render };
})();
