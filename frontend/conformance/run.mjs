// Conformance of the respondent engine (src/respondent/engine.js) with
// ODK's reference engine (@getodk/xforms-engine), run headless in Node.
//
//   node frontend/conformance/run.mjs [-v]
//
// Each case is a form whose XForm and Definition JSON the Go code made from
// one workbook (internal/form/testdata); the reference engine loads the
// XForm exactly as generated. The same answers are given to both
// engines, step by step; after every step, every node's relevance,
// required flag, required and constraint validity, value (calculations
// included), repeat occurrence count and select options must agree. Exits 1
// on any difference.
//
// The reference engine's states after every step are also kept in
// internal/form/testdata/<file>.reference.json, so that the server's engine
// (internal/form/logic) is compared with the same reference in Go's tests.
// Without --write the run fails when those files are not what it would
// write; with --write it writes them.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';

// Dates count in days since 1970 in local time; the states kept for the
// server's engine are taken in UTC, as its tests read them.
process.env.TZ = 'UTC';
// The reference engine reads the clock for today() and now(): both engines
// answer at the same fixed moment.
const NOW = new Date('2026-03-14T10:00:00Z');
Date.now = () => NOW.getTime();
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSDOM } from 'jsdom';
import { cases } from './cases.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const testdata = join(here, '..', '..', 'internal', 'form', 'testdata');
const verbose = process.argv.includes('-v');
const write = process.argv.includes('--write');

// The reference engine expects a DOM (it parses the XForm with DOMParser)
// and, in Node, the CommonJS globals its WebAssembly loader touches.
const dom = new JSDOM('<!doctype html><html><body></body></html>');
for (const k of ['document', 'DOMParser', 'XMLSerializer', 'Node', 'Element', 'Document', 'NodeFilter', 'Text', 'Attr']) {
  if (!(k in globalThis)) globalThis[k] = dom.window[k];
}
if (!('window' in globalThis)) globalThis.window = dom.window;
globalThis.__dirname = here;
globalThis.module = { exports: {} };

const { createInstance } = await import('@getodk/xforms-engine');
const { Form } = await import('../src/respondent/engine.js');

// refTree indexes the reference engine's nodes by reference
// (/form/group/repeat[2]/field).
function refTree(root) {
  const out = new Map();
  const walk = (node) => {
    out.set(node.currentState.reference, node);
    for (const c of node.currentState.children || []) walk(c);
  };
  walk(root);
  return out;
}

// reference gives the reference of one of our nodes.
function reference(form, meta, scope) {
  const parts = meta.def.path.split('/').slice(1);
  let r = 0;
  return '/' + parts.map((p, i) => {
    if (i === 0) return p;
    const f = form.fields.get(p);
    if (f && f.type === 'repeat' && r < scope.length) return `${p}[${scope[r++] + 1}]`;
    return p;
  }).join('/');
}

function occurrencesRef(refs, form, meta, outer) {
  const base = reference(form, meta, outer);
  const range = refs.get(base);
  return range ? range.currentState.children.length : -1;
}

function apply(form, refs, step) {
  const [op, name, scope = [], arg] = step;
  const meta = form.fields.get(name);
  if (!meta) throw new Error(`no field ${name}`);
  if (op === 'set') {
    form.setValue(name, scope, arg);
    const node = refs.get(reference(form, meta, scope));
    if (!node) throw new Error(`the reference engine has no node ${reference(form, meta, scope)}`);
    if (node.nodeType === 'select') {
      if (node.selectType === 'select') node.selectValues(String(arg).split(' ').filter(Boolean));
      else node.selectValue(arg === '' ? null : arg);
    } else if (node.nodeType === 'trigger') {
      node.setValue(arg === 'OK');
    } else {
      node.setValue(arg);
    }
  } else if (op === 'add') {
    form.addOccurrence(name, scope);
    const range = refs.get(reference(form, meta, scope));
    range.addInstances();
  } else if (op === 'remove') {
    form.removeOccurrence(name, scope, arg);
    const range = refs.get(reference(form, meta, scope));
    range.removeInstances(arg, 1);
  } else {
    throw new Error(`unknown step ${op}`);
  }
}

// compare lists the differences between the engines after a step.
function compare(form, refs) {
  const diffs = [];
  for (const n of form.nodes()) {
    const m = n.meta;
    if (n.range) {
      const ours = (form.occurrences(m.name, n.scope) || []).length;
      const theirs = occurrencesRef(refs, form, m, n.scope);
      if (ours !== theirs) diffs.push(`${reference(form, m, n.scope)}: ${ours} occurrences, reference ${theirs}`);
      continue;
    }
    const ref = reference(form, m, n.scope);
    const node = refs.get(ref);
    if (!node) {
      diffs.push(`${ref}: missing in the reference engine`);
      continue;
    }
    const theirs = node.currentState;
    const relevant = form.isRelevant(m.name, n.scope);
    if (relevant !== theirs.relevant) diffs.push(`${ref}: relevant ${relevant}, reference ${theirs.relevant}`);
    if (m.type === 'group' || m.type === 'repeat') continue;
    const s = form.state(m.name, n.scope);
    if (s.required !== theirs.required) diffs.push(`${ref}: required ${s.required}, reference ${theirs.required}`);
    const v = node.validationState;
    if (v.required && s.requiredOk !== v.required.valid) diffs.push(`${ref}: required satisfied ${s.requiredOk}, reference ${v.required.valid}`);
    if (v.constraint && s.constraintOk !== v.constraint.valid) diffs.push(`${ref}: constraint satisfied ${s.constraintOk}, reference ${v.constraint.valid}`);
    if (relevant && m.type !== 'image' && m.type !== 'file') {
      const tv = m.type === 'acknowledge' ? (theirs.value ? 'OK' : '') : theirs.instanceValue;
      if (s.value !== tv) diffs.push(`${ref}: value ${JSON.stringify(s.value)}, reference ${JSON.stringify(tv)}`);
    }
    if (relevant && (m.type === 'select_one' || m.type === 'select_multiple')) {
      const ours = form.options(m.name, n.scope).map((c) => c.name).join(' ');
      const their = (theirs.valueOptions || []).map((o) => o.value).join(' ');
      if (ours !== their) diffs.push(`${ref}: options [${ours}], reference [${their}]`);
    }
  }
  return diffs;
}

// snapshot records the reference engine's state of every node our engine
// has, by reference (a repeat's range as reference + '*').
function snapshot(form, refs) {
  const out = {};
  for (const n of form.nodes()) {
    const m = n.meta;
    const ref = reference(form, m, n.scope);
    if (n.range) {
      out[ref + '*'] = { occurrences: occurrencesRef(refs, form, m, n.scope) };
      continue;
    }
    const node = refs.get(ref);
    if (!node) continue;
    const st = node.currentState;
    const s = { relevant: st.relevant };
    if (m.type !== 'group' && m.type !== 'repeat') {
      s.required = st.required;
      const v = node.validationState;
      if (v.required) s.required_ok = v.required.valid;
      if (v.constraint) s.constraint_ok = v.constraint.valid;
      if (st.relevant && m.type !== 'image' && m.type !== 'file') {
        s.value = m.type === 'acknowledge' ? (st.value ? 'OK' : '') : st.instanceValue;
      }
      if (st.relevant && (m.type === 'select_one' || m.type === 'select_multiple')) {
        s.options = (st.valueOptions || []).map((o) => o.value);
      }
    }
    out[ref] = s;
  }
  return out;
}

let failures = 0;
let steps = 0;
let checks = 0;
for (const c of cases) {
  const xml = readFileSync(join(testdata, c.file + '.xml'), 'utf8');
  const def = JSON.parse(readFileSync(join(testdata, c.file + '.json'), 'utf8'));
  const now = NOW;
  const form = new Form(def, { now: () => now });
  const inst = await createInstance(xml, {});
  const root = inst.root;
  let label = 'initial';
  const run = [null, ...c.steps];
  const states = [];
  for (const step of run) {
    if (step) {
      label = JSON.stringify(step);
      try {
        apply(form, refTree(root), step);
      } catch (e) {
        console.error(`${c.name}: step ${label} failed: ${e.message}`);
        failures++;
        break;
      }
    }
    steps++;
    const refs = refTree(root);
    checks += refs.size;
    states.push({ after: step, nodes: snapshot(form, refs) });
    const diffs = compare(form, refs);
    if (diffs.length) {
      failures += diffs.length;
      console.error(`${c.name}: after ${label}:\n  ${diffs.join('\n  ')}`);
    } else if (verbose) {
      console.log(`${c.name}: ${label} ok`);
    }
  }
  const golden = join(testdata, c.file + '.reference.json');
  // One state per line: small, and a change shows as the steps it touches.
  const text = `{"case":${JSON.stringify(c.name)},"now":${JSON.stringify(now.toISOString())},"states":[\n` +
    states.map((st) => JSON.stringify(st)).join(',\n') + '\n]}\n';
  if (write) {
    writeFileSync(golden, text);
  } else if (!existsSync(golden) || readFileSync(golden, 'utf8') !== text) {
    console.error(`${c.name}: ${golden} is not what the reference engine gives now: run node frontend/conformance/run.mjs --write`);
    failures++;
  }
}
console.log(`conformance: ${cases.length} cases, ${steps} states compared (${checks} node checks), ${failures} differences`);
process.exit(failures ? 1 : 0);
