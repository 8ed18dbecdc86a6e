// The admin API (SPEC §8, /openapi.yaml), and nothing else: the console has no back door.
import {token} from './auth.js';

export const BASE = '/admin/v1';

/**
 * One call. Resolves to {status, ok, etag, data, problem}: data is the JSON body of a success, problem the RFC 9457
 * body of a refusal (or a stand-in when the body is not one). Never throws for an HTTP status; a 401 also fires
 * 'kerbex:unauthorized' so the page can ask for a new token.
 */
export async function call(method, path, {body, ifMatch, query} = {}) {
  const headers = {Accept: 'application/json, application/problem+json'};
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (ifMatch) headers['If-Match'] = ifMatch;
  let url = BASE + path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    if ([...q].length) url += `?${q}`;
  }
  let r;
  try {
    r = await fetch(url, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit'});
  } catch (e) {
    return {status: 0, ok: false, problem: {title: 'Network error', detail: `Kerbex did not answer (${e.message})`}};
  }
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  const result = {status: r.status, ok: r.ok, etag: r.headers.get('ETag')};
  if (r.ok) result.data = json;
  else result.problem = json && typeof json === 'object' ? json : {title: `HTTP ${r.status}`};
  if (r.status === 401) window.dispatchEvent(new CustomEvent('kerbex:unauthorized'));
  return result;
}

/** Path segment, percent-encoded (client ids may hold any visible character). */
export function seg(s) {
  return encodeURIComponent(s);
}

/** The If-Match value for a revision or version number. */
export function tag(n) {
  return `"${n}"`;
}

/** One sentence saying why a call was refused, in the terms an admin acts on. */
export function explain(r) {
  const p = r.problem || {};
  const detail = p.detail ? `: ${p.detail}` : '';
  switch (r.status) {
    case 0: return p.detail;
    case 401: return 'Not signed in, or the token expired (401). Sign in again.';
    case 403: return `Refused by the admin API: your role does not allow this change (403)${detail}.`;
    case 404: return `Not found (404)${detail}. It may have been deleted, or your role does not cover this tenant.`;
    case 409: return `Not done: conflict (409)${detail}.`;
    case 412: return 'Not saved: someone else changed it since you loaded it (412). Nothing was overwritten.';
    case 413: return `Too large (413)${detail}.`;
    case 428: return `Refused: the version you edit was not named (428)${detail}.`;
    case 429: return `Too many requests (429)${detail}.`;
    default: return `${p.title || 'Refused'} (${r.status})${detail}.`;
  }
}
