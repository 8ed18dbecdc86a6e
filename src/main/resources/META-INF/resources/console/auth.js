// Who is signed in: the bearer token lives in this tab's sessionStorage only (never in a URL, a cookie or
// localStorage), and is gone when the tab closes or the admin signs out.

const TOKEN = 'kerbex.console.token';
const PKCE = 'kerbex.console.pkce';

export function token() {
  return sessionStorage.getItem(TOKEN);
}

export function signIn(bearer) {
  sessionStorage.setItem(TOKEN, bearer.trim());
}

export function signOut() {
  sessionStorage.removeItem(TOKEN);
}

/**
 * The token's claims when it is a JWT, else null. Read only to shape the page (which controls to show, whose name to
 * print): the admin API verifies the token and decides every call; the console never trusts this for anything else.
 */
export function claims(bearer = token()) {
  if (!bearer) return null;
  const parts = bearer.split('.');
  if (parts.length !== 3) return null;
  try {
    const json = new TextDecoder().decode(base64urlDecode(parts[1]));
    const c = JSON.parse(json);
    return c && typeof c === 'object' ? c : null;
  } catch {
    return null;
  }
}

/** The caller's name as the audit trail writes it: sub, else preferred_username. */
export function callerName() {
  const c = claims();
  if (!c) return 'signed in';
  return c.sub || c.preferred_username || 'signed in';
}

/**
 * What the roles claim lets the caller do in tenant t, as the admin API decides it (README "Admin API"):
 * 'write' (kerbex-admin, tenant-admin:t), 'read' (tenant-viewer:t), or 'unknown' when the token carries no readable
 * roles claim (an opaque token): then every control is shown and the API's answer says what is allowed.
 */
export function access(tenant) {
  const c = claims();
  if (!c || !Array.isArray(c.roles)) return 'unknown';
  if (c.roles.includes('kerbex-admin') || c.roles.includes(`tenant-admin:${tenant}`)) return 'write';
  if (c.roles.includes(`tenant-viewer:${tenant}`)) return 'read';
  return 'unknown';
}

export function canWrite(tenant) {
  return access(tenant) !== 'read';
}

/** Seconds until the token expires (negative when it has), or null when it does not say. */
export function secondsLeft() {
  const c = claims();
  return c && typeof c.exp === 'number' ? Math.round(c.exp - Date.now() / 1000) : null;
}

// ---- Authorization code with PKCE (RFC 7636) against the admin identity provider ----

/** Sends the browser to the issuer's authorization endpoint; the verifier and state stay in sessionStorage. */
export async function startLogin(oidc) {
  const meta = await discover(oidc.issuer);
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PKCE, JSON.stringify({verifier, state, token_endpoint: meta.token_endpoint}));
  const url = new URL(meta.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', oidc.client_id);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('scope', oidc.scope);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  location.assign(url.toString());
}

/**
 * On the way back from the identity provider: exchanges the one-time code (bound to our verifier) for a token and
 * removes code and state from the address bar at once. Returns null when this page load is no such return.
 */
export async function finishLogin(oidc) {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return null;
  history.replaceState(null, '', redirectUri() + location.hash);
  const pending = JSON.parse(sessionStorage.getItem(PKCE) || 'null');
  sessionStorage.removeItem(PKCE);
  if (params.has('error')) {
    throw new Error(`the identity provider answered ${params.get('error')}` +
      (params.get('error_description') ? `: ${params.get('error_description')}` : ''));
  }
  if (!pending || pending.state !== params.get('state')) {
    throw new Error('sign-in answer does not belong to a sign-in started in this tab (state mismatch); try again');
  }
  const body = new URLSearchParams({grant_type: 'authorization_code', code: params.get('code'),
    redirect_uri: redirectUri(), client_id: oidc.client_id, code_verifier: pending.verifier});
  const r = await fetch(pending.token_endpoint, {method: 'POST', body,
    headers: {'Content-Type': 'application/x-www-form-urlencoded'}});
  const json = await r.json().catch(() => ({}));
  if (!r.ok || !json.access_token) {
    throw new Error(`the identity provider refused the code (${r.status}${json.error ? ` ${json.error}` : ''})`);
  }
  signIn(json.access_token);
  return json.access_token;
}

async function discover(issuer) {
  const r = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!r.ok) throw new Error(`the identity provider's discovery document answered ${r.status}`);
  const meta = await r.json();
  if (!meta.authorization_endpoint || !meta.token_endpoint) {
    throw new Error('the identity provider names no authorization or token endpoint');
  }
  return meta;
}

function redirectUri() {
  return `${location.origin}/console/`;
}

function base64url(bytes) {
  let s = '';
  bytes.forEach((b) => { s += String.fromCharCode(b); });
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64urlDecode(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}
