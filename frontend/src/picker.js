// Finders for ID fields. An input such as
//
//   <input id="f-lead_org_id" data-pick="/organisations/pick"
//          data-pick-label="Find by name" [data-pick-append]>
//
// gets a search box beside it. Typing (at least two characters, after a
// pause) asks the server for the matching records as an HTML fragment, a
// role=listbox of role=option elements with data-pick-id and data-pick-name;
// choosing one writes its ID into the input (or adds it to the
// comma-separated list with data-pick-append) and shows the name beside it,
// in the element with the ID "<input id>-name" when the page has one.
//
// Without this script the input is a plain ID field; nothing here is needed
// to fill it. The search box follows the combobox pattern: focus stays in
// it, arrow keys move through the options, Enter chooses, Escape closes.

import { h } from './dom.js';

const DELAY = 250;
const MIN_CHARS = 2;

function setup(input) {
  const url = input.getAttribute('data-pick');
  if (!url || !input.id || input.hasAttribute('data-pick-ready')) return;
  input.setAttribute('data-pick-ready', '');
  const field = input.id;
  const append = input.hasAttribute('data-pick-append');

  let chosen = document.getElementById(field + '-name');
  if (!chosen) {
    chosen = h('span', 'pick-chosen');
    chosen.id = field + '-name';
    chosen.hidden = true;
    input.insertAdjacentElement('afterend', chosen);
  }
  chosen.setAttribute('aria-live', 'polite');

  const box = h('div', 'pick');
  const search = h('input', 'pick-search');
  search.type = 'text';
  search.id = field + '-find';
  search.autocomplete = 'off';
  search.spellcheck = false;
  search.setAttribute('role', 'combobox');
  search.setAttribute('aria-autocomplete', 'list');
  search.setAttribute('aria-expanded', 'false');
  search.setAttribute('aria-controls', field + '-results');
  const label = h('label', 'pick-label', input.getAttribute('data-pick-label') || 'Find by name');
  label.htmlFor = search.id;
  const results = h('div', 'pick-results');
  results.id = field + '-results';
  results.hidden = true;
  const status = h('span', 'visually-hidden');
  status.setAttribute('role', 'status');
  box.append(label, search, results, status);
  chosen.insertAdjacentElement('afterend', box);

  let timer = 0;
  let seq = 0;
  let active = -1;
  let writing = false;

  function options() {
    return Array.from(results.querySelectorAll('[role="option"]'));
  }

  function open(on) {
    results.hidden = !on;
    search.setAttribute('aria-expanded', on && options().length ? 'true' : 'false');
    if (!on) highlight(-1);
  }

  function highlight(i) {
    const opts = options();
    active = opts.length ? i : -1;
    opts.forEach(function (o, j) {
      const on = j === active;
      o.setAttribute('aria-selected', on ? 'true' : 'false');
      o.classList.toggle('is-active', on);
      if (on && o.scrollIntoView) o.scrollIntoView({ block: 'nearest' });
    });
    if (active >= 0) search.setAttribute('aria-activedescendant', opts[active].id);
    else search.removeAttribute('aria-activedescendant');
  }

  function lookUp() {
    const q = search.value.trim();
    const mine = ++seq;
    // An ID is searched however short: #7 is one character.
    if (q.length < MIN_CHARS && !/^[0-9]+$/.test(q)) {
      results.textContent = '';
      status.textContent = '';
      open(false);
      return;
    }
    const sep = url.indexOf('?') < 0 ? '?' : '&';
    fetch(url + sep + 'q=' + encodeURIComponent(q) + '&for=' + encodeURIComponent(field), {
      credentials: 'same-origin',
      headers: { Accept: 'text/html' },
    }).then(function (resp) {
      return resp.text();
    }).then(function (html) {
      if (mine !== seq) return; // a later search has been sent
      // The fragment is the server's own escaped template output.
      results.innerHTML = html;
      const list = results.querySelector('[role="listbox"]');
      search.setAttribute('aria-controls', list ? list.id : results.id);
      const note = results.querySelector('.pick-status');
      status.textContent = note ? note.textContent : '';
      open(true);
      highlight(-1);
    }).catch(function () {
      if (mine === seq) open(false);
    });
  }

  function choose(opt) {
    const id = opt.getAttribute('data-pick-id');
    const name = opt.getAttribute('data-pick-name');
    if (append) {
      const ids = input.value.split(/[\s,;]+/).filter(Boolean);
      if (ids.indexOf(id) < 0) ids.push(id);
      input.value = ids.join(', ');
    } else {
      input.value = id;
    }
    // Let the form's own listeners (autosave) see the change.
    writing = true;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
    writing = false;
    chosen.textContent = name + ' (#' + id + ')';
    chosen.hidden = false;
    search.value = '';
    results.textContent = '';
    open(false);
  }

  // The search box is not part of the form: its typing must not trigger
  // the form's autosave or data-autosubmit.
  search.addEventListener('input', function (evt) {
    evt.stopPropagation();
    clearTimeout(timer);
    timer = setTimeout(lookUp, DELAY);
  });
  search.addEventListener('change', function (evt) { evt.stopPropagation(); });

  search.addEventListener('keydown', function (evt) {
    const opts = options();
    const shown = !results.hidden && opts.length > 0;
    switch (evt.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (!opts.length) return;
        evt.preventDefault();
        if (results.hidden) open(true);
        if (evt.key === 'ArrowDown') highlight(active + 1 >= opts.length ? 0 : active + 1);
        else highlight(active <= 0 ? opts.length - 1 : active - 1);
        break;
      case 'Enter':
        // Enter here never submits the form.
        evt.preventDefault();
        if (shown && active >= 0) choose(opts[active]);
        else if (shown && opts.length === 1) choose(opts[0]);
        break;
      case 'Escape':
        if (!results.hidden) {
          evt.preventDefault();
          evt.stopPropagation();
          open(false);
        } else if (search.value) {
          evt.preventDefault();
          search.value = '';
        }
        break;
    }
  });

  // Some input paths send Enter's keypress on its own: it must not submit
  // the form either.
  search.addEventListener('keypress', function (evt) {
    if (evt.key === 'Enter') evt.preventDefault();
  });

  // Pointer: keep the focus in the search box, choose on click.
  results.addEventListener('mousedown', function (evt) { evt.preventDefault(); });
  results.addEventListener('click', function (evt) {
    const opt = evt.target instanceof Element && evt.target.closest('[role="option"]');
    if (opt) choose(opt);
  });

  box.addEventListener('focusout', function (evt) {
    if (!evt.relatedTarget || !box.contains(evt.relatedTarget)) open(false);
  });

  // An ID typed by hand no longer matches the name shown.
  input.addEventListener('input', function () {
    if (!writing) {
      chosen.textContent = '';
      chosen.hidden = true;
    }
  });
}

export function initPickers(root) {
  const scope = root && root.querySelectorAll ? root : document;
  scope.querySelectorAll('input[data-pick]').forEach(setup);
}

function start() {
  initPickers(document);
  document.body.addEventListener('htmx:afterSwap', function (evt) {
    const target = evt.detail && evt.detail.target;
    initPickers(target && target.isConnected ? target : document);
  });
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', start);
} else {
  start();
}
