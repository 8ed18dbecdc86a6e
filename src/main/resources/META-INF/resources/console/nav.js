// What the views share with the page shell (app.js): a status message, a route change, the focus. The views import
// this, not app.js, so that no module imports one that imports it back.
import {replace, message} from './dom.js';

/** A message that outlives the next page drawn (announced politely). */
export function flash(kind, text) {
  replace(document.getElementById('status'), message(kind, text));
}

/** Goes to a route; going to the route already shown draws it anew (app.js routes on every hashchange). */
export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

export function focusMain() {
  document.getElementById('main').focus();
}
