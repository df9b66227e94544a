// The form engine: answers, relevance, required, constraints, calculations
// and repeats of a form Definition (internal/form.Definition as JSON), with
// the semantics of ODK XForms.
//
// Answers live in a tree of records: { vals: {name: string}, reps: {repeat:
// [record, ...]} }. Group fields sit in the record of their repeat (or the
// top), since field names are unique in a form. A node is a field with a
// scope: the occurrence index of each repeat around it, outermost first.

import { parse, evaluate, NodeSet, toBool, toStr, numToString, ExprError } from './xpath.js';

const LEAF_TYPES = new Set(['text', 'integer', 'decimal', 'select_one', 'select_multiple', 'date', 'datetime', 'note',
  'calculate', 'acknowledge', 'geopoint', 'image', 'file']);

function compile(src, field, what) {
  if (!src) return null;
  try {
    return parse(src);
  } catch (e) {
    throw new ExprError(`${what} of ${field}: ${e.message}`);
  }
}

export class Form {
  // def: the Definition; options.now: a function giving the current Date.
  constructor(def, options = {}) {
    this.def = def;
    this.now = options.now || (() => new Date());
    this.fields = new Map();
    this.lists = new Map((def.choice_lists || []).map((l) => [l.name, l.choices || []]));
    const byPath = new Map();
    this.top = [];
    for (const f of def.fields) {
      const meta = {
        name: f.name,
        type: f.type,
        def: f,
        children: [],
        parent: null,
        chain: [],
        relevant: compile(f.relevant, f.name, 'relevant'),
        constraint: compile(f.constraint, f.name, 'constraint'),
        calculation: compile(f.calculation, f.name, 'calculation'),
        filter: compile(f.choice_filter, f.name, 'choice_filter'),
      };
      const parent = f.parent ? byPath.get(f.parent) : null;
      if (parent) {
        meta.parent = parent;
        parent.children.push(meta);
        meta.chain = parent.chain;
      } else {
        this.top.push(meta);
      }
      // A repeat's own chain names itself: its nodes are its occurrences.
      if (f.type === 'repeat') meta.chain = [...meta.chain, f.name];
      byPath.set(f.path, meta);
      this.fields.set(f.name, meta);
    }
    this.data = this.newRecord(this.top);
    this.recompute();
  }

  // newRecord makes the record of a new occurrence (or the top), with the
  // defaults and, for each repeat inside, one first occurrence, as the
  // XForm's instance has.
  newRecord(children) {
    const rec = { vals: {}, reps: {} };
    const fill = (list) => {
      for (const m of list) {
        if (m.type === 'group') fill(m.children);
        else if (m.type === 'repeat') rec.reps[m.name] = [this.newRecord(m.children)];
        else if (LEAF_TYPES.has(m.type)) rec.vals[m.name] = m.def.default || '';
      }
    };
    fill(children);
    return rec;
  }

  // record returns the record that holds a field's value in a scope (for a
  // repeat, the record of the occurrence scope names).
  record(meta, scope) {
    let rec = this.data;
    const chain = meta.chain;
    for (let i = 0; i < chain.length; i++) {
      const list = rec.reps[chain[i]];
      if (!list || !list[scope[i]]) return null;
      rec = list[scope[i]];
    }
    return rec;
  }

  // occurrences returns the occurrence list of a repeat in the scope of its
  // enclosing repeats.
  occurrences(repeatName, outer = []) {
    const meta = this.fields.get(repeatName);
    const chain = meta.chain.slice(0, -1);
    let rec = this.data;
    for (let i = 0; i < chain.length; i++) {
      rec = rec.reps[chain[i]][outer[i]];
      if (!rec) return [];
    }
    return rec.reps[repeatName];
  }

  addOccurrence(repeatName, outer = []) {
    const meta = this.fields.get(repeatName);
    const list = this.occurrences(repeatName, outer);
    list.push(this.newRecord(meta.children));
    this.recompute();
    return list.length - 1;
  }

  removeOccurrence(repeatName, outer, index) {
    const list = this.occurrences(repeatName, outer);
    list.splice(index, 1);
    this.recompute();
  }

  key(name, scope) {
    return scope.length ? `${name}#${scope.join('.')}` : name;
  }

  // raw returns a node's stored value.
  raw(name, scope) {
    const meta = this.fields.get(name);
    const rec = this.record(meta, scope);
    return rec ? rec.vals[name] ?? '' : '';
  }

  // value returns a node's value as expressions see it: blank when the node
  // is not relevant.
  value(name, scope) {
    if (!this.isRelevant(name, scope)) return '';
    return this.effective(name, scope);
  }

  // effective is a node's answer as it counts: for a select whose choices
  // are filtered, only the stored choices the filter still offers (the
  // others come back if the filter offers them again), as ODK does.
  effective(name, scope) {
    const v = this.raw(name, scope);
    const meta = this.fields.get(name);
    if (!meta.filter || v === '') return v;
    const offered = new Set(this.options(name, scope).map((c) => c.name));
    return v.split(' ').filter((x) => offered.has(x)).join(' ');
  }

  // setValue stores an answer, normalised by type, and recomputes.
  setValue(name, scope, value) {
    const meta = this.fields.get(name);
    const rec = this.record(meta, scope);
    if (!rec) throw new Error(`no node ${this.key(name, scope)}`);
    let v = normalise(meta.type, value);
    if (meta.type === 'select_multiple' && v) {
      // Choices are kept in the list's order, as ODK keeps them.
      const order = (this.lists.get(meta.def.choice_list) || []).map((c) => c.name);
      const rank = (x) => (order.indexOf(x) < 0 ? order.length : order.indexOf(x));
      v = [...new Set(v.split(' '))].sort((a, b) => rank(a) - rank(b)).join(' ');
    }
    rec.vals[name] = v;
    this.recompute();
  }

  isRelevant(name, scope) {
    const r = this.relevance.get(this.key(name, scope));
    return r === undefined ? true : r;
  }

  // nodes lists every node in document order: { meta, scope, key } with a
  // repeat listed once per occurrence (scope names the occurrence) after a
  // node for the range (range: true, scope of the enclosing repeats).
  nodes() {
    const out = [];
    const walk = (list, rec, scope) => {
      for (const m of list) {
        if (m.type === 'group') {
          out.push({ meta: m, scope, key: this.key(m.name, scope) });
          walk(m.children, rec, scope);
        } else if (m.type === 'repeat') {
          out.push({ meta: m, scope, range: true, key: this.key(m.name, scope) + '*' });
          (rec.reps[m.name] || []).forEach((occ, i) => {
            const s = [...scope, i];
            out.push({ meta: m, scope: s, key: this.key(m.name, s) });
            walk(m.children, occ, s);
          });
        } else {
          out.push({ meta: m, scope, key: this.key(m.name, scope) });
        }
      }
    };
    walk(this.top, this.data, []);
    return out;
  }

  // recompute brings relevance and calculated values up to date: they
  // depend on each other (a blank non-relevant value changes a calculation,
  // a calculation changes a relevance), so both are evaluated in document
  // order until nothing changes; with no cycles this ends.
  recompute() {
    this.relevance = new Map();
    const nodes = this.nodes();
    for (let pass = 0; pass < 50; pass++) {
      let changed = false;
      for (const n of nodes) {
        if (n.range) continue;
        const m = n.meta;
        let rel = true;
        if (m.parent) rel = this.isRelevant(m.parent.name, n.scope.slice(0, m.parent.chain.length));
        if (rel && m.relevant) rel = toBool(this.eval(m.relevant, m, n.scope));
        if (this.relevance.get(n.key) !== rel) {
          this.relevance.set(n.key, rel);
          changed = true;
        }
        if (m.calculation) {
          const rec = this.record(m, n.scope);
          let v = '';
          if (rel) v = toValueString(this.eval(m.calculation, m, n.scope));
          if (rec && rec.vals[m.name] !== v) {
            rec.vals[m.name] = v;
            changed = true;
          }
        }
      }
      if (!changed) break;
    }
  }

  // context builds the evaluation context of a node.
  context(meta, scope, extra = {}) {
    const form = this;
    return {
      ref: (name) => form.resolve(name, meta, scope),
      self: () => form.nodeSet(meta, scope),
      parent: () => {
        const p = meta.parent;
        if (!p) return new NodeSet([{ v: '', pos: 1 }]);
        return form.nodeSet(p, scope.slice(0, p.chain.length));
      },
      child: extra.child || (() => new NodeSet([])),
      choiceName: (value, field) => form.choiceLabel(field, value, extra.lang),
      now: form.now,
    };
  }

  eval(tree, meta, scope, extra) {
    try {
      return evaluate(tree, this.context(meta, scope, extra));
    } catch (e) {
      if (e instanceof ExprError) return NaN;
      throw e;
    }
  }

  // nodeSet makes the node-set of one node.
  nodeSet(meta, scope, pos = 1) {
    if (meta.type === 'repeat' && scope.length === meta.chain.length) pos = scope[scope.length - 1] + 1;
    return new NodeSet([{ v: this.stringValue(meta, scope), pos }]);
  }

  // stringValue is a node's XPath string value: a leaf's value, or the
  // concatenated values of a group's or occurrence's leaves.
  stringValue(meta, scope) {
    if (meta.type === 'group' || meta.type === 'repeat') {
      if (!this.isRelevant(meta.name, scope)) return '';
      let s = '';
      const walk = (list, sc) => {
        for (const c of list) {
          if (c.type === 'group') walk(c.children, sc);
          else if (c.type === 'repeat') {
            const occ = this.occurrences(c.name, sc);
            (occ || []).forEach((_, i) => {
              if (this.isRelevant(c.name, [...sc, i])) walk(c.children, [...sc, i]);
            });
          } else s += this.value(c.name, sc);
        }
      };
      walk(meta.children, scope);
      return s;
    }
    return this.value(meta.name, scope);
  }

  // resolve gives the nodes ${name} means in the context of (meta, scope):
  // inside the repeats the two share, the same occurrence; beyond, every
  // occurrence. A repeat named from inside itself (count(${hh}) within hh)
  // is every occurrence of it in the form, as the XForm's absolute path
  // means to ODK.
  resolve(name, ctxMeta, ctxScope) {
    const target = this.fields.get(name);
    if (!target) throw new ExprError(`no field ${name}`);
    const chain = target.chain;
    const ctxChain = ctxMeta.chain;
    const selfRepeat = target.type === 'repeat' && ctxChain.includes(name);
    const scopes = [];
    const walk = (level, rec, scope, shared) => {
      if (level === chain.length) {
        scopes.push(scope);
        return;
      }
      const list = rec.reps[chain[level]] || [];
      if (shared && ctxChain[level] === chain[level] && level < ctxScope.length) {
        const i = ctxScope[level];
        if (list[i]) walk(level + 1, list[i], [...scope, i], true);
        return;
      }
      list.forEach((occ, i) => walk(level + 1, occ, [...scope, i], false));
    };
    walk(0, this.data, [], !selfRepeat);
    return new NodeSet(scopes.map((s) => ({ v: this.stringValue(target, s), pos: target.type === 'repeat' ? s[s.length - 1] + 1 : 1 })));
  }

  // options lists the choices of a select node, filtered by its
  // choice_filter.
  options(name, scope) {
    const meta = this.fields.get(name);
    const choices = this.lists.get(meta.def.choice_list) || [];
    if (!meta.filter) return choices;
    return choices.filter((c) => {
      const child = (col) => {
        const v = col === 'name' ? c.name : (c.extra || {})[col];
        return new NodeSet(v === undefined && col !== 'name' && !(this.def.extra_columns || []).includes(col) ? [] : [{ v: v ?? '', pos: 1 }]);
      };
      return toBool(this.eval(meta.filter, meta, scope, { child }));
    });
  }

  choiceLabel(fieldName, value, lang) {
    const meta = this.fields.get(fieldName);
    if (!meta) return '';
    const c = (this.lists.get(meta.def.choice_list) || []).find((x) => x.name === value);
    return c ? this.text(c.label, lang || this.lang) : '';
  }

  // text picks a Text in a language, else the default language, else any.
  text(t, lang = this.lang) {
    if (!t) return '';
    if (lang && t[lang]) return t[lang];
    if (t[this.def.default_language]) return t[this.def.default_language];
    for (const l of this.def.languages || []) if (t[l]) return t[l];
    return Object.values(t)[0] || '';
  }

  // state tells what a node needs: relevance, required, and whether its
  // answer passes required and constraint (both pass when not relevant;
  // a blank answer is not checked against the constraint).
  state(name, scope) {
    const meta = this.fields.get(name);
    const relevant = this.isRelevant(name, scope);
    const value = this.effective(name, scope);
    const required = !!meta.def.required;
    let requiredOk = true;
    let constraintOk = true;
    if (relevant && LEAF_TYPES.has(meta.type)) {
      if (required && value === '') requiredOk = false;
      if (meta.constraint && value !== '') constraintOk = toBool(this.eval(meta.constraint, meta, scope));
    }
    return { relevant, required, requiredOk, constraintOk, value };
  }

  // errors lists every relevant node that fails required or its constraint.
  errors() {
    const out = [];
    for (const n of this.nodes()) {
      if (n.range || !LEAF_TYPES.has(n.meta.type)) continue;
      const s = this.state(n.meta.name, n.scope);
      if (!s.requiredOk) out.push({ ...n, kind: 'required' });
      else if (!s.constraintOk) out.push({ ...n, kind: 'constraint' });
    }
    return out;
  }

  // answers gives the submission's answers: relevant fields by name, groups
  // flattened, repeats as arrays of objects; notes left out; integer and
  // decimal answers as numbers; file fields as the file name.
  answers() {
    const build = (list, rec, scope, out) => {
      for (const m of list) {
        if (m.type === 'group') {
          if (this.isRelevant(m.name, scope)) build(m.children, rec, scope, out);
        } else if (m.type === 'repeat') {
          const arr = [];
          (rec.reps[m.name] || []).forEach((occ, i) => {
            const s = [...scope, i];
            if (this.isRelevant(m.name, s)) arr.push(build(m.children, occ, s, {}));
          });
          out[m.name] = arr;
        } else if (m.type !== 'note') {
          if (!this.isRelevant(m.name, scope)) continue;
          const v = this.effective(m.name, scope);
          if ((m.type === 'integer' || m.type === 'decimal') && v !== '' && Number.isFinite(Number(v))) out[m.name] = Number(v);
          else out[m.name] = v;
        }
      }
      return out;
    };
    return build(this.top, this.data, [], {});
  }

  // snapshot and restore carry the answers through localStorage.
  snapshot() {
    return JSON.parse(JSON.stringify(this.data));
  }

  restore(data) {
    if (!data || typeof data !== 'object' || !data.vals) return;
    const merge = (list, into, from) => {
      for (const m of list) {
        if (m.type === 'group') merge(m.children, into, from);
        else if (m.type === 'repeat') {
          const occ = Array.isArray(from.reps && from.reps[m.name]) ? from.reps[m.name] : null;
          if (!occ) continue;
          into.reps[m.name] = occ.map((o) => {
            const r = this.newRecord(m.children);
            merge(m.children, r, o || {});
            return r;
          });
        } else if (m.type !== 'calculate' && from.vals && typeof from.vals[m.name] === 'string') {
          into.vals[m.name] = from.vals[m.name];
        }
      }
    };
    const fresh = this.newRecord(this.top);
    merge(this.top, fresh, data);
    this.data = fresh;
    this.recompute();
  }
}

// toValueString stores an expression's result as an XForm value.
function toValueString(x) {
  if (typeof x === 'number') return Number.isNaN(x) ? '' : numToString(x);
  if (typeof x === 'boolean') return x ? 'true' : 'false';
  return toStr(x);
}

// normalise turns what a control gives into the stored value of a type.
export function normalise(type, value) {
  if (value == null) return '';
  if (Array.isArray(value)) return value.join(' ');
  let s = String(value);
  switch (type) {
    case 'integer': {
      s = s.trim();
      if (/^[+-]?\d+$/.test(s)) return String(BigInt(s));
      return s;
    }
    case 'decimal': {
      s = s.trim();
      if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) {
        // ODK writes a whole decimal with one decimal place (2000.0).
        const n = numToString(Number(s));
        return /^-?\d+$/.test(n) ? n + '.0' : n;
      }
      return s;
    }
    case 'select_multiple':
      return s.split(/\s+/).filter(Boolean).join(' ');
    case 'geopoint':
      return s.trim().split(/[\s,;]+/).filter(Boolean).join(' ');
    default:
      return s;
  }
}

// validNumber reports whether a typed answer fits an integer or decimal
// field, for the renderer's message before the value is stored.
export function validNumber(type, s) {
  s = s.trim();
  if (s === '') return true;
  if (type === 'integer') return /^[+-]?\d+$/.test(s);
  if (type === 'decimal') return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s);
  return true;
}

// validGeopoint checks "lat lon [alt [accuracy]]".
export function validGeopoint(s) {
  const p = s.trim().split(/[\s,;]+/).filter(Boolean);
  if (p.length === 0) return true;
  if (p.length < 2 || p.length > 4 || p.some((x) => !Number.isFinite(Number(x)))) return false;
  return Math.abs(Number(p[0])) <= 90 && Math.abs(Number(p[1])) <= 180;
}
