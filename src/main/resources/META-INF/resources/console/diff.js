// A line diff of two policy documents (longest common subsequence), rendered with <del> and <ins>.
import {h} from './dom.js';

/** The document as stable text: keys sorted, two-space indent, so equal documents print equally. */
export function canonical(value) {
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  }
  return v;
}

/** [{op: ' '|'-'|'+', line}] turning a into b. */
export function diffLines(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs = Array.from({length: n + 1}, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) { out.push({op: ' ', line: x[i]}); i++; j++; }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) { out.push({op: '-', line: x[i]}); i++; }
    else { out.push({op: '+', line: y[j]}); j++; }
  }
  while (i < n) out.push({op: '-', line: x[i++]});
  while (j < m) out.push({op: '+', line: y[j++]});
  return out;
}

/** The diff as an element; a screen reader hears "removed"/"added" before each changed line. */
export function renderDiff(before, after, label) {
  const ops = diffLines(canonical(before), canonical(after));
  const changed = ops.filter((o) => o.op !== ' ').length;
  return h('div', {},
    h('p', {class: 'muted'}, changed === 0 ? 'The two documents are the same.' : `${changed} changed lines.`),
    h('div', {class: 'diff', role: 'region', 'aria-label': label, tabindex: '0'},
      ops.map((o) => {
        if (o.op === '-') return h('del', {}, h('span', {class: 'sr-only'}, 'removed: '), `- ${o.line}`);
        if (o.op === '+') return h('ins', {}, h('span', {class: 'sr-only'}, 'added: '), `+ ${o.line}`);
        return h('span', {}, `  ${o.line}`);
      })));
}
