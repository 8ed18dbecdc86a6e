// Policies of one tenant: the list, the editor (field errors beside the fields, If-Match on every write) and the
// revisions (a diff between any two, restore).
import {call, explain, seg, tag} from './api.js';
import {canWrite} from './auth.js';
import {h, replace, field, setFieldError, lines, message, table, time} from './dom.js';
import {renderDiff} from './diff.js';
import {flash, go, focusMain} from './nav.js';

const TOKEN_TYPES = 'urn:kerbex:token-type:kerberos-ap-req, urn:ietf:params:oauth:token-type:jwt, ' +
  'urn:ietf:params:oauth:token-type:access_token';

/** The editor's fields, by their JSON pointer in the policy document (the API's error pointers). */
const FIELDS = [
  {ptr: '/name', label: 'Name', kind: 'text', hint: 'Letters, digits, dot, underscore, hyphen; unique in the tenant.'},
  {ptr: '/description', label: 'Description', kind: 'text'},
  {ptr: '/effect', label: 'Effect', kind: 'select', options: ['allow', 'deny'], hint: 'A matching deny always wins.'},
  {ptr: '/priority', label: 'Priority', kind: 'int', hint: 'Among matching allows, the lowest priority wins.'},
  {group: 'Match: the requests this policy is about'},
  {ptr: '/match/clients', label: 'Clients', kind: 'list', hint: 'Client ids, or * for every client. One per line.'},
  {ptr: '/match/subject_token_types', label: 'Subject token types', kind: 'list', hint: `e.g. ${TOKEN_TYPES}`},
  {ptr: '/match/subjects', label: 'Subjects', kind: 'list', hint: 'Globs on the principal or sub, e.g. *@CORP.EXAMPLE.'},
  {ptr: '/match/issuers', label: 'Issuers', kind: 'list', hint: 'For JWT subjects: the iss values.'},
  {ptr: '/match/audiences', label: 'Audiences', kind: 'list', hint: 'Required. Exact or glob, one per line.'},
  {ptr: '/match/resources', label: 'Resources', kind: 'list'},
  {ptr: '/match/requested_token_types', label: 'Requested token types', kind: 'list'},
  {ptr: '/match/actors', label: 'Actors', kind: 'list',
    hint: 'Who may act (delegation): a glob, or issuer#sub-glob. None: delegation is refused.'},
  {ptr: '/match/source_cidrs', label: 'Source CIDRs', kind: 'list'},
  {ptr: '/match/groups', label: 'Groups', kind: 'list',
    hint: 'Globs on the subject\'s Active Directory groups (names from group_names, or SIDs). None: any subject.'},
  {group: 'Grant: what a matching request gets'},
  {ptr: '/grant/scopes', label: 'Scopes', kind: 'list'},
  {ptr: '/grant/default_scopes', label: 'Default scopes', kind: 'list', hint: 'Granted when none are requested.'},
  {ptr: '/grant/max_lifetime', label: 'Maximum lifetime', kind: 'text', hint: 'ISO-8601 duration, e.g. PT10M.'},
  {ptr: '/grant/claims', label: 'Extra claims', kind: 'json', hint: 'A JSON object of templates, e.g. {"dept": "${realm}"}.'},
  {ptr: '/grant/subject_claim', label: 'Subject claim template', kind: 'text'},
  {ptr: '/grant/kerberos_targets', label: 'Kerberos targets', kind: 'list', hint: 'Inverse path: service principals.'},
  {ptr: '/grant/kerberos_user_principal', label: 'Kerberos user principal', kind: 'text'},
  {ptr: '/grant/require_dpop', label: 'Require DPoP', kind: 'bool'},
  {ptr: '/grant/require_mtls', label: 'Require mTLS', kind: 'bool'},
];

function get(doc, ptr) {
  return ptr.split('/').slice(1).reduce((v, k) => (v && typeof v === 'object' ? v[k] : undefined), doc);
}

function put(doc, ptr, value) {
  const keys = ptr.split('/').slice(1);
  let v = doc;
  for (const k of keys.slice(0, -1)) v = v[k] ??= {};
  v[keys[keys.length - 1]] = value;
}

export async function listView(main, t) {
  const r = await call('GET', `/tenants/${seg(t)}/policies`);
  if (!r.ok) return replace(main, h('h1', {}, 'Policies'), message('bad', explain(r)));
  replace(main, h('h1', {}, 'Policies'),
    canWrite(t) ? h('div', {class: 'actions'}, h('a', {href: `#/t/${t}/policies/new`, id: 'new-policy'}, 'New policy'))
      : h('p', {class: 'muted'}, 'Read-only: your role lets you view this tenant, not change it.'),
    r.data.length === 0 ? h('p', {}, 'No policies yet: every token request of this tenant is refused.')
      : table(['Name', 'Effect', 'Priority', 'Audiences', 'Revision'], r.data.map((p) => h('tr', {},
        h('td', {}, h('a', {href: `#/t/${t}/policies/${p.id}`}, p.name)),
        h('td', {}, p.effect || 'allow'),
        h('td', {}, p.priority ?? ''),
        h('td', {}, (p.match?.audiences || []).join(', ')),
        h('td', {}, h('a', {href: `#/t/${t}/policies/${p.id}/revisions`,
          'aria-label': `revisions of ${p.name}`}, String(p.revision))))), 'Policies'));
}

/** The editor for a new (id null) or an existing policy. */
export async function editView(main, t, id) {
  let base = null; // {etag, doc} of the revision being edited
  if (id) {
    const r = await call('GET', `/tenants/${seg(t)}/policies/${seg(id)}`);
    if (!r.ok) return replace(main, h('h1', {}, 'Policy'), message('bad', explain(r)));
    base = {etag: r.etag, doc: r.data};
  }
  const writable = canWrite(t);
  const fields = new Map();
  const parts = [];
  let group = null;
  for (const f of FIELDS) {
    if (f.group) {
      group = h('fieldset', {}, h('legend', {}, f.group));
      parts.push(group);
      continue;
    }
    const w = field(f.label, control(f), {hint: f.hint, name: f.ptr});
    fields.set(f.ptr, {f, w});
    if (group) group.append(w); else parts.push(w);
  }
  const summary = h('div', {id: 'policy-errors'});
  const conflict = h('div', {id: 'policy-conflict'});
  const saveButton = h('button', {type: 'submit', id: 'save-policy'}, id ? 'Save as a new revision' : 'Create policy');
  const form = h('form', {novalidate: true, 'aria-labelledby': 'editor-title'},
    h('fieldset', {disabled: !writable, class: 'plain'}, parts),
    writable ? h('div', {class: 'actions'}, saveButton,
      id ? h('button', {type: 'button', class: 'danger', onclick: () => remove()}, 'Delete policy') : null) : null);
  const title = h('h1', {id: 'editor-title'}, id ? `Policy ${base.doc.name}` : 'New policy');
  const revisionNote = h('p', {class: 'muted', id: 'editing-revision'});
  replace(main, title, revisionNote,
    id ? h('p', {}, h('a', {href: `#/t/${t}/policies/${id}/revisions`}, 'Revisions and restore'), ' · ',
      h('a', {href: `#/t/${t}/evaluate`}, 'Evaluate')) : null,
    writable ? null : h('p', {class: 'muted'}, 'Read-only: your role lets you view this policy, not change it.'),
    summary, conflict, form);
  fill(base ? base.doc : {effect: 'allow'});

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    const doc = read();
    if (!doc) return;
    saveButton.disabled = true;
    const r = id ? await call('PUT', `/tenants/${seg(t)}/policies/${seg(id)}`, {body: doc, ifMatch: base.etag})
      : await call('POST', `/tenants/${seg(t)}/policies`, {body: doc});
    saveButton.disabled = false;
    if (r.ok) {
      flash('good', id ? `Saved: ${r.data.name} is now at revision ${r.data.revision}.`
        : `Created ${r.data.name} (revision ${r.data.revision}).`);
      if (id) {
        base = {etag: r.etag, doc: r.data};
        fill(r.data);
      } else {
        go(`#/t/${t}/policies/${r.data.id}`);
      }
    } else if (r.status === 400 && Array.isArray(r.problem.errors)) {
      showErrors(r.problem.errors);
    } else if (r.status === 412) {
      await showConflict();
    } else {
      replace(summary, message('bad', explain(r)));
    }
  });

  function control(f) {
    const name = f.ptr.slice(1).replace(/\//g, '.');
    if (f.kind === 'select') return h('select', {name}, f.options.map((o) => h('option', {value: o}, o)));
    if (f.kind === 'bool') return h('input', {type: 'checkbox', name});
    if (f.kind === 'list' || f.kind === 'json') return h('textarea', {name, rows: f.kind === 'json' ? 3 : 2});
    return h('input', {type: 'text', name, inputmode: f.kind === 'int' ? 'numeric' : null, autocomplete: 'off'});
  }

  function fill(doc) {
    revisionNote.textContent = base ? `Editing revision ${base.doc.revision}.` : '';
    if (base) title.textContent = `Policy ${base.doc.name}`;
    for (const {f, w} of fields.values()) {
      const v = get(doc, f.ptr);
      const c = w.control;
      if (f.kind === 'bool') c.checked = v === true;
      else if (f.kind === 'list') c.value = Array.isArray(v) ? v.join('\n') : '';
      else if (f.kind === 'json') c.value = v === undefined ? '' : JSON.stringify(v, null, 2);
      else c.value = v === undefined || v === null ? (f.kind === 'select' ? f.options[0] : '') : String(v);
    }
  }

  /** The document the form describes; null (with the error shown) when the claims field is not JSON. */
  function read() {
    const doc = {};
    for (const {f, w} of fields.values()) {
      const c = w.control;
      if (f.kind === 'bool') {
        if (c.checked) put(doc, f.ptr, true);
      } else if (f.kind === 'list') {
        const l = lines(c.value);
        if (l.length) put(doc, f.ptr, l);
      } else if (f.kind === 'json') {
        if (c.value.trim()) {
          try {
            put(doc, f.ptr, JSON.parse(c.value));
          } catch (err) {
            showErrors([{pointer: f.ptr, detail: `not JSON (${err.message})`}]);
            return null;
          }
        }
      } else if (f.kind === 'int') {
        const s = c.value.trim();
        // Anything but an integer goes to the API as written, which names the problem beside the field.
        if (s) put(doc, f.ptr, /^-?\d+$/.test(s) ? Number(s) : s);
      } else if (c.value.trim()) {
        put(doc, f.ptr, c.value.trim());
      }
    }
    return doc;
  }

  function clearErrors() {
    replace(summary);
    replace(conflict);
    for (const {w} of fields.values()) setFieldError(w, '');
  }

  /** Each {pointer, detail} beside its field (the nearest field containing the pointer), and all in a summary. */
  function showErrors(errors) {
    const byField = new Map();
    const items = [];
    for (const e of errors) {
      const owner = [...fields.keys()].filter((p) => e.pointer === p || e.pointer.startsWith(`${p}/`))
        .sort((a, b) => b.length - a.length)[0];
      const rest = owner ? e.pointer.slice(owner.length) : '';
      const where = /^\/\d+$/.test(rest) ? `line ${Number(rest.slice(1)) + 1}: ` : rest ? `${rest.slice(1)}: ` : '';
      const text = `${where}${e.detail}`;
      if (owner) byField.set(owner, [...(byField.get(owner) || []), text]);
      const label = owner ? fields.get(owner).f.label : (e.pointer || 'the policy');
      items.push(h('li', {}, owner ? h('a', {href: `#${fields.get(owner).w.control.id}`,
        onclick: (ev) => { ev.preventDefault(); fields.get(owner).w.control.focus(); }}, label) : label, `: ${text}`));
    }
    for (const [p, texts] of byField) setFieldError(fields.get(p).w, texts.join('; '));
    replace(summary, message('bad', h('strong', {}, `Not saved: ${errors.length} invalid field` +
      `${errors.length === 1 ? '' : 's'}.`), h('ul', {}, items)));
    const first = [...fields.values()].find(({w}) => w.control.getAttribute('aria-invalid') === 'true');
    if (first) first.w.control.focus();
  }

  /** 412: someone saved first. Their revision is shown beside ours; nothing is overwritten. */
  async function showConflict() {
    const now = await call('GET', `/tenants/${seg(t)}/policies/${seg(id)}`);
    if (!now.ok) {
      replace(conflict, message('bad', 'Not saved: this policy changed since you opened it.', ' ', explain(now)));
      return;
    }
    const history = await call('GET', `/tenants/${seg(t)}/policies/${seg(id)}/revisions`);
    const latest = history.ok ? history.data[history.data.length - 1] : null;
    replace(conflict, message('bad',
      h('strong', {}, 'Conflict: not saved. '),
      `Someone changed this policy since you opened revision ${base.doc.revision}: it is now at revision ` +
      `${now.data.revision}${latest ? ` (by ${latest.author})` : ''}. Your edits are still in the form below; ` +
      'nothing was overwritten.',
      h('h2', {}, `What changed between revision ${base.doc.revision} and revision ${now.data.revision}`),
      renderDiff(strip(base.doc), strip(now.data), 'changes made by the other edit'),
      h('div', {class: 'actions'}, h('button', {type: 'button', class: 'secondary', id: 'load-current',
        onclick: () => {
          base = {etag: now.etag, doc: now.data};
          clearErrors();
          fill(now.data);
          flash('', `Loaded revision ${now.data.revision}; your edits were discarded.`);
        }}, `Discard my edits and load revision ${now.data.revision}`))));
    conflict.querySelector('[role=alert]')?.focus?.();
  }

  async function remove() {
    if (!confirm(`Delete policy ${base.doc.name}? Its history stays and it can be restored.`)) return;
    const r = await call('DELETE', `/tenants/${seg(t)}/policies/${seg(id)}`, {ifMatch: base.etag});
    if (r.ok) {
      flash('good', `Deleted ${base.doc.name}. Its revisions stay readable and restorable.`);
      go(`#/t/${t}/policies/${id}/revisions`);
    } else if (r.status === 412) {
      await showConflict();
    } else {
      replace(summary, message('bad', explain(r)));
    }
  }
}

/** The document without what the server assigns, so a diff shows only what an admin wrote. */
function strip(doc) {
  if (!doc) return {};
  const {id, revision, ...rest} = doc;
  return rest;
}

export async function revisionsView(main, t, id) {
  const r = await call('GET', `/tenants/${seg(t)}/policies/${seg(id)}/revisions`);
  if (!r.ok) return replace(main, h('h1', {}, 'Revisions'), message('bad', explain(r)));
  const revs = r.data;
  const latest = revs[revs.length - 1];
  const docs = revs.filter((v) => !v.deleted);
  const name = latest.name;
  const writable = canWrite(t);
  let from = docs.length > 1 ? docs[docs.length - 2].revision : docs[0]?.revision;
  let to = docs[docs.length - 1]?.revision;
  const diffBox = h('div', {id: 'revision-diff', 'aria-live': 'polite'});
  const result = h('div', {id: 'restore-result'});

  const rows = revs.map((v) => h('tr', {},
    h('td', {}, String(v.revision)),
    h('td', {}, time(v.created_at)),
    h('td', {}, v.author),
    h('td', {}, v.deleted ? 'deleted' : v.name),
    h('td', {}, v.deleted ? '' : radio('from', v.revision)),
    h('td', {}, v.deleted ? '' : radio('to', v.revision)),
    h('td', {}, writable && !v.deleted && v !== latest
      ? h('button', {type: 'button', class: 'secondary', 'data-restore': v.revision,
        onclick: () => restore(v.revision)}, `Restore revision ${v.revision}`) : '')));

  replace(main, h('h1', {}, `Revisions of ${name}`),
    latest.deleted ? message('warn', 'This policy is deleted. Restore a revision to bring it back under the same id.')
      : h('p', {}, h('a', {href: `#/t/${t}/policies/${id}`}, 'Edit the current revision')),
    result,
    table(['Revision', 'When', 'Author', 'Name', 'Compare from', 'Compare to', ''], rows, `Revisions of ${name}`),
    h('h2', {}, 'Difference'), diffBox);
  showDiff();

  function radio(which, n) {
    return h('input', {type: 'radio', name: `diff-${which}`, value: n, checked: (which === 'from' ? from : to) === n,
      'aria-label': `compare ${which} revision ${n}`,
      onchange: () => { if (which === 'from') from = n; else to = n; showDiff(); }});
  }

  function showDiff() {
    const a = revs.find((v) => v.revision === from);
    const b = revs.find((v) => v.revision === to);
    if (!a || !b) return replace(diffBox, h('p', {}, 'Only one revision holds a document: nothing to compare.'));
    replace(diffBox, h('p', {}, `From revision ${a.revision} to revision ${b.revision}:`),
      renderDiff(strip(a.document), strip(b.document), `difference from revision ${a.revision} to ${b.revision}`));
  }

  async function restore(n) {
    const x = await call('POST', `/tenants/${seg(t)}/policies/${seg(id)}/revisions/${n}/restore`,
      {ifMatch: tag(latest.revision)});
    if (x.ok) {
      flash('good', `Restored revision ${n}: ${x.data.name} is now at revision ${x.data.revision}.`);
      await revisionsView(main, t, id);
      focusMain();
    } else {
      replace(result, message('bad', x.status === 412
        ? 'Not restored: the policy changed since this history was loaded (412). Reload the page to see it.'
        : explain(x)));
    }
  }
}
