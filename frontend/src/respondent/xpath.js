// The subset of XPath 1.0 that XLSForm expressions use, with ${name}
// references and the ODK functions a form can call.
//
// parse(src) gives a tree; evaluate(tree, ctx) gives a value: a number, a
// string, a boolean or a NodeSet. The context answers for what the
// expression refers to (see engine.js).

export class NodeSet {
  // nodes: [{ v: string value, pos: 1-based position among its siblings }]
  constructor(nodes) {
    this.nodes = nodes;
  }
}

export class ExprError extends Error {}

const NAME = /[A-Za-z_][A-Za-z0-9_.\-]*(?::[A-Za-z_][A-Za-z0-9_.\-]*)?/y;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)/y;
const OPERATOR_WORDS = new Set(['and', 'or', 'div', 'mod']);

// tokenize splits an expression into tokens. Following XPath, "*" and the
// words and, or, div and mod are operators only after an operand.
export function tokenize(src) {
  const out = [];
  let i = 0;
  const operand = () => {
    const last = out[out.length - 1];
    return last && (last.t === 'num' || last.t === 'str' || last.t === 'ref' || last.t === 'name' ||
      last.t === 'dot' || last.t === 'dotdot' || last.t === ')');
  };
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '$' && src[i + 1] === '{') {
      const end = src.indexOf('}', i);
      if (end < 0) throw new ExprError('unclosed ${');
      out.push({ t: 'ref', v: src.slice(i + 2, end) });
      i = end + 1;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new ExprError('unclosed string');
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    NUMBER.lastIndex = i;
    let m = NUMBER.exec(src);
    if (m && !(c === '.' && !/\d/.test(src[i + 1] || ''))) {
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (c === '.') {
      if (src[i + 1] === '.') {
        out.push({ t: 'dotdot' });
        i += 2;
      } else {
        out.push({ t: 'dot' });
        i++;
      }
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=') {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('=<>+-|'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    if (c === '*') {
      if (operand()) out.push({ t: 'op', v: '*' });
      else out.push({ t: 'name', v: '*' });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === '/' || c === '[' || c === ']') {
      out.push({ t: c });
      i++;
      continue;
    }
    NAME.lastIndex = i;
    m = NAME.exec(src);
    if (m) {
      if (OPERATOR_WORDS.has(m[0]) && operand()) out.push({ t: 'op', v: m[0] });
      else out.push({ t: 'name', v: m[0] });
      i += m[0].length;
      continue;
    }
    throw new ExprError(`unexpected character ${c}`);
  }
  return out;
}

const LEVELS = [['or'], ['and'], ['=', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', 'div', 'mod']];

// parse turns an expression into a tree of plain objects.
export function parse(src) {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const take = (t) => {
    const k = toks[p];
    if (!k || k.t !== t) throw new ExprError(`expected ${t} in ${src}`);
    p++;
    return k;
  };
  function binary(level) {
    if (level === LEVELS.length) return unary();
    let a = binary(level + 1);
    for (;;) {
      const k = peek();
      if (!k || k.t !== 'op' || !LEVELS[level].includes(k.v)) return a;
      p++;
      a = { k: 'bin', op: k.v, a, b: binary(level + 1) };
    }
  }
  function unary() {
    const k = peek();
    if (k && k.t === 'op' && k.v === '-') {
      p++;
      return { k: 'neg', a: unary() };
    }
    let a = primary();
    while (peek() && peek().t === 'op' && peek().v === '|') {
      p++;
      a = { k: 'bin', op: '|', a, b: primary() };
    }
    return a;
  }
  function primary() {
    const k = toks[p++];
    if (!k) throw new ExprError(`unexpected end of ${src}`);
    switch (k.t) {
      case 'num':
        return { k: 'num', v: k.v };
      case 'str':
        return { k: 'str', v: k.v };
      case 'ref':
        return { k: 'ref', name: k.v };
      case 'dot':
        return { k: 'self' };
      case 'dotdot':
        return { k: 'parent' };
      case '(': {
        const e = binary(0);
        take(')');
        return e;
      }
      case 'name': {
        if (peek() && peek().t === '(') {
          p++;
          const args = [];
          if (peek() && peek().t === ')') {
            p++;
          } else {
            for (;;) {
              args.push(binary(0));
              if (peek() && peek().t === ',') {
                p++;
                continue;
              }
              take(')');
              break;
            }
          }
          return { k: 'call', name: k.v, args };
        }
        return { k: 'child', name: k.v };
      }
    }
    throw new ExprError(`unexpected ${k.t} in ${src}`);
  }
  const tree = binary(0);
  if (p !== toks.length) throw new ExprError(`unexpected ${toks[p].t} in ${src}`);
  return tree;
}

// refs lists the ${name} references of a tree.
export function refs(tree, out = new Set()) {
  if (!tree) return out;
  if (tree.k === 'ref') out.add(tree.name);
  if (tree.a) refs(tree.a, out);
  if (tree.b) refs(tree.b, out);
  if (tree.args) tree.args.forEach((a) => refs(a, out));
  return out;
}

// Conversions, as XPath 1.0 defines them.

export function numToString(n) {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (Object.is(n, -0)) return '0';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/\.?0+$/, '');
}

export function toStr(x) {
  if (x instanceof NodeSet) return x.nodes.length ? x.nodes[0].v : '';
  if (typeof x === 'number') return numToString(x);
  if (typeof x === 'boolean') return x ? 'true' : 'false';
  return x == null ? '' : String(x);
}

const NUMERIC = /^\s*-?(?:\d+(?:\.\d*)?|\.\d+)\s*$/;
const DATE_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[-+]\d{2}:\d{2})?)?$/;
const DAY = 864e5;

// dateDays reads a date or date-time as ODK does in a numeric context: days
// since 1970-01-01 (a fraction for a time of day); without an offset, in
// local time.
function dateDays(s) {
  const m = DATE_LIKE.exec(s.trim());
  if (!m) return NaN;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '0', off] = m;
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  if (!off) return new Date(+y, +mo - 1, +d, +h, +mi, +sec, ms).getTime() / DAY;
  let t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec, ms);
  if (off !== 'Z') {
    const sign = off[0] === '-' ? -1 : 1;
    t -= sign * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4, 6))) * 60000;
  }
  return t / DAY;
}

// strToNum converts a string to a number: a decimal number as written, a
// date or date-time as days since 1970 (so that dates compare and
// subtract, as in ". <= today()"), anything else NaN.
export function strToNum(s) {
  if (NUMERIC.test(s)) return Number(s);
  return dateDays(s);
}

export function toNum(x) {
  if (typeof x === 'number') return x;
  if (typeof x === 'boolean') return x ? 1 : 0;
  return strToNum(toStr(x));
}

export function toBool(x) {
  if (x instanceof NodeSet) return x.nodes.length > 0;
  if (typeof x === 'number') return x !== 0 && !Number.isNaN(x);
  if (typeof x === 'string') return x.length > 0;
  return !!x;
}

function compareAtoms(op, a, b) {
  if (op === '=' || op === '!=') {
    let eq;
    if (typeof a === 'boolean' || typeof b === 'boolean') eq = toBool(a) === toBool(b);
    else if (typeof a === 'number' || typeof b === 'number') eq = toNum(a) === toNum(b);
    else eq = toStr(a) === toStr(b);
    return op === '=' ? eq : !eq;
  }
  const x = toNum(a);
  const y = toNum(b);
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

// compare applies a comparison with XPath's rules for node-sets: true when
// some node's string value satisfies it.
export function compare(op, a, b) {
  const aSet = a instanceof NodeSet;
  const bSet = b instanceof NodeSet;
  if (aSet && bSet) {
    return a.nodes.some((n) => b.nodes.some((m) => compareAtoms(op, n.v, m.v)));
  }
  if (aSet) {
    if (typeof b === 'boolean') return compareAtoms(op, toBool(a), b);
    return a.nodes.some((n) => compareAtoms(op, n.v, b));
  }
  if (bSet) {
    if (typeof a === 'boolean') return compareAtoms(op, a, toBool(b));
    return b.nodes.some((n) => compareAtoms(op, a, n.v));
  }
  return compareAtoms(op, a, b);
}

function pad(n, w = 2) {
  return String(n).padStart(w, '0');
}

export function localDate(d) {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function localDateTime(d) {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  return `${localDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

function selectedList(x) {
  return toStr(x).split(/\s+/).filter(Boolean);
}

function roundHalfUp(x, digits) {
  if (!Number.isFinite(x)) return x;
  if (Number.isNaN(digits)) return NaN;
  const f = Math.pow(10, digits);
  const r = Math.round(Math.abs(x) * f) / f;
  return x < 0 ? -r : r;
}

// The functions, each given the evaluated arguments (or, for the few that
// need them unevaluated, the trees) and the context.
const FUNCTIONS = {
  'true': () => true,
  'false': () => false,
  'not': (a) => !toBool(a),
  'boolean': (a) => toBool(a),
  'number': (a) => toNum(a),
  'string': (a) => toStr(a),
  'int': (a) => {
    const n = toNum(a);
    return Number.isFinite(n) ? Math.trunc(n) : n;
  },
  // Half away from zero, as ODK rounds: round(-2.5) is -3.
  'round': (a, d) => roundHalfUp(toNum(a), d === undefined ? 0 : toNum(d)),
  'floor': (a) => Math.floor(toNum(a)),
  'ceiling': (a) => Math.ceil(toNum(a)),
  'abs': (a) => Math.abs(toNum(a)),
  'pow': (a, b) => Math.pow(toNum(a), toNum(b)),
  'concat': (...xs) => xs.map((x) => (x instanceof NodeSet ? x.nodes.map((n) => n.v).join('') : toStr(x))).join(''),
  'string-length': (a) => [...toStr(a)].length,
  'normalize-space': (a) => toStr(a).trim().split(/\s+/).filter(Boolean).join(' '),
  'substr': (s, start, end) => {
    const chars = [...toStr(s)];
    const b = Math.max(0, toNum(start));
    const e = end === undefined ? chars.length : Math.min(chars.length, toNum(end));
    return Number.isNaN(b) || Number.isNaN(e) ? '' : chars.slice(b, e).join('');
  },
  'contains': (a, b) => toStr(a).includes(toStr(b)),
  'starts-with': (a, b) => toStr(a).startsWith(toStr(b)),
  'ends-with': (a, b) => toStr(a).endsWith(toStr(b)),
  'regex': (a, re) => {
    try {
      return new RegExp(toStr(re)).test(toStr(a));
    } catch {
      return false;
    }
  },
  'selected': (a, v) => selectedList(a).includes(toStr(v).trim()),
  'count-selected': (a) => selectedList(a).length,
  'selected-at': (a, i) => selectedList(a)[toNum(i)] ?? '',
  'if': (c, a, b) => (toBool(c) ? a : b),
  'coalesce': (a, b) => (toStr(a) !== '' ? toStr(a) : toStr(b)),
  'boolean-from-string': (a) => {
    const s = toStr(a);
    return s === 'true' || s === '1';
  },
  'count': (a) => (a instanceof NodeSet ? a.nodes.length : NaN),
  // ODK Web Forms gives no value (NaN) for the sum of no nodes.
  'sum': (a) => (a instanceof NodeSet && a.nodes.length ? a.nodes.reduce((t, n) => t + strToNum(n.v), 0) : NaN),
  'max': (...xs) => {
    const ns = xs.flatMap((x) => (x instanceof NodeSet ? x.nodes.map((n) => strToNum(n.v)) : [toNum(x)]));
    return ns.length ? (ns.some(Number.isNaN) ? NaN : Math.max(...ns)) : NaN;
  },
  'min': (...xs) => {
    const ns = xs.flatMap((x) => (x instanceof NodeSet ? x.nodes.map((n) => strToNum(n.v)) : [toNum(x)]));
    return ns.length ? (ns.some(Number.isNaN) ? NaN : Math.min(...ns)) : NaN;
  },
  'today': (ctx) => localDate(ctx.now()),
  'now': (ctx) => localDateTime(ctx.now()),
  'uuid': () => (globalThis.crypto && crypto.randomUUID ? crypto.randomUUID() : ''),
};

// Functions that receive the context as their first argument.
const WITH_CONTEXT = new Set(['today', 'now']);

// evaluate computes a tree's value in a context. The context provides:
//   ref(name)      NodeSet of the nodes ${name} means here
//   self()         NodeSet of the current node
//   parent()       NodeSet of the current node's parent (with pos)
//   child(name)    value of a bare name (choice filters: the choice's column)
//   choiceName(value, fieldName) label of a choice
//   now()          the current Date
export function evaluate(tree, ctx) {
  switch (tree.k) {
    case 'num':
      return tree.v;
    case 'str':
      return tree.v;
    case 'ref':
      return ctx.ref(tree.name);
    case 'self':
      return ctx.self();
    case 'parent':
      return ctx.parent();
    case 'child':
      return ctx.child(tree.name);
    case 'neg':
      return -toNum(evaluate(tree.a, ctx));
    case 'bin':
      return binary(tree, ctx);
    case 'call':
      return call(tree, ctx);
  }
  throw new ExprError(`cannot evaluate ${tree.k}`);
}

function binary(tree, ctx) {
  const { op } = tree;
  if (op === 'or') return toBool(evaluate(tree.a, ctx)) || toBool(evaluate(tree.b, ctx));
  if (op === 'and') return toBool(evaluate(tree.a, ctx)) && toBool(evaluate(tree.b, ctx));
  const a = evaluate(tree.a, ctx);
  const b = evaluate(tree.b, ctx);
  switch (op) {
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, a, b);
    case '+':
      return toNum(a) + toNum(b);
    case '-':
      return toNum(a) - toNum(b);
    case '*':
      return toNum(a) * toNum(b);
    case 'div':
      return toNum(a) / toNum(b);
    case 'mod':
      return toNum(a) % toNum(b);
    case '|':
      return new NodeSet([...(a instanceof NodeSet ? a.nodes : []), ...(b instanceof NodeSet ? b.nodes : [])]);
  }
  throw new ExprError(`unknown operator ${op}`);
}

// fieldNameOf reads the field a jr:choice-name() second argument names:
// '${name}' in XLSForm, or an absolute path in an XForm.
function fieldNameOf(s) {
  const m = /^\s*\$\{([^}]+)\}\s*$/.exec(s);
  if (m) return m[1];
  const parts = s.trim().split('/');
  return parts[parts.length - 1];
}

function call(tree, ctx) {
  const name = tree.name;
  if (name === 'position') {
    const a = tree.args.length ? evaluate(tree.args[0], ctx) : ctx.self();
    return a instanceof NodeSet && a.nodes.length ? a.nodes[0].pos || 1 : NaN;
  }
  if (name === 'jr:choice-name') {
    const v = toStr(evaluate(tree.args[0], ctx));
    const f = tree.args[1].k === 'str' ? tree.args[1].v : toStr(evaluate(tree.args[1], ctx));
    return ctx.choiceName(v, fieldNameOf(f));
  }
  if (name === 'if') {
    // Only the chosen branch is evaluated.
    return toBool(evaluate(tree.args[0], ctx)) ? evaluate(tree.args[1], ctx) : evaluate(tree.args[2], ctx);
  }
  const fn = FUNCTIONS[name];
  if (!fn) throw new ExprError(`unknown function ${name}()`);
  const args = tree.args.map((a) => evaluate(a, ctx));
  return WITH_CONTEXT.has(name) ? fn(ctx, ...args) : fn(...args);
}
