// miu studio: answers as sanitised Markdown (marked + DOMPurify), code blocks with their language and a Copy
// button, highlighted by highlight.js once the answer is complete.
'use strict';

const Markdown = (() => {
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }

  function toHtml(text) {
    if (!window.marked || !window.DOMPurify) return escapeHtml(text || '');
    return window.DOMPurify.sanitize(window.marked.parse(text || ''));
  }

  /** The language a fenced block names (```java), or '' for none. */
  function languageOf(code) {
    const match = /(?:^|\s)language-([\w+#.-]+)/.exec(code.className);
    return match ? match[1] : '';
  }

  /** Gives each code block a header with its language and a Copy button. */
  function decorate(container) {
    container.querySelectorAll('pre > code').forEach((code) => {
      const pre = code.parentElement;
      if (pre.parentElement.classList.contains('code-block')) return;
      const block = document.createElement('div');
      block.className = 'code-block';
      const head = document.createElement('div');
      head.className = 'code-head';
      const lang = document.createElement('span');
      lang.className = 'code-lang';
      lang.textContent = languageOf(code) || 'text';
      const copy = document.createElement('button');
      copy.type = 'button';
      copy.className = 'copy-code';
      copy.textContent = 'Copy';
      copy.setAttribute('aria-label', 'Copy code');
      head.append(lang, copy);
      pre.replaceWith(block);
      block.append(head, pre);
    });
  }

  /** Renders {@code text} into {@code element}; {@code final} also highlights the code (skipped while streaming). */
  function render(element, text, final) {
    element.innerHTML = toHtml(text);
    decorate(element);
    if (final && window.hljs) {
      element.querySelectorAll('pre code').forEach((block) => window.hljs.highlightElement(block));
    }
  }

  /**
   * Copies text to the clipboard. navigator.clipboard exists only in secure contexts (https, localhost), so a page
   * served over plain http to another machine falls back to a selected textarea and execCommand.
   */
  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (e) { /* denied: try the old way */ }
    }
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.appendChild(area);
    area.select();
    let done = false;
    try { done = document.execCommand('copy'); } catch (e) { done = false; }
    area.remove();
    return done;
  }

  /** Copy buttons anywhere under {@code root}: a code block's, or one naming what to copy in data-copy. */
  function wireCopyButtons(root) {
    root.addEventListener('click', async (event) => {
      const button = event.target.closest('.copy-code, [data-copy]');
      if (!button) return;
      const text = button.dataset.copy !== undefined ? button.dataset.copy
        : button.closest('.code-block').querySelector('pre code').textContent;
      const label = button.dataset.label || (button.dataset.label = button.textContent);
      button.textContent = (await copyText(text)) ? 'Copied' : 'Copy failed';
      setTimeout(() => { button.textContent = label; }, 1500);
    });
  }

  return { render, escapeHtml, wireCopyButtons, copyText };
})();
