// The outbox: submissions wait in IndexedDB until the server has them.
// Each carries the instance ID made once per filled form, so sending it
// twice never makes two submissions: the server answers 200 for one it
// already has.
//
// Outcomes of a send: 200/201 → done; 409, 410, 422 and other 4xx → final
// error shown to the person; 5xx, 408, 429 or no connection → retried with
// backoff, on the "online" event and on the next page load.

const DB = 'observatory-respondent';
const STORE = 'outbox';

function openDB() {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('no IndexedDB'));
      return;
    }
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'instance_id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function tx(db, mode, fn) {
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const store = t.objectStore(STORE);
    let out;
    Promise.resolve(fn(store)).then((v) => {
      out = v;
    });
    t.oncomplete = () => resolve(out);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
}

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

// A store over localStorage for browsers without IndexedDB (no files).
class LocalStore {
  constructor() {
    this.key = 'observatory.respondent.outbox';
  }
  all() {
    try {
      return JSON.parse(localStorage.getItem(this.key) || '[]');
    } catch {
      return [];
    }
  }
  async list() {
    return this.all();
  }
  async put(item) {
    const items = this.all().filter((x) => x.instance_id !== item.instance_id);
    items.push({ ...item, files: [] });
    localStorage.setItem(this.key, JSON.stringify(items));
  }
  async delete(id) {
    localStorage.setItem(this.key, JSON.stringify(this.all().filter((x) => x.instance_id !== id)));
  }
}

class IDBStore {
  constructor(db) {
    this.db = db;
  }
  list() {
    return tx(this.db, 'readonly', (s) => request(s.getAll()));
  }
  put(item) {
    return tx(this.db, 'readwrite', (s) => request(s.put(item)));
  }
  delete(id) {
    return tx(this.db, 'readwrite', (s) => request(s.delete(id)));
  }
}

const FINAL = new Set([400, 401, 403, 404, 409, 410, 413, 415, 422]);

// backoff gives the wait before attempt n (1-based): 2 s doubling to 5 min,
// with some jitter so many phones do not retry together.
export function backoff(n) {
  const base = Math.min(300000, 2000 * Math.pow(2, Math.max(0, n - 1)));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export class Outbox {
  // onChange(item) is told of every change of an item's status:
  // queued, sending, sent, failed (final, with item.error).
  constructor({ fetch: f, onChange } = {}) {
    this.fetch = f || ((...a) => fetch(...a));
    this.onChange = onChange || (() => {});
    this.timer = null;
    this.flushing = null;
    this.ready = openDB().then((db) => new IDBStore(db), () => new LocalStore());
    if (typeof window !== 'undefined') window.addEventListener('online', () => this.flush());
  }

  // add queues a submission and tries to send it at once.
  async add(item) {
    const store = await this.ready;
    const rec = { ...item, status: 'queued', attempts: 0, queued_at: new Date().toISOString() };
    await store.put(rec);
    this.onChange(rec);
    return this.flush();
  }

  async items() {
    const store = await this.ready;
    return store.list();
  }

  // flush sends every waiting submission once; failures that may pass
  // later are retried after a backoff.
  flush() {
    if (this.flushing) {
      // An item added during a run is sent by a second run right after.
      this.again = true;
      return this.flushing;
    }
    this.flushing = this.run().finally(() => {
      this.flushing = null;
      if (this.again) {
        this.again = false;
        this.flush();
      }
    });
    return this.flushing;
  }

  async run() {
    const store = await this.ready;
    const items = (await store.list()).filter((x) => x.status !== 'failed');
    let wait = null;
    for (const item of items) {
      const result = await this.send(item);
      if (result === 'sent') {
        await store.delete(item.instance_id);
        this.onChange({ ...item, status: 'sent' });
      } else if (result.final) {
        const failed = { ...item, status: 'failed', error: result.error };
        await store.put(failed);
        this.onChange(failed);
      } else {
        const again = { ...item, status: 'queued', attempts: item.attempts + 1, error: result.error };
        await store.put(again);
        this.onChange(again);
        const d = backoff(again.attempts);
        wait = wait === null ? d : Math.min(wait, d);
      }
    }
    clearTimeout(this.timer);
    if (wait !== null) this.timer = setTimeout(() => this.flush(), wait);
  }

  async send(item) {
    this.onChange({ ...item, status: 'sending' });
    let body;
    const headers = { 'Idempotency-Key': item.instance_id, Accept: 'application/json' };
    if (item.files && item.files.length) {
      body = new FormData();
      body.append('submission', new Blob([item.body], { type: 'application/json' }), 'submission.json');
      for (const f of item.files) body.append(f.name, f.blob, f.name);
    } else {
      body = item.body;
      headers['Content-Type'] = 'application/json';
    }
    let res;
    try {
      res = await this.fetch(item.url, { method: 'POST', body, headers, credentials: 'same-origin' });
    } catch (e) {
      return { final: false, error: 'network' };
    }
    if (res.status === 200 || res.status === 201) return 'sent';
    let detail = '';
    try {
      const p = await res.json();
      detail = p.detail || p.title || '';
    } catch {
      detail = res.statusText || '';
    }
    if (FINAL.has(res.status) || (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)) {
      return { final: true, error: detail || `HTTP ${res.status}` };
    }
    return { final: false, error: detail || `HTTP ${res.status}` };
  }
}
