// Keeping the page up to date while someone is signed in: the list and the printers every
// few seconds, until the page has been idle too long (then the session module pauses it).

import { refreshList } from './list.js';
import { refreshPrinters } from './printers.js';
import { idleTooLong, pauseForIdle } from './session.js';
import { state } from './state.js';

const POLL_MS = 5000;

export function startPolling() {
  stopPolling();
  const tick = async () => {
    if (idleTooLong()) return pauseForIdle();
    await refresh();
    if (state.session) state.pollTimer = window.setTimeout(tick, POLL_MS);
  };
  state.pollTimer = window.setTimeout(tick, POLL_MS);
}

export function stopPolling() {
  if (state.pollTimer) window.clearTimeout(state.pollTimer);
  state.pollTimer = null;
}

export async function refresh() {
  if (!state.session) return;
  const seq = ++state.pollSeq;
  await Promise.all([refreshList(seq), refreshPrinters()]);
}

// A refresh at once (after a search or a reprint), then polling from there.
export async function refreshNow() {
  stopPolling();
  await refresh();
  if (state.session) startPolling();
}
