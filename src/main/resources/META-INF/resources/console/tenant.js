// The other pages of a tenant: evaluate, clients, trusted issuers, signing keys, audit events.
import {call, explain, seg} from './api.js';
import {canWrite} from './auth.js';
import {h, replace, field, setFieldError, lines, message, table, time, uid} from './dom.js';
import {flash} from './nav.js';

const SUBJECT_TYPES = ['urn:kerbex:token-type:kerberos-ap-req', 'urn:ietf:params:oauth:token-type:jwt',
  'urn:ietf:params:oauth:token-type:access_token'];
const REQUESTED_TYPES = ['', 'urn:ietf:params:oauth:token-type:access_token', 'urn:ietf:params:oauth:token-type:jwt',
  'urn:kerbex:token-type:kerberos-krb-cred', 'urn:kerbex:token-type:kerberos-ccache'];

function text(name, attrs = {}) {
  return h('input', {type: 'text', name, autocomplete: 'off', ...attrs});
}

function select(name, options, labels = {}) {
  return h('select', {name}, options.map((o) => h('option', {value: o}, labels[o] ?? o)));
}

/** Shows a 400's field errors beside the fields named by pointer (nearest enclosing one); the rest in `summary`. */
function fieldErrors(summary, fields, r) {
  for (const w of Object.values(fields)) setFieldError(w, '');
  if (r.status !== 400 || !Array.isArray(r.problem.errors)) {
    replace(summary, message('bad', explain(r)));
    return;
  }
  const unplaced = [];
  const texts = {};
  for (const e of r.problem.errors) {
    const owner = Object.keys(fields).filter((p) => e.pointer === p || e.pointer.startsWith(`${p}/`))
      .sort((a, b) => b.length - a.length)[0];
    if (owner) (texts[owner] ??= []).push(e.detail);
    else unplaced.push(h('li', {}, `${e.pointer || '(body)'}: ${e.detail}`));
  }
  for (const [p, t] of Object.entries(texts)) setFieldError(fields[p], t.join('; '));
  replace(summary, message('bad', `${r.problem.errors.length} invalid field${r.problem.errors.length === 1 ? '' : 's'}` +
    ' (shown beside each).', unplaced.length ? h('ul', {}, unplaced) : null));
  const first = Object.values(fields).find((w) => w.control.getAttribute('aria-invalid') === 'true');
  if (first) first.control.focus();
}

// ---- evaluate ----

export function evaluateView(main, t) {
  const f = {
    '/client_id': field('Client', text('client_id'), {hint: 'The client_id making the token request.'}),
    '/subject_token_type': field('Subject token type', select('subject_token_type', SUBJECT_TYPES)),
    '/subject/principal': field('Subject principal', text('principal'),
      {hint: 'A Kerberos subject, e.g. alice@EXAMPLE.TEST. Or fill sub and iss for a JWT subject.'}),
    '/subject/sub': field('Subject sub', text('sub')),
    '/subject/iss': field('Subject iss', text('iss')),
    '/subject/scope': field('Subject token scope', text('subject_scope'), {hint: 'The JWT subject\'s own scope.'}),
    '/audience': field('Audience', h('textarea', {name: 'audience', rows: 2}), {hint: 'One per line.'}),
    '/resource': field('Resource', h('textarea', {name: 'resource', rows: 1}), {hint: 'One per line.'}),
    '/scope': field('Requested scope', text('scope'), {hint: 'Space-separated; empty: the default scopes.'}),
    '/requested_token_type': field('Requested token type', select('requested_token_type', REQUESTED_TYPES,
      {'': '(default: access token)'})),
    '/actor': field('Actor', text('actor'), {hint: 'Principal or sub of the actor token (delegation).'}),
    '/actor_issuer': field('Actor issuer', text('actor_issuer'), {hint: 'For an actor token of a trusted issuer.'}),
    '/subject/may_act': field('Subject may_act', h('textarea', {name: 'may_act', rows: 1}), {hint: 'One per line.'}),
    '/source_address': field('Source address', text('source_address'), {hint: 'An IP literal.'}),
    '/subject/expires_in': field('Subject time left', text('expires_in'), {hint: 'ISO-8601, default PT10H.'}),
    '/subject/group_sids': field('Subject group SIDs', h('textarea', {name: 'group_sids', rows: 2}),
      {hint: 'The group SIDs an Active Directory PAC would carry, one per line; the tenant\'s group_names name them.'}),
  };
  const summary = h('div', {});
  const out = h('section', {id: 'evaluate-result', 'aria-live': 'polite', 'aria-label': 'Decision'});
  const form = h('form', {novalidate: true},
    h('p', {class: 'muted'}, 'A dry run of the token endpoint\'s decision over the stored policies. ' +
      'Nothing is issued; the token and the client are not verified.'),
    h('fieldset', {}, h('legend', {}, 'Request'), f['/client_id'], f['/audience'], f['/resource'], f['/scope'],
      f['/requested_token_type'], f['/source_address']),
    h('fieldset', {}, h('legend', {}, 'Subject'), f['/subject_token_type'], f['/subject/principal'],
      f['/subject/sub'], f['/subject/iss'], f['/subject/scope'], f['/subject/may_act'], f['/subject/expires_in'],
      f['/subject/group_sids']),
    h('fieldset', {}, h('legend', {}, 'Delegation'), f['/actor'], f['/actor_issuer']),
    h('div', {class: 'actions'}, h('button', {type: 'submit', id: 'run-evaluate'}, 'Evaluate')));
  replace(main, h('h1', {}, 'Evaluate'), summary, form, out);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = (k) => f[k].control.value.trim();
    const subject = {};
    for (const k of ['principal', 'sub', 'iss', 'scope', 'expires_in']) {
      const val = v(`/subject/${k}`);
      if (val) subject[k] = val;
    }
    const mayAct = lines(f['/subject/may_act'].control.value);
    if (mayAct.length) subject.may_act = mayAct;
    const groupSids = lines(f['/subject/group_sids'].control.value);
    if (groupSids.length) subject.group_sids = groupSids;
    const body = {client_id: v('/client_id'), subject_token_type: v('/subject_token_type'), subject};
    for (const k of ['scope', 'requested_token_type', 'actor', 'actor_issuer', 'source_address']) {
      if (v(`/${k}`)) body[k] = v(`/${k}`);
    }
    for (const k of ['audience', 'resource']) {
      const l = lines(f[`/${k}`].control.value);
      if (l.length) body[k] = l;
    }
    const r = await call('POST', `/tenants/${seg(t)}/evaluate`, {body});
    if (!r.ok) {
      fieldErrors(summary, f, r);
      replace(out);
      return;
    }
    for (const w of Object.values(f)) setFieldError(w, '');
    replace(summary);
    const d = r.data;
    replace(out, h('h2', {}, 'Decision'),
      h('p', {class: `decision ${d.decision}`, id: 'decision'}, d.decision === 'allow' ? 'Allowed' : 'Denied'),
      h('dl', {},
        d.policy ? [h('dt', {}, 'Decided by'), h('dd', {id: 'deciding-policy'},
          `${d.policy.name} (revision ${d.policy.revision}, ${d.policy.effect})`)] : null,
        d.error ? [h('dt', {}, 'Token endpoint would answer'), h('dd', {id: 'decision-error'},
          `${d.error}${d.error_description ? `: ${d.error_description}` : ''}`)] : null,
        d.scope !== undefined ? [h('dt', {}, 'Granted scope'), h('dd', {id: 'granted-scope'}, d.scope)] : null,
        d.expires_in !== undefined ? [h('dt', {}, 'Lifetime'), h('dd', {}, `${d.expires_in} s`)] : null,
        d.groups && d.groups.length ? [h('dt', {}, 'Deciding groups'), h('dd', {id: 'deciding-groups'},
          d.groups.join(', '))] : null),
      h('h2', {}, 'Every policy'),
      table(['Policy', 'Effect', 'Revision', 'Matched', 'Why not'], d.policies.map((p) => h('tr', {},
        h('td', {}, p.name), h('td', {}, p.effect), h('td', {}, String(p.revision)),
        h('td', {}, p.matched ? 'yes' : 'no'), h('td', {}, p.reason || ''))), 'How each policy fared'));
  });
}

// ---- clients ----

export async function clientsView(main, t) {
  const r = await call('GET', `/tenants/${seg(t)}/clients`);
  if (!r.ok) return replace(main, h('h1', {}, 'Clients'), message('bad', explain(r)));
  const writable = canWrite(t);
  const secretBox = h('div', {id: 'client-secret'});
  const result = h('div', {});
  replace(main, h('h1', {}, 'Clients'), secretBox, result,
    table(['Client', 'Kerberos principal', 'Audiences', 'Exchanges', 'Secret', 'Updated', ''], r.data.map((c) => h('tr', {},
      h('td', {}, c.client_id), h('td', {}, c.kerberos_principal || ''), h('td', {}, (c.audiences || []).join(', ')),
      h('td', {}, c.grant_types.length ? 'yes' : 'no'), h('td', {}, c.has_secret ? 'set' : 'none'),
      h('td', {}, time(c.updated_at)),
      h('td', {}, writable ? h('div', {class: 'actions'},
        h('a', {href: `#/t/${t}/clients/${encodeURIComponent(c.client_id)}`}, `Edit ${c.client_id}`),
        h('button', {type: 'button', class: 'secondary', onclick: () => rotate(c.client_id)},
          `Rotate secret of ${c.client_id}`),
        h('button', {type: 'button', class: 'danger', onclick: () => remove(c.client_id)},
          `Delete ${c.client_id}`)) : ''))), 'Clients'),
    writable ? createForm() : h('p', {class: 'muted'}, 'Read-only: your role lets you view clients, not change them.'));

  async function rotate(clientId) {
    if (!confirm(`Generate a new secret for ${clientId}? The current one stops working at once.`)) return;
    const x = await call('POST', `/tenants/${seg(t)}/clients/${seg(clientId)}/secret`);
    if (x.ok) showSecret(secretBox, clientId, x.data.client_secret);
    else replace(result, message('bad', explain(x)));
  }

  async function remove(clientId) {
    if (!confirm(`Delete client ${clientId}? Its token requests are refused from now on.`)) return;
    const current = await call('GET', `/tenants/${seg(t)}/clients/${seg(clientId)}`);
    const x = current.ok
      ? await call('DELETE', `/tenants/${seg(t)}/clients/${seg(clientId)}`, {ifMatch: current.etag}) : current;
    if (x.ok) {
      flash('good', `Deleted client ${clientId}.`);
      await clientsView(main, t);
    } else {
      replace(result, message('bad', explain(x)));
    }
  }

  function createForm() {
    const f = {
      '/client_id': field('Client id', text('client_id')),
      '/kerberos_principal': field('Kerberos principal', text('kerberos_principal'),
        {hint: 'Optional: lets this service exchange its own Kerberos ticket without a secret.'}),
      '/audiences': field('Audiences', h('textarea', {name: 'audiences', rows: 1}),
        {hint: 'Optional: extra aud values that count as this client. One per line.'}),
      '/rate_limit': field('Rate limit', text('rate_limit', {inputmode: 'numeric'}),
        {hint: 'Optional: token requests per second.'}),
    };
    const summary = h('div', {});
    const form = h('form', {novalidate: true}, h('h2', {}, 'New client'), summary,
      Object.values(f), h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Create client')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = {client_id: f['/client_id'].control.value.trim()};
      const kp = f['/kerberos_principal'].control.value.trim();
      if (kp) body.kerberos_principal = kp;
      const aud = lines(f['/audiences'].control.value);
      if (aud.length) body.audiences = aud;
      const rl = f['/rate_limit'].control.value.trim();
      if (rl) body.rate_limit = /^\d+$/.test(rl) ? Number(rl) : rl;
      const x = await call('POST', `/tenants/${seg(t)}/clients`, {body});
      if (!x.ok) return fieldErrors(summary, f, x);
      await clientsView(main, t);
      flash('good', `Created client ${x.data.client_id}.`);
      showSecret(main.querySelector('#client-secret'), x.data.client_id, x.data.client_secret);
    });
    return form;
  }
}

/** A secret the API generated, shown this once, selected for copying; "hide" removes it from the page. */
function showSecret(box, clientId, secret) {
  const input = h('input', {type: 'text', readonly: true, class: 'secret', value: secret, id: 'new-secret'});
  replace(box, message('warn', h('strong', {}, `Secret of ${clientId}. It is shown this once: store it now.`),
    field('Client secret', input),
    h('div', {class: 'actions'}, h('button', {type: 'button', onclick: () => replace(box)}, 'I have stored it: hide'))));
  input.focus();
  input.select();
}

// ---- trusted issuers ----

const ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

export async function issuersView(main, t) {
  const r = await call('GET', `/tenants/${seg(t)}/trusted-issuers`);
  if (!r.ok) return replace(main, h('h1', {}, 'Trusted issuers'), message('bad', explain(r)));
  const writable = canWrite(t);
  const result = h('div', {});
  replace(main, h('h1', {}, 'Trusted issuers'),
    h('p', {class: 'muted'}, 'External issuers whose JWTs this tenant accepts as subject and actor tokens.'), result,
    r.data.length === 0 ? h('p', {}, 'None.') : table(['Issuer', 'JWKS URI', 'Algorithms', 'Updated', ''],
      r.data.map((i) => h('tr', {}, h('td', {}, i.issuer), h('td', {}, i.jwks_uri || ''),
        h('td', {}, (i.algorithms || ['ES256', 'RS256']).join(', ')), h('td', {}, time(i.updated_at)),
        h('td', {}, writable ? h('div', {class: 'actions'},
          h('a', {href: `#/t/${t}/issuers/${encodeURIComponent(i.id)}`}, `Edit ${i.issuer}`),
          h('button', {type: 'button', class: 'danger', onclick: () => remove(i)}, `Remove ${i.issuer}`)) : ''))),
      'Trusted issuers'),
    writable ? addForm() : h('p', {class: 'muted'}, 'Read-only: your role lets you view issuers, not change them.'));

  async function remove(i) {
    if (!confirm(`Stop trusting ${i.issuer}?`)) return;
    const current = await call('GET', `/tenants/${seg(t)}/trusted-issuers/${seg(i.id)}`);
    const x = current.ok
      ? await call('DELETE', `/tenants/${seg(t)}/trusted-issuers/${seg(i.id)}`, {ifMatch: current.etag}) : current;
    if (!x.ok) return replace(result, message('bad', explain(x)));
    flash('good', `Removed ${i.issuer}.`);
    await issuersView(main, t);
  }

  function addForm() {
    const algs = ALGORITHMS.map((a) => h('label', {}, h('input', {type: 'checkbox', value: a}), ` ${a} `));
    const algId = uid('algs');
    const algWrap = h('div', {class: 'field', role: 'group', 'aria-labelledby': algId},
      h('span', {class: 'label', id: algId}, 'Algorithms'), h('div', {}, algs),
      h('div', {class: 'hint'}, 'None ticked: ES256 and RS256.'), h('div', {class: 'error', id: `${algId}-error`}));
    algWrap.control = algWrap;
    algWrap.error = algWrap.lastChild;
    const f = {
      '/issuer': field('Issuer', text('issuer'), {hint: 'The exact iss of its tokens, e.g. https://idp.example.com'}),
      '/jwks_uri': field('JWKS URI', text('jwks_uri')),
      '/algorithms': algWrap,
    };
    const summary = h('div', {});
    const form = h('form', {novalidate: true}, h('h2', {}, 'Trust an issuer'), summary, Object.values(f),
      h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Add trusted issuer')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = {issuer: f['/issuer'].control.value.trim(), jwks_uri: f['/jwks_uri'].control.value.trim()};
      const chosen = algs.map((l) => l.firstChild).filter((c) => c.checked).map((c) => c.value);
      if (chosen.length) body.algorithms = chosen;
      const x = await call('POST', `/tenants/${seg(t)}/trusted-issuers`, {body});
      if (!x.ok) return fieldErrors(summary, f, x);
      flash('good', `Now trusting ${x.data.issuer}.`);
      await issuersView(main, t);
    });
    return form;
  }
}

// ---- keys ----

export async function keysView(main, t) {
  const r = await call('GET', `/tenants/${seg(t)}/keys`);
  if (!r.ok) return replace(main, h('h1', {}, 'Signing keys'), message('bad', explain(r)));
  const result = h('div', {});
  replace(main, h('h1', {}, 'Signing keys'), result,
    table(['Key id', 'Algorithm', 'Status', 'Created', 'Retired', 'In the JWKS until'], r.data.map((k) => h('tr', {},
      h('td', {}, h('code', {}, k.kid)), h('td', {}, k.algorithm), h('td', {}, k.status), h('td', {}, time(k.created_at)),
      h('td', {}, time(k.retired_at)), h('td', {}, time(k.published_until)))), 'Signing keys'),
    canWrite(t) ? h('div', {class: 'actions'}, h('button', {type: 'button', id: 'rotate-key', onclick: rotate},
      'Rotate the signing key')) : h('p', {class: 'muted'}, 'Read-only: your role lets you view keys, not rotate them.'),
    h('p', {class: 'muted'}, 'A rotation signs new tokens with a new key at once; the previous key stays in the JWKS ' +
      'until every token it signed has expired.'));

  async function rotate() {
    if (!confirm('Rotate the signing key of this tenant now?')) return;
    const x = await call('POST', `/tenants/${seg(t)}/keys/rotate`);
    if (!x.ok) return replace(result, message('bad', explain(x)));
    flash('good', `New active key ${x.data.kid}.`);
    await keysView(main, t);
  }
}

// ---- audit events ----

export function auditView(main, t) {
  const f = {
    from: field('From', h('input', {type: 'datetime-local', name: 'from', step: 1}), {hint: 'Your local time; inclusive.'}),
    to: field('To', h('input', {type: 'datetime-local', name: 'to', step: 1}), {hint: 'Exclusive.'}),
    outcome: field('Outcome', select('outcome', ['', 'issued', 'refused', 'error', 'success', 'failure'], {'': 'any'})),
    kind: field('Kind', select('kind', ['', 'token_exchange', 'introspection', 'revocation', 'admin'], {'': 'any'})),
    client_id: field('Client', text('client_id')),
    subject: field('Subject', text('subject'), {hint: 'Exactly as recorded, e.g. alice@EXAMPLE.TEST.'}),
    audience: field('Audience', text('audience')),
    limit: field('Per page', text('limit', {inputmode: 'numeric', value: '50'}), {hint: '1 to 500.'}),
  };
  const summary = h('div', {});
  const out = h('section', {id: 'audit-result', 'aria-label': 'Audit events'});
  const form = h('form', {novalidate: true}, h('fieldset', {}, h('legend', {}, 'Filters (all must hold)'),
    Object.values(f)), h('div', {class: 'actions'}, h('button', {type: 'submit', id: 'audit-search'}, 'Show events')));
  replace(main, h('h1', {}, 'Audit events'), form, summary, out);
  let filters = null;
  let pages = [];

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    filters = {};
    for (const [k, w] of Object.entries(f)) {
      const v = w.control.value.trim();
      if (!v) continue;
      filters[k] = (k === 'from' || k === 'to') ? new Date(v).toISOString() : v;
    }
    pages = [];
    load(null);
  });
  form.requestSubmit();

  async function load(cursor) {
    const r = await call('GET', `/tenants/${seg(t)}/audit-events`, {query: {...filters, cursor}});
    if (!r.ok) {
      replace(summary, message('bad', explain(r)));
      replace(out);
      return;
    }
    replace(summary);
    pages.push(cursor);
    const page = r.data;
    replace(out, h('p', {class: 'muted'}, `Page ${pages.length}: ${page.events.length} events, newest first.`),
      table(['When', 'Kind', 'Outcome', 'Who', 'Client', 'Subject', 'Audiences', 'Reason', ''],
        page.events.map((ev) => h('tr', {},
          h('td', {}, time(ev.occurred_at)), h('td', {}, ev.kind), h('td', {}, ev.outcome),
          h('td', {}, ev.actor || ''), h('td', {}, ev.client_id || ''), h('td', {}, ev.subject || ''),
          h('td', {}, (ev.audiences || []).join(', ')),
          h('td', {}, [ev.error, ev.reason].filter(Boolean).join(': ')),
          h('td', {}, h('details', {}, h('summary', {}, 'Details'),
            h('pre', {}, JSON.stringify(ev, null, 2)))))), 'Audit events'),
      h('div', {class: 'actions'},
        pages.length > 1 ? h('button', {type: 'button', class: 'secondary', onclick: () => {
          pages.pop();
          const prev = pages.pop();
          load(prev);
        }}, 'Previous page') : null,
        page.next_cursor ? h('button', {type: 'button', id: 'audit-next', onclick: () => load(page.next_cursor)},
          'Next page') : h('span', {class: 'muted'}, 'No more events.')));
  }
}
