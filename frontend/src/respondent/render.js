// The respondent form in plain DOM: one page, groups as fieldsets, repeats
// with add and remove buttons, every input tied to its label, hint and
// error (announced through aria-live), a language switcher. The engine
// holds the answers; the page is redrawn whole when its shape changes (an
// occurrence added or removed, the language switched) and only updated
// (visibility, errors, options, computed texts) when an answer changes.

import { validNumber, validGeopoint } from './engine.js';
import { fill } from './messages.js';
import { localDateTime } from './xpath.js';

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids) if (k) e.append(k);
  return e;
}

// add appends the children that exist.
function add(parent, ...kids) {
  for (const k of kids) if (k) parent.append(k);
}

const idOf = (key) => 'q-' + key.replace(/[^A-Za-z0-9_-]/g, '_');

export class Renderer {
  // form: the engine; root: the element to draw into; opts: { lang,
  // messages (function lang → words), onChange(), onSubmit(), files }.
  constructor(form, root, opts) {
    this.form = form;
    this.root = root;
    this.opts = opts;
    this.lang = opts.lang;
    this.touched = new Set();
    this.showAll = false;
    this.files = opts.files || new Map();
    this.controls = new Map(); // node key → { node, wrap, input, error, ... }
  }

  get m() {
    return this.opts.messages(this.lang);
  }

  text(t) {
    return this.form.text(t, this.lang);
  }

  // label fills ${name} references of a label with the answers they name,
  // seen from the node's scope.
  label(t, meta, scope) {
    const s = this.text(t);
    if (!s.includes('${')) return s;
    return s.replace(/\$\{([^}]+)\}/g, (all, name) => {
      if (!this.form.fields.has(name)) return all;
      const ns = this.form.resolve(name, meta, scope);
      return ns.nodes.length ? ns.nodes[0].v : '';
    });
  }

  // draw builds the whole page.
  draw() {
    const focusKey = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : null;
    this.form.lang = this.lang;
    this.controls.clear();
    const def = this.form.def;
    const frag = document.createDocumentFragment();
    const head = el('div', { class: 'r-head' });
    head.append(el('h1', { text: def.title || def.form_id }));
    if ((def.languages || []).length > 1) {
      const sel = el('select', { id: 'r-lang', onchange: (e) => this.setLanguage(e.target.value) });
      for (const l of def.languages) sel.append(el('option', { value: l, text: l, selected: l === this.lang }));
      head.append(el('p', { class: 'r-lang' }, el('label', { for: 'r-lang', text: this.m.language }), sel));
    }
    frag.append(head);
    frag.append(el('p', { class: 'r-status', id: 'r-status', role: 'status', 'aria-live': 'polite' }));
    const body = el('form', { class: 'r-form', novalidate: true, onsubmit: (e) => this.submit(e) });
    this.drawList(this.form.top, [], body);
    body.append(el('p', { class: 'r-summary', id: 'r-summary', role: 'alert', 'aria-live': 'assertive' }));
    body.append(el('p', { class: 'r-actions' }, el('button', { type: 'submit', class: 'primary', id: 'r-submit', text: this.m.submit })));
    frag.append(body);
    this.root.replaceChildren(frag);
    this.refresh();
    if (focusKey) {
      const f = this.root.querySelector(`[data-key="${CSS.escape(focusKey)}"]`);
      if (f) f.focus();
    }
  }

  setLanguage(lang) {
    this.lang = lang;
    this.draw();
    this.opts.onChange();
  }

  drawList(list, scope, parent) {
    for (const meta of list) {
      if (meta.type === 'calculate') continue;
      if (meta.type === 'group') this.drawGroup(meta, scope, parent);
      else if (meta.type === 'repeat') this.drawRepeat(meta, scope, parent);
      else this.drawField(meta, scope, parent);
    }
  }

  drawGroup(meta, scope, parent) {
    const key = this.form.key(meta.name, scope);
    const fs = el('fieldset', { class: 'r-group' });
    if (meta.def.label) fs.append(el('legend', { text: this.label(meta.def.label, meta, scope) }));
    if (meta.def.hint) fs.append(el('p', { class: 'hint', text: this.text(meta.def.hint) }));
    this.drawList(meta.children, scope, fs);
    this.controls.set(key, { meta, scope, wrap: fs, container: true });
    parent.append(fs);
  }

  drawRepeat(meta, outer, parent) {
    const fs = el('fieldset', { class: 'r-repeat' });
    const title = this.label(meta.def.label, meta, outer) || meta.name;
    fs.append(el('legend', { text: title }));
    if (meta.def.hint) fs.append(el('p', { class: 'hint', text: this.text(meta.def.hint) }));
    const list = this.form.occurrences(meta.name, outer) || [];
    list.forEach((_, i) => {
      const scope = [...outer, i];
      const key = this.form.key(meta.name, scope);
      const occ = el('fieldset', { class: 'r-occurrence' });
      const entry = fill(this.m.entry, { n: i + 1 });
      occ.append(el('legend', { text: entry }));
      this.drawList(meta.children, scope, occ);
      occ.append(el('button', {
        type: 'button', class: 'r-remove', 'data-key': key + '-remove', text: this.m.remove,
        'aria-label': `${this.m.remove}: ${title}, ${entry}`,
        onclick: () => {
          this.form.removeOccurrence(meta.name, outer, i);
          this.draw();
          this.opts.onChange();
          const next = this.root.querySelector(`[data-key="${CSS.escape(this.form.key(meta.name, outer) + '-add')}"]`);
          if (next) next.focus();
        },
      }));
      this.controls.set(key, { meta, scope, wrap: occ, container: true });
      fs.append(occ);
    });
    fs.append(el('button', {
      type: 'button', class: 'r-add', 'data-key': this.form.key(meta.name, outer) + '-add', text: `${this.m.add}: ${title}`,
      onclick: () => {
        const i = this.form.addOccurrence(meta.name, outer);
        this.draw();
        this.opts.onChange();
        const first = this.root.querySelector(`[data-key^="${CSS.escape(this.form.key(meta.children[0] ? meta.children[0].name : meta.name, [...outer, i]))}"]`);
        if (first) first.focus();
      },
    }));
    parent.append(fs);
  }

  drawField(meta, scope, parent) {
    const key = this.form.key(meta.name, scope);
    const id = idOf(key);
    const f = meta.def;
    const value = this.form.raw(meta.name, scope);
    const wrap = el('div', { class: 'r-field r-' + meta.type });
    const hintId = f.hint ? id + '-hint' : null;
    const errId = id + '-error';
    const described = [hintId, errId].filter(Boolean).join(' ');
    const labelText = this.label(f.label, meta, scope) || meta.name;
    const c = { meta, scope, wrap, key };
    const labelEl = (forId) => el('label', { for: forId, class: 'r-label' }, document.createTextNode(labelText),
      f.required ? el('span', { class: 'r-req', 'aria-hidden': 'true', text: ' *' }) : null);
    const hint = hintId ? el('p', { class: 'hint', id: hintId, text: this.text(f.hint) }) : null;
    c.error = el('p', { class: 'r-error', id: errId, 'aria-live': 'polite' });
    const common = { id, 'data-key': key, 'aria-describedby': described, required: f.required || null };

    switch (meta.type) {
      case 'note': {
        c.label = el('p', { class: 'r-note', id, text: labelText });
        add(wrap, c.label);
        if (hint) add(wrap, hint);
        break;
      }
      case 'select_one':
      case 'select_multiple': {
        const multi = meta.type === 'select_multiple';
        if (!multi && f.appearance && f.appearance.includes('minimal')) {
          c.input = el('select', { ...common, onchange: (e) => this.answer(c, e.target.value) });
          c.kind = 'dropdown';
          add(wrap, labelEl(id), hint, c.input);
        } else {
          const fs = el('fieldset', { class: 'r-choices', id, 'aria-describedby': described, 'data-key': key });
          fs.append(el('legend', { class: 'r-label' }, document.createTextNode(labelText),
            f.required ? el('span', { class: 'r-req', 'aria-hidden': 'true', text: ' *' }) : null));
          if (hint) fs.append(hint);
          c.box = el('div', { class: 'r-options' });
          fs.append(c.box);
          c.kind = multi ? 'checkbox' : 'radio';
          add(wrap, fs);
        }
        break;
      }
      case 'acknowledge': {
        c.input = el('input', { ...common, type: 'checkbox', checked: value === 'OK',
          onchange: (e) => this.answer(c, e.target.checked ? 'OK' : '') });
        add(wrap, el('p', { class: 'r-label', text: labelText }), hint,
          el('p', { class: 'r-check' }, c.input, el('label', { for: id, text: this.m.acknowledge })));
        break;
      }
      case 'image':
      case 'file': {
        c.input = el('input', { ...common, type: 'file', accept: meta.type === 'image' ? 'image/*' : null,
          onchange: (e) => {
            const file = e.target.files && e.target.files[0];
            if (file) {
              const name = `${key.replace(/[^A-Za-z0-9_-]/g, '-')}-${file.name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
              this.files.set(key, { name, blob: file });
              this.answer(c, name);
            } else {
              this.files.delete(key);
              this.answer(c, '');
            }
          } });
        c.current = el('p', { class: 'hint', text: value && !this.files.has(key) ? this.m.file_lost : '' });
        add(wrap, labelEl(id), hint, c.input, c.current);
        break;
      }
      case 'geopoint': {
        c.input = el('input', { ...common, type: 'text', inputmode: 'decimal', autocomplete: 'off', value,
          placeholder: '18.01 -76.80', oninput: (e) => this.typed(c, e.target.value), onblur: () => this.touch(c) });
        const locate = el('button', { type: 'button', class: 'r-locate', text: this.m.geopoint_locate, onclick: () => this.locate(c) });
        add(wrap, labelEl(id), hint, el('p', { class: 'hint', text: this.m.geopoint }), c.input,
          navigator.geolocation ? locate : null);
        break;
      }
      default: {
        const attrs = { ...common, value, onblur: () => this.touch(c), oninput: (e) => this.typed(c, e.target.value) };
        if (meta.type === 'text' && f.appearance && f.appearance.includes('multiline')) {
          c.input = el('textarea', { ...attrs, rows: 4, value: null });
          c.input.value = value;
        } else if (meta.type === 'integer') {
          c.input = el('input', { ...attrs, type: 'text', inputmode: 'numeric', autocomplete: 'off' });
        } else if (meta.type === 'decimal') {
          c.input = el('input', { ...attrs, type: 'text', inputmode: 'decimal', autocomplete: 'off' });
        } else if (meta.type === 'date') {
          c.input = el('input', { ...attrs, type: 'date', oninput: null, onchange: (e) => this.typed(c, e.target.value) });
        } else if (meta.type === 'datetime') {
          c.input = el('input', { ...attrs, type: 'datetime-local', value: value ? value.slice(0, 16) : '', oninput: null,
            onchange: (e) => this.typed(c, e.target.value ? localDateTime(new Date(e.target.value)) : '') });
        } else {
          c.input = el('input', { ...attrs, type: 'text' });
        }
        add(wrap, labelEl(id), hint, c.input);
      }
    }
    add(wrap, c.error);
    this.controls.set(key, c);
    parent.append(wrap);
  }

  // typed checks what was typed against the type before storing it.
  typed(c, raw) {
    const t = c.meta.type;
    c.typeError = '';
    if ((t === 'integer' || t === 'decimal') && !validNumber(t, raw)) {
      c.typeError = t === 'integer' ? this.m.number_whole : this.m.number_decimal;
    } else if (t === 'geopoint' && !validGeopoint(raw)) {
      c.typeError = this.m.geopoint;
    }
    if (c.typeError) {
      this.touched.add(c.key);
      this.refresh();
      return;
    }
    this.answer(c, raw, false);
  }

  touch(c) {
    this.touched.add(c.key);
    this.refresh();
  }

  answer(c, value, touch = true) {
    this.form.setValue(c.meta.name, c.scope, value);
    if (touch) this.touched.add(c.key);
    this.refresh();
    this.opts.onChange();
  }

  locate(c) {
    c.error.textContent = this.m.geopoint_locating;
    navigator.geolocation.getCurrentPosition(
      (p) => {
        const v = `${p.coords.latitude.toFixed(6)} ${p.coords.longitude.toFixed(6)} ${(p.coords.altitude || 0).toFixed(1)} ${p.coords.accuracy.toFixed(1)}`;
        c.input.value = v;
        c.error.textContent = '';
        this.answer(c, v);
      },
      () => {
        c.error.textContent = this.m.geopoint_failed;
      },
      { enableHighAccuracy: true, timeout: 20000 },
    );
  }

  // options redraws the choices of a select when they changed.
  options(c) {
    const opts = this.form.options(c.meta.name, c.scope);
    const sig = opts.map((o) => o.name).join(' ') + '|' + this.lang;
    const value = this.form.effective(c.meta.name, c.scope);
    const chosen = new Set(value.split(' ').filter(Boolean));
    if (c.sig !== sig) {
      c.sig = sig;
      if (c.kind === 'dropdown') {
        c.input.replaceChildren(el('option', { value: '', text: this.m.select_placeholder }),
          ...opts.map((o) => el('option', { value: o.name, text: this.text(o.label) })));
      } else {
        c.box.replaceChildren(...opts.map((o, i) => {
          const oid = `${c.wrap.querySelector('fieldset').id}-${i}`;
          const input = el('input', {
            type: c.kind, id: oid, name: c.wrap.querySelector('fieldset').id, value: o.name, 'data-key': `${c.key}-${o.name}`,
            onchange: () => {
              const picked = [...c.box.querySelectorAll('input:checked')].map((x) => x.value);
              this.answer(c, c.kind === 'radio' ? picked[0] || '' : picked.join(' '));
            },
          });
          return el('p', { class: 'r-option' }, input, el('label', { for: oid, text: this.text(o.label) }));
        }));
      }
    }
    if (c.kind === 'dropdown') c.input.value = chosen.size ? [...chosen][0] : '';
    else for (const i of c.box.querySelectorAll('input')) i.checked = chosen.has(i.value);
  }

  // refresh updates visibility, computed texts, options and errors.
  refresh() {
    let errors = 0;
    for (const c of this.controls.values()) {
      const relevant = this.form.isRelevant(c.meta.name, c.scope);
      c.wrap.hidden = !relevant;
      if (c.container || !relevant) continue;
      const f = c.meta.def;
      if (c.meta.type === 'note') {
        c.label.textContent = this.label(f.label, c.meta, c.scope);
        continue;
      }
      if (c.box || c.kind === 'dropdown') this.options(c);
      const s = this.form.state(c.meta.name, c.scope);
      let msg = c.typeError || '';
      if (!msg && !s.requiredOk) msg = this.m.required;
      if (!msg && !s.constraintOk) msg = this.text(f.constraint_message) || this.m.constraint;
      if (msg) errors++;
      const show = msg && (this.showAll || this.touched.has(c.key));
      if (c.error.textContent !== (show ? msg : '')) c.error.textContent = show ? msg : '';
      const target = c.input || c.wrap.querySelector('fieldset');
      if (target) {
        if (show) target.setAttribute('aria-invalid', 'true');
        else target.removeAttribute('aria-invalid');
      }
    }
    return errors;
  }

  status(text, show = false) {
    const s = this.root.querySelector('#r-status');
    if (!s) return;
    s.textContent = text;
    if (show && text && s.scrollIntoView) s.scrollIntoView({ block: 'nearest' });
  }

  submit(e) {
    e.preventDefault();
    this.showAll = true;
    const errors = this.refresh();
    const summary = this.root.querySelector('#r-summary');
    if (errors) {
      summary.textContent = fill(this.m.fix, { n: errors });
      const first = this.root.querySelector('[aria-invalid="true"]');
      if (first) {
        first.focus();
        if (first.scrollIntoView) first.scrollIntoView({ block: 'center' });
      }
      return;
    }
    summary.textContent = '';
    this.opts.onSubmit();
  }
}
