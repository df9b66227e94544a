// Small document-level behaviours. All use event delegation, so content
// swapped in by htmx works without re-initialisation.
//
//   <form data-autosubmit>          submit when a select (or checkbox/radio) changes
//   <form data-confirm="Sure?">     ask before submitting
//   <button data-confirm="Sure?">   ask before the button acts
//   <button data-copy="text" [data-copied="Copied"]>  copy text to the clipboard
//   <tr data-href="/x">             click anywhere on the row to follow it
//   <details class="lang">          closes on outside click and Escape

function submitForm(form) {
  if (typeof form.requestSubmit === 'function') form.requestSubmit();
  else form.submit();
}

function onChange(evt) {
  const t = evt.target;
  if (!t || !t.form || !t.form.hasAttribute('data-autosubmit')) return;
  if (t.tagName === 'SELECT' || t.type === 'checkbox' || t.type === 'radio') {
    submitForm(t.form);
  }
}

function onSubmit(evt) {
  const form = evt.target;
  const msg = form && form.getAttribute && form.getAttribute('data-confirm');
  const submitter = evt.submitter;
  // A submitter with its own data-confirm was already asked on click.
  if (msg && !(submitter && submitter.hasAttribute('data-confirm')) && !window.confirm(msg)) {
    evt.preventDefault();
    evt.stopImmediatePropagation();
  }
}

function fallbackCopy(text) {
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.className = 'visually-hidden';
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
  ta.remove();
  return ok ? Promise.resolve() : Promise.reject(new Error('copy failed'));
}

function copy(btn) {
  const text = btn.getAttribute('data-copy');
  const p = navigator.clipboard && window.isSecureContext
    ? navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); })
    : fallbackCopy(text);
  p.then(function () {
    const label = btn.getAttribute('data-copied');
    btn.classList.add('is-copied');
    let original = null;
    if (label) {
      original = btn.textContent;
      btn.textContent = label;
    }
    setTimeout(function () {
      btn.classList.remove('is-copied');
      if (original != null) btn.textContent = original;
    }, 2000);
  }, function () {
    btn.classList.add('is-copy-failed');
  });
}

function onClick(evt) {
  const t = evt.target;
  if (!(t instanceof Element)) return;

  const confirmEl = t.closest('button[data-confirm], input[type=submit][data-confirm], a[data-confirm]');
  if (confirmEl && !window.confirm(confirmEl.getAttribute('data-confirm'))) {
    evt.preventDefault();
    evt.stopImmediatePropagation();
    return;
  }

  const copyBtn = t.closest('[data-copy]');
  if (copyBtn) {
    evt.preventDefault();
    copy(copyBtn);
    return;
  }

  const row = t.closest('tr[data-href]');
  if (row && evt.button === 0 && !t.closest('a, button, input, select, textarea, label, summary')) {
    const sel = window.getSelection && window.getSelection();
    if (sel && String(sel).length) return; // the user is selecting text
    const href = row.getAttribute('data-href');
    if (evt.ctrlKey || evt.metaKey) window.open(href, '_blank', 'noopener');
    else window.location.assign(href);
    return;
  }

  for (const d of document.querySelectorAll('details.lang[open]')) {
    if (!d.contains(t)) d.open = false;
  }
}

function onKey(evt) {
  if (evt.key !== 'Escape') return;
  for (const d of document.querySelectorAll('details.lang[open]')) {
    d.open = false;
    const s = d.querySelector('summary');
    if (s && d.contains(document.activeElement)) s.focus();
  }
}

export function initBehaviours() {
  // Capture phase: runs before htmx's own listeners on the element, so a
  // declined confirm also stops hx-post and friends.
  document.addEventListener('click', onClick, true);
  document.addEventListener('submit', onSubmit, true);
  document.addEventListener('change', onChange);
  document.addEventListener('keydown', onKey);
}
