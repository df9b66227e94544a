// Entry point of the respondent page (built to dist/respondent.js). See
// README.md in this folder for what the server page must contain.

import { Form } from './engine.js';
import { Renderer } from './render.js';
import { Outbox } from './outbox.js';
import { messages, languageCode, fill } from './messages.js';

function readJSON(id) {
  const s = document.getElementById(id);
  if (!s) return null;
  try {
    return JSON.parse(s.textContent);
  } catch {
    return null;
  }
}

// newInstanceID makes the submission's ID, once per filled form.
export function newInstanceID() {
  if (globalThis.crypto && crypto.randomUUID) return 'uuid:' + crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

class Progress {
  constructor(token) {
    this.key = 'observatory.respondent.' + token;
  }
  load() {
    try {
      return JSON.parse(localStorage.getItem(this.key) || 'null');
    } catch {
      return null;
    }
  }
  save(p) {
    try {
      localStorage.setItem(this.key, JSON.stringify({ ...p, saved_at: new Date().toISOString() }));
      return true;
    } catch {
      return false;
    }
  }
}

function pickLanguage(def, saved, wanted) {
  const langs = def.languages || [];
  if (saved && langs.includes(saved)) return saved;
  if (wanted) {
    const exact = langs.find((l) => l === wanted || languageCode(l) === wanted.toLowerCase());
    if (exact) return exact;
    const prefix = langs.find((l) => languageCode(l).slice(0, 2) === wanted.slice(0, 2).toLowerCase());
    if (prefix) return prefix;
  }
  return def.default_language || langs[0] || '';
}

function registerServiceWorker(root) {
  const url = root.dataset.swUrl;
  if (!url || !('serviceWorker' in navigator)) return;
  const scope = root.dataset.swScope || undefined;
  const assets = [location.href.split('#')[0]];
  for (const s of document.querySelectorAll('script[src], link[rel="stylesheet"][href]')) assets.push(s.src || s.href);
  navigator.serviceWorker.register(url, scope ? { scope } : undefined).then((reg) => {
    const post = (w) => w && w.postMessage({ type: 'cache', urls: assets });
    post(reg.active || reg.waiting || reg.installing);
    navigator.serviceWorker.ready.then((r) => post(r.active));
  }).catch(() => {});
}

export function start() {
  const root = document.getElementById('respondent');
  const def = readJSON('form-definition');
  if (!root || !def) return;
  const token = root.dataset.tokenKey || location.pathname;
  const submitURL = root.dataset.submitUrl;
  const versionID = root.dataset.versionId ? (/^\d+$/.test(root.dataset.versionId) ? Number(root.dataset.versionId) : root.dataset.versionId) : null;
  const overrides = readJSON('respondent-messages') || {};
  const words = (lang) => messages(languageCode(lang) || root.dataset.lang, overrides);
  const store = new Progress(token);
  let saved = store.load();
  if (saved && saved.form_version && def.version && saved.form_version !== def.version && saved.status !== 'sent') saved = { ...saved, data: null };
  const form = new Form(def);
  let progress = saved || { instance_id: newInstanceID(), status: 'draft' };
  if (saved && saved.data) {
    form.restore(saved.data);
  } else {
    const prefill = readJSON('form-prefill') || {};
    for (const [name, value] of Object.entries(prefill)) {
      const meta = form.fields.get(name);
      if (meta && meta.chain.length === 0 && !meta.calculation && meta.type !== 'group' && meta.type !== 'repeat') {
        form.setValue(name, [], value);
      }
    }
  }
  const lang = pickLanguage(def, progress.lang, root.dataset.lang);
  document.documentElement.classList.add('js');

  const save = () => {
    progress = { ...progress, lang: view.lang, data: form.snapshot(), form_version: def.version };
    store.save(progress);
  };

  const thanks = (text) => {
    root.replaceChildren();
    const h = document.createElement('h1');
    h.textContent = def.title || def.form_id;
    const p = document.createElement('p');
    p.className = 'r-done';
    p.setAttribute('role', 'status');
    p.textContent = text;
    root.append(h, p);
  };

  const view = new Renderer(form, root, {
    lang,
    messages: words,
    onChange: () => {
      if (progress.status === 'failed') progress.status = 'draft';
      save();
    },
    onSubmit: async () => {
      const answers = form.answers();
      const body = JSON.stringify({ instance_id: progress.instance_id, answers, version_id: versionID });
      const files = [...view.files.entries()]
        .filter(([, f]) => JSON.stringify(answers).includes(JSON.stringify(f.name)))
        .map(([, f]) => f);
      progress = { ...progress, status: 'queued' };
      save();
      view.status(navigator.onLine === false ? words(view.lang).queued : words(view.lang).sending, true);
      await outbox.add({ instance_id: progress.instance_id, url: submitURL, body, files });
    },
  });

  const outbox = new Outbox({
    onChange: (item) => {
      if (item.instance_id !== progress.instance_id) return;
      const m = words(view.lang);
      if (item.status === 'sent') {
        progress = { instance_id: progress.instance_id, status: 'sent', lang: view.lang, form_version: def.version };
        store.save(progress);
        thanks(m.sent);
      } else if (item.status === 'failed') {
        progress = { ...progress, status: 'failed' };
        save();
        view.status(fill(m.failed, { detail: item.error || '' }), true);
      } else if (item.status === 'queued' && item.attempts > 0) {
        view.status(`${m.queued} ${m.retry_note}`);
      }
    },
  });

  if (progress.status === 'sent') {
    thanks(words(lang).sent);
  } else {
    view.draw();
    if (progress.status === 'queued') view.status(words(lang).queued);
    else if (progress.status === 'failed') view.status(fill(words(lang).failed, { detail: '' }));
    else if (saved && saved.data) view.status(words(lang).saved);
    save();
  }
  window.addEventListener('offline', () => {
    if (progress.status !== 'sent') view.status(words(view.lang).offline);
  });
  window.addEventListener('online', () => {
    if (progress.status === 'draft') view.status('');
  });
  outbox.flush();
  registerServiceWorker(root);
  // For tests and for the page's own scripts.
  window.observatoryRespondent = { form, view, outbox, progress: () => progress };
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
