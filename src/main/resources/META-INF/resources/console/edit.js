// Editing one client or trusted issuer: PUT with If-Match of the version loaded, as the policy editor does. A 412 is
// shown as a conflict with what the other edit changed, and the admin's own edits stay in the form; nothing is
// overwritten.
import {call, explain, seg} from './api.js';
import {canWrite} from './auth.js';
import {h, replace, field, setFieldError, lines, message} from './dom.js';
import {renderDiff} from './diff.js';
import {flash} from './nav.js';

const CLIENT = {
  what: 'client', title: 'Client', list: 'clients', key: 'client_id',
  // What the API shows but a PUT does not take.
  readOnly: ['has_secret', 'created_at', 'updated_at'],
  fields: [
    {ptr: '/kerberos_principal', label: 'Kerberos principal', kind: 'text',
      hint: 'Optional: lets this service exchange its own Kerberos ticket without a secret.'},
    {ptr: '/audiences', label: 'Audiences', kind: 'list', hint: 'Extra aud values that count as this client. One per line.'},
    {ptr: '/grant_types', label: 'Grant types', kind: 'list',
      hint: 'One per line; empty: the client may not exchange tokens (introspection and revocation only).'},
    {ptr: '/rate_limit', label: 'Rate limit', kind: 'int', hint: 'Optional: token requests per second.'},
  ],
};

const ISSUER = {
  what: 'trusted issuer', title: 'Trusted issuer', list: 'issuers', path: 'trusted-issuers', key: 'issuer',
  readOnly: ['id', 'created_at', 'updated_at'],
  fields: [
    {ptr: '/issuer', label: 'Issuer', kind: 'text', hint: 'The exact iss of its tokens.'},
    {ptr: '/jwks_uri', label: 'JWKS URI', kind: 'text'},
    {ptr: '/algorithms', label: 'Algorithms', kind: 'list', hint: 'One per line; empty: ES256 and RS256.'},
  ],
};

export function clientEditView(main, t, id) {
  return editView(main, t, id, CLIENT);
}

export function issuerEditView(main, t, id) {
  return editView(main, t, id, ISSUER);
}

async function editView(main, t, id, kind) {
  const path = `/tenants/${seg(t)}/${kind.path || kind.list}/${seg(id)}`;
  let base = await call('GET', path);
  const back = h('p', {}, h('a', {href: `#/t/${t}/${kind.list}`}, `All ${kind.what}s`));
  if (!base.ok) return replace(main, h('h1', {}, kind.title), back, message('bad', explain(base)));
  const writable = canWrite(t);
  const fields = new Map(kind.fields.map((f) => {
    const name = f.ptr.slice(1);
    const control = f.kind === 'list' ? h('textarea', {name, rows: 2})
      : h('input', {type: 'text', name, autocomplete: 'off', inputmode: f.kind === 'int' ? 'numeric' : null});
    return [f.ptr, {f, w: field(f.label, control, {hint: f.hint, name: f.ptr})}];
  }));
  const title = h('h1', {id: 'edit-title'});
  const versionNote = h('p', {class: 'muted', id: 'editing-version'});
  const summary = h('div', {id: 'edit-errors'});
  const conflict = h('div', {id: 'edit-conflict'});
  const saveButton = h('button', {type: 'submit', id: 'save-edit'}, 'Save');
  const form = h('form', {novalidate: true, 'aria-labelledby': 'edit-title'},
    h('fieldset', {disabled: !writable, class: 'plain'}, [...fields.values()].map(({w}) => w)),
    writable ? h('div', {class: 'actions'}, saveButton) : null);
  replace(main, title, versionNote, back,
    writable ? null : h('p', {class: 'muted'}, `Read-only: your role lets you view this ${kind.what}, not change it.`),
    summary, conflict, form);
  fill(base.data);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    saveButton.disabled = true;
    const r = await call('PUT', path, {body: read(), ifMatch: base.etag});
    saveButton.disabled = false;
    if (r.ok) {
      base = r;
      fill(r.data);
      flash('good', `Saved: ${kind.what} ${r.data[kind.key]} is now at version ${version(r.etag)}.`);
    } else if (r.status === 400 && Array.isArray(r.problem.errors)) {
      showErrors(r.problem.errors);
    } else if (r.status === 412) {
      await showConflict();
    } else {
      replace(summary, message('bad', explain(r)));
    }
  });

  function fill(doc) {
    title.textContent = `${kind.title} ${doc[kind.key]}`;
    versionNote.textContent = `Editing version ${version(base.etag)}.`;
    for (const {f, w} of fields.values()) {
      const v = doc[f.ptr.slice(1)];
      w.control.value = f.kind === 'list' ? (Array.isArray(v) ? v.join('\n') : '') : (v === undefined || v === null ? '' : String(v));
    }
  }

  /** The loaded document with the form's values: members the form does not show (a client's jwks) are kept. */
  function read() {
    const doc = strip(base.data);
    for (const {f, w} of fields.values()) {
      const name = f.ptr.slice(1);
      const s = w.control.value.trim();
      delete doc[name];
      if (f.kind === 'list') {
        // A client's grant_types is always sent (empty means none); other lists are left out when empty.
        if (lines(s).length || name === 'grant_types') doc[name] = lines(s);
      } else if (f.kind === 'int') {
        // Anything but an integer goes to the API as written, which names the problem beside the field.
        if (s) doc[name] = /^-?\d+$/.test(s) ? Number(s) : s;
      } else if (s) {
        doc[name] = s;
      }
    }
    return doc;
  }

  function strip(doc) {
    const copy = {...doc};
    for (const k of kind.readOnly) delete copy[k];
    return copy;
  }

  function clearErrors() {
    replace(summary);
    replace(conflict);
    for (const {w} of fields.values()) setFieldError(w, '');
  }

  function showErrors(errors) {
    const items = [];
    for (const e of errors) {
      const owner = [...fields.keys()].find((p) => e.pointer === p || e.pointer.startsWith(`${p}/`));
      if (owner) setFieldError(fields.get(owner).w, e.detail);
      items.push(h('li', {}, `${owner ? fields.get(owner).f.label : e.pointer || kind.what}: ${e.detail}`));
    }
    replace(summary, message('bad', h('strong', {}, `Not saved: ${errors.length} invalid field` +
      `${errors.length === 1 ? '' : 's'}.`), h('ul', {}, items)));
    const first = [...fields.values()].find(({w}) => w.control.getAttribute('aria-invalid') === 'true');
    if (first) first.w.control.focus();
  }

  /** 412: someone saved first. What they changed is shown; the admin's edits stay in the form. */
  async function showConflict() {
    const now = await call('GET', path);
    if (!now.ok) {
      replace(conflict, message('bad', `Not saved: this ${kind.what} changed since you opened it. `, explain(now)));
      return;
    }
    replace(conflict, message('bad',
      h('strong', {}, 'Conflict: not saved. '),
      `Someone changed this ${kind.what} since you opened version ${version(base.etag)}: it is now at version ` +
      `${version(now.etag)}. Your edits are still in the form below; nothing was overwritten.`,
      h('h2', {}, `What changed between version ${version(base.etag)} and version ${version(now.etag)}`),
      renderDiff(strip(base.data), strip(now.data), 'changes made by the other edit'),
      h('div', {class: 'actions'}, h('button', {type: 'button', class: 'secondary', id: 'load-current',
        onclick: () => {
          base = now;
          clearErrors();
          fill(now.data);
          flash('', `Loaded version ${version(now.etag)}; your edits were discarded.`);
        }}, `Discard my edits and load version ${version(now.etag)}`))));
  }
}

/** An ETag's value without its quotes. */
function version(etag) {
  return (etag || '').replace(/^W\//, '').replace(/"/g, '');
}
