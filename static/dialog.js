// miu studio: the page's own dialogs (rename, delete, API key) on one <dialog> element, instead of the
// browser's prompt()/confirm(), which look foreign, block the page and cannot be styled or tested as page content.
'use strict';

const Dialogs = (() => {
  let queue = Promise.resolve();

  function el(id) { return document.getElementById(id); }

  /**
   * Shows the dialog and resolves with { ok, value } once it closes. One dialog at a time: a second call waits
   * for the first to close.
   * options: title, message, okLabel, danger (a red OK button), input: { label, value, type, placeholder }
   */
  function open(options) {
    const shown = queue.then(() => show(options));
    queue = shown.catch(() => {});
    return shown;
  }

  function show({ title, message, okLabel = 'OK', danger = false, input = null }) {
    const dialog = el('dialog');
    const field = el('dialog-input');
    el('dialog-title').textContent = title;
    el('dialog-message').textContent = message || '';
    el('dialog-message').hidden = !message;
    el('dialog-label').hidden = !input;
    field.hidden = !input;
    field.required = !!input;
    if (input) {
      el('dialog-label').textContent = input.label;
      field.type = input.type || 'text';
      field.value = input.value || '';
      field.placeholder = input.placeholder || '';
    }
    const ok = el('dialog-ok');
    ok.textContent = okLabel;
    ok.classList.toggle('danger', danger);
    dialog.returnValue = '';
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => {
        const confirmed = dialog.returnValue === 'ok';
        resolve({ ok: confirmed, value: confirmed && input ? field.value.trim() : null });
        field.value = ''; // a key typed here is not left in the page
      }, { once: true });
      dialog.showModal();
      if (input) { field.focus(); field.select(); } else { ok.focus(); }
    });
  }

  /** A line of text (e.g. a new name); resolves with it, or null when cancelled or left empty. */
  async function askText(title, label, value, okLabel) {
    const result = await open({ title, input: { label, value }, okLabel });
    return result.ok && result.value ? result.value : null;
  }

  /** Yes or no; resolves true when confirmed. */
  async function confirm(title, message, okLabel, danger) {
    return (await open({ title, message, okLabel, danger })).ok;
  }

  function init() {
    const dialog = el('dialog');
    // OK (value "ok") is the form's only submit button, so Enter in the field means OK; method="dialog" closes it.
    // Cancel and Escape close it with another return value.
    el('dialog-cancel').addEventListener('click', () => dialog.close('cancel'));
  }

  document.addEventListener('DOMContentLoaded', init);
  return { open, askText, confirm };
})();
