// The Kerbex console: a page of plain ES modules over the admin API. Routes live in the fragment (#/t/acme/policies),
// which holds names and ids only, never a token.
import {call, explain} from './api.js';
import * as auth from './auth.js';
import {h, replace, field, message} from './dom.js';
import {listView, editView, revisionsView} from './policies.js';
import {evaluateView, clientsView, issuersView, keysView, auditView} from './tenant.js';
import {clientEditView, issuerEditView} from './edit.js';

const main = document.getElementById('main');
const status = document.getElementById('status');
const nav = document.getElementById('tenant-nav');
const who = document.getElementById('who');
let config = {oidc: null};
let signInNote = null;
let checkingToken = false;

const PAGES = [['policies', 'Policies'], ['evaluate', 'Evaluate'], ['clients', 'Clients'],
  ['issuers', 'Trusted issuers'], ['keys', 'Signing keys'], ['audit', 'Audit events']];

async function route() {
  if (!auth.token()) return signInPage();
  header(null, null);
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] !== 't' || !parts[1]) return tenantsPage();
  const [, t, page = 'policies', id, sub] = parts;
  header(t, page);
  if (page === 'policies') {
    if (!id) await listView(main, t);
    else if (id === 'new') await editView(main, t, null);
    else if (sub === 'revisions') await revisionsView(main, t, id);
    else await editView(main, t, id);
  } else if (page === 'evaluate') evaluateView(main, t);
  else if (page === 'clients') await (id ? clientEditView(main, t, id) : clientsView(main, t));
  else if (page === 'issuers') await (id ? issuerEditView(main, t, id) : issuersView(main, t));
  else if (page === 'keys') await keysView(main, t);
  else if (page === 'audit') auditView(main, t);
  else replace(main, h('h1', {}, 'Not found'), h('p', {}, 'No such page.'));
}

function header(t, page) {
  const left = auth.secondsLeft();
  const role = t ? {write: 'admin', read: 'viewer', unknown: ''}[auth.access(t)] : '';
  replace(who, h('span', {id: 'signed-in-as'}, `${auth.callerName()}${role ? ` (${role} of ${t})` : ''}`),
    left !== null && left < 300 ? h('span', {class: 'muted'}, left > 0 ? `token expires in ${left} s` : 'token expired')
      : null,
    h('button', {type: 'button', class: 'secondary', id: 'sign-out', onclick: () => {
      auth.signOut();
      replace(status);
      location.hash = '';
      signInPage();
    }}, 'Sign out'));
  if (!t) return replace(nav, h('ul', {}, h('li', {}, h('a', {href: '#/'}, 'Tenants'))));
  replace(nav, h('ul', {}, h('li', {}, h('a', {href: '#/'}, 'Tenants')), h('li', {}, h('strong', {}, t)),
    PAGES.map(([p, label]) => h('li', {}, h('a', {href: `#/t/${t}/${p}`, 'aria-current': p === page ? 'page' : null},
      label)))));
}

async function tenantsPage() {
  const r = await call('GET', '/tenants');
  if (!r.ok) return replace(main, h('h1', {}, 'Tenants'), message('bad', explain(r)));
  if (r.data.length === 1 && !location.hash) {
    location.hash = `#/t/${r.data[0].id}/policies`;
    return;
  }
  replace(main, h('h1', {}, 'Tenants'), r.data.length === 0
    ? h('p', {}, 'Your token carries no role for any tenant.')
    : h('ul', {}, r.data.map((t) => h('li', {}, h('a', {href: `#/t/${t.id}/policies`}, t.id),
      t.realms?.length ? h('span', {class: 'muted'}, ` (realms ${t.realms.join(', ')})`) : null))));
}

function signInPage() {
  replace(nav);
  replace(who);
  const tokenBox = h('textarea', {id: 'token', name: 'token', rows: 4, autocomplete: 'off', spellcheck: 'false',
    required: true});
  const tokenField = field('Admin bearer token', tokenBox, {hint: 'A JWT the admin API accepts, with a roles claim ' +
    '(kerbex-admin, tenant-admin:<tenant> or tenant-viewer:<tenant>). It is kept in this browser tab only ' +
    '(sessionStorage) and sent only to this Kerbex\'s admin API.'});
  const problem = h('div', {id: 'sign-in-problem'});
  const form = h('form', {novalidate: true, 'aria-labelledby': 'paste-title'},
    h('h2', {id: 'paste-title'}, config.oidc ? 'Or paste a bearer token' : 'Paste a bearer token'), tokenField,
    h('div', {class: 'actions'}, h('button', {type: 'submit', id: 'sign-in'}, 'Sign in')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = tokenBox.value.trim();
    if (!value) return replace(problem, message('bad', 'Paste a token first.'));
    auth.signIn(value);
    checkingToken = true;
    const r = await call('GET', '/tenants');
    checkingToken = false;
    if (r.status === 401) {
      auth.signOut();
      replace(problem, message('bad', 'The admin API refused this token (401): it is expired, malformed, or not ' +
        'signed by the issuer Kerbex is configured with.'));
      tokenBox.focus();
      return;
    }
    signInNote = null;
    replace(status);
    route();
  });
  replace(main, h('h1', {}, 'Sign in'),
    signInNote ? message('warn', signInNote) : null, problem,
    config.oidc ? h('section', {'aria-labelledby': 'oidc-title'}, h('h2', {id: 'oidc-title'}, 'With your identity provider'),
      h('div', {class: 'actions'}, h('button', {type: 'button', id: 'oidc-sign-in', onclick: async () => {
        try {
          await auth.startLogin(config.oidc);
        } catch (err) {
          replace(problem, message('bad', `Sign-in could not start: ${err.message}`));
        }
      }}, `Sign in with ${config.oidc.issuer}`))) : null,
    form);
  tokenBox.focus();
}

window.addEventListener('kerbex:unauthorized', () => {
  if (!auth.token() || checkingToken) return;
  auth.signOut();
  signInNote = 'Your session ended: the admin API no longer accepts the token (401). Sign in again.';
  // After the page that made the call has drawn its own message.
  setTimeout(signInPage, 0);
});
window.addEventListener('hashchange', () => {
  route();
});

async function start() {
  try {
    const r = await fetch('/console/config.json', {cache: 'no-store'});
    if (r.ok) config = await r.json();
  } catch {
    // the paste sign-in works without it
  }
  if (config.oidc) {
    try {
      await auth.finishLogin(config.oidc);
    } catch (err) {
      signInNote = `Sign-in failed: ${err.message}`;
    }
  }
  await route();
}

start();
