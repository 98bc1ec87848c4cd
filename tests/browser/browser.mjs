// Opening pages in Debian's headless Chromium with every request to anything but the Scam
// Atlas server blocked, and recording what a person would not see: blocked requests, script
// errors, console errors and Content-Security-Policy violations.
import puppeteer from 'puppeteer-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const ORIGIN = process.env.SCAM_ATLAS_ORIGIN;
/** A server on the rule fixtures (tests/fixtures/rules), for what the curated data lacks. */
export const FIXTURE_ORIGIN = process.env.SCAM_ATLAS_FIXTURE_ORIGIN;
if (!ORIGIN || !FIXTURE_ORIGIN) {
  throw new Error('SCAM_ATLAS_ORIGIN or SCAM_ATLAS_FIXTURE_ORIGIN is not set: run these tests through run.sh');
}
const ARTIFACTS = process.env.ARTIFACTS || '.';

export async function launch() {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Root in CI has no user namespace for Chromium's sandbox; /dev/shm is small in containers.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run'],
  });
}

/** A page whose requests may go only to its server, the origins in `allow`, and `data:` URLs;
 * everything else is
 * aborted and recorded in `page.problems.blocked`. */
export async function open(browser, path, { width = 1200, height = 900, origin = ORIGIN, allow = [] } = {}) {
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  const problems = { blocked: [], errors: [], console: [], csp: [] };
  page.problems = problems;
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if ([origin, ...allow].some((o) => url.startsWith(o + '/')) || url.startsWith('data:')) request.continue();
    else {
      problems.blocked.push(url);
      request.abort('blockedbyclient');
    }
  });
  page.on('pageerror', (e) => problems.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.console.push(m.text()); });
  await page.exposeFunction('__cspViolation', (v) => problems.csp.push(v));
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  await page.goto(origin + path, { waitUntil: 'load' });
  return page;
}

/** Saves a screenshot of the page as ARTIFACTS/NAME.png. */
export async function screenshot(page, name, fullPage = false) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}

/** Runs a GraphQL document against the server, as a check of what the page shows. */
export async function api(query, variables = {}, origin = ORIGIN) {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core on the page as it stands (WCAG 2.0–2.2 A and AA rules and best practices):
 * `{ violations, passes }`. Injected over the DevTools protocol, so the page's policy, which
 * forbids inline scripts, is left as it is. */
export async function axe(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    const brief = (r) => ({ id: r.id, impact: r.impact, help: r.help,
      nodes: r.nodes.slice(0, 3).map((n) => n.target.join(' ')) });
    return { violations: result.violations.map(brief), passes: result.passes.length };
  });
}
