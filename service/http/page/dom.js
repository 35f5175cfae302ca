// Small DOM helpers shared by the page's modules. Nothing here runs at import time.

export const $ = (id) => document.getElementById(id);

// el('p', {className: 'hint', text: '…', onclick: f, dataset: {…}}, child, [children], …):
// null, undefined and false attributes or children are left out.
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'className') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function show(node, visible) { node.hidden = !visible; }

// A message box: its text, its look (message--error, --info, --success) and hidden when empty.
export function setMessage(node, text, kind) {
  node.textContent = text || '';
  node.className = 'message' + (kind ? ' message--' + kind : '');
  show(node, Boolean(text));
}

// Says the text to screen readers through the page's live region.
export function announce(text) {
  const node = $('announcer');
  // Clear first so that the same words twice are still read out.
  node.textContent = '';
  window.setTimeout(() => { node.textContent = text; }, 50);
}

// Redraws `container` with draw(), keeping open the <details> (matched by data-key) that
// were open: the page redraws every few seconds, and a disclosure someone is reading must
// not snap shut.
export function keepingDetailsOpen(container, draw) {
  const open = new Set([...container.querySelectorAll('details[open][data-key]')].map((node) => node.dataset.key));
  draw();
  for (const node of container.querySelectorAll('details[data-key]')) if (open.has(node.dataset.key)) node.open = true;
}
