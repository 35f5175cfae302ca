// wardprint's JSON API as the page calls it: same-origin fetch with a deadline, the CSRF
// token on every change, and failures as ApiError (status 0 when wardprint cannot be reached).

import { state } from './state.js';

const REQUEST_TIMEOUT_MS = 15000;

export class ApiError extends Error {
  constructor(status, problem, message) {
    super(message || (problem && (problem.detail || problem.title)) || ('HTTP ' + status));
    this.status = status;
    this.problem = problem || null;   // the application/problem+json answer, if any
  }
}

// Resolves to the answer's JSON (null when it has none); rejects with an ApiError, whose
// retryAfter is the Retry-After header of a refusal.
export async function api(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store', redirect: 'error' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && state.session && state.session.csrf_token) {
    headers['X-CSRF-Token'] = state.session.csrf_token;
  }
  const controller = new AbortController();
  const timer = window.setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  init.signal = controller.signal;
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, null, err && err.name === 'AbortError'
      ? 'wardprint did not answer in time.'
      : 'wardprint cannot be reached. Check the network connection.');
  } finally {
    window.clearTimeout(timer);
  }
  let data = null;
  const type = response.headers.get('Content-Type') || '';
  if (response.status !== 204 && /json/.test(type)) {
    try { data = await response.json(); } catch (_) { data = null; }
  }
  if (!response.ok) {
    const err = new ApiError(response.status, data);
    err.retryAfter = response.headers.get('Retry-After');
    throw err;
  }
  return data;
}

// '?a=1&b=x' from the parameters that have a value; '' when none has.
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

let sessionEnded = () => {};

// Who deals with a session that has gone (set once by the session module).
export function onSessionEnded(handler) { sessionEnded = handler; }

// A request that failed because the session is gone (expired, signed out elsewhere):
// hands over to onSessionEnded's handler and returns true; false for any other failure.
export function handleAuthFailure(err) {
  if (err instanceof ApiError && err.status === 401 && state.session) {
    sessionEnded();
    return true;
  }
  return false;
}
