// What the page knows while someone is signed in, shared by its modules. Memory only:
// patient data is never put in localStorage/sessionStorage or in the page's URL.

export const state = {
  session: null,          // the answer of GET /v1/session: {name, role, wards, csrf_token, …}
  wards: [],              // [{id, name, printer?}]
  ward: null,             // selected ward id
  search: null,           // {hospital_number, name} while a search is shown
  docs: [],               // what the list shows
  listKey: '',            // fingerprint of what is drawn, to redraw only on change
  printers: [],           // GET /v1/printers' answer
  stuckAfterSeconds: 120, // the session's stuck_after_seconds (printing.stuck_after_seconds)
  selectedId: null,
  selectedDoc: null,
  trackedJobs: new Map(), // job id -> last announced state, for reprints made here
  shownStates: new Map(), // document id -> display state key, to announce changes
  pollTimer: null,
  pollSeq: 0,
  offline: false,
  lastActivity: Date.now(),
  pausedSession: null,    // the session while paused, for signing out from there
};

export function wardName(id) {
  const ward = state.wards.find((w) => w.id === id);
  return ward ? (ward.name || ward.id) : id;
}

// The ward's own printer, or null when it has none.
export function wardPrinter(wardId) {
  const ward = state.wards.find((w) => w.id === wardId);
  return ward && ward.printer ? ward.printer : null;
}

// A printer's name for nurses (printers.<id>.name in the configuration), or its id.
export function printerName(id) {
  const printer = state.printers.find((p) => p.name === id);
  return (printer && printer.display_name) || id;
}

// What states.js's docDisplayState needs to know beyond the document, as of now.
export function displayView() {
  return { printerName, printers: state.printers, stuckAfterMs: state.stuckAfterSeconds * 1000, now: Date.now() };
}
