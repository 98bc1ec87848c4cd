// The explorer's router: the view and its filters live in the query string
// (`/explore?view=events&country=KH`), so every state is a link to share. Links marked
// `data-nav` change views without reloading; Back and Forward work.
import { h, fill } from './dom.js';
import * as timeline from './timeline.js';
import * as map from './map.js';
import * as flows from './flows.js';
import * as events from './events.js';
import * as event from './event.js';
import * as totals from './totals.js';

const VIEWS = { timeline, map, flows, events, event, totals };
const TITLES = { timeline: 'Timeline', map: 'Places', flows: 'Flows', events: 'Events',
  event: 'Event', totals: 'Totals' };

const main = document.getElementById('main');
let generation = 0;

async function show(focus) {
  const params = new URLSearchParams(location.search);
  const name = Object.hasOwn(VIEWS, params.get('view')) ? params.get('view') : 'timeline';
  const mine = ++generation;
  document.title = `${TITLES[name]} — Scam Atlas explorer`;
  for (const a of document.querySelectorAll('nav a[data-view]')) {
    if (a.dataset.view === name || (name === 'event' && a.dataset.view === 'events')) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
  main.setAttribute('aria-busy', 'true');
  const view = document.createElement('div');
  view.className = `view view-${name}`;
  try {
    await VIEWS[name].render(view, params, navigate);
  } catch (e) {
    fill(view, h('h1', { tabindex: '-1' }, 'Something went wrong'),
      h('p', { role: 'alert' }, e.message));
  }
  if (mine !== generation) return; // a later navigation won
  fill(main, view);
  main.removeAttribute('aria-busy');
  main.dataset.view = name;
  main.dataset.ready = String(mine);
  if (focus) {
    const heading = main.querySelector('h1');
    (heading || main).focus();
  }
}

/** Goes to an explorer URL, as a new history entry. */
export function navigate(url) {
  history.pushState(null, '', url);
  show(true);
  window.scrollTo(0, 0);
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-nav]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', () => show(true));
show(false);
