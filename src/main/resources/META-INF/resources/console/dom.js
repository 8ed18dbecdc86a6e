// Building the page from data without ever parsing it as HTML: every value the API returns becomes text.

/** An element: h('a', {href: '#/x', onclick: fn}, 'text', child, [more]). Attributes with null/false are left out. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces what `el` holds. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let ids = 0;
/** A unique element id with a readable prefix. */
export function uid(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A message box; kind is '', 'good', 'bad' or 'warn'. Alerts (bad) are announced at once. */
export function message(kind, ...children) {
  return h('div', {class: `msg ${kind}`, role: kind === 'bad' ? 'alert' : null}, ...children);
}

/** A labelled field. control gets the id; hint and error are tied to it with aria-describedby. */
export function field(labelText, control, {hint, name} = {}) {
  const id = control.id || uid('f');
  control.id = id;
  const errId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  control.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  const error = h('div', {class: 'error', id: errId});
  const wrap = h('div', {class: 'field', 'data-field': name || null},
    h('label', {for: id}, labelText), control, hint ? h('div', {class: 'hint', id: hintId}, hint) : null, error);
  wrap.control = control;
  wrap.error = error;
  return wrap;
}

/** Shows (or clears, with an empty text) the error beside a field made by field(). */
export function setFieldError(wrap, text) {
  wrap.error.textContent = text || '';
  if (text) wrap.control.setAttribute('aria-invalid', 'true');
  else wrap.control.removeAttribute('aria-invalid');
}

/** Lines of a textarea as a list (blank lines dropped, spaces trimmed). */
export function lines(text) {
  return text.split('\n').map((s) => s.trim()).filter((s) => s.length > 0);
}

export function table(headers, rows, caption) {
  return h('table', {},
    caption ? h('caption', {class: 'sr-only'}, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', {scope: 'col'}, x)))),
    h('tbody', {}, rows));
}

/** A formatted instant, in the reader's time zone, with the ISO value as its datetime. */
export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return h('time', {datetime: iso}, Number.isNaN(d.getTime()) ? iso : d.toLocaleString());
}
