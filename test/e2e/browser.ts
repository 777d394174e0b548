import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { DemoUser } from '../../src/auth/demo-tokens';
import type { Role } from '../../src/auth/roles';
import { seedDemoIfEmpty } from '../../src/db/seed';
import { startHarness, type Harness } from '../helpers/harness';
import { startTestWorkers } from '../helpers/workers';

/**
 * Browser tests: the real app (API and worker runtime) on the test file's own database with the
 * demo story, listening on a free port, driven by Debian's Chromium through playwright-core.
 * The portal must be built (dist/web): the tests' global setup builds it when web/ changed.
 */

// A browser step waits on page loads and the app; on a busy 2-core machine 30 s is too tight.
jest.setTimeout(60_000);

// The README's screenshots are refreshed on request (UPDATE_SCREENSHOTS=1), so a test run leaves the
// checkout as it found it; otherwise they go to a scratch folder (the pages are still drawn).
const screenshotDir = process.env.UPDATE_SCREENSHOTS === '1' ? join(__dirname, '..', '..', 'docs', 'screenshots') : join(tmpdir(), 'carebridge-screenshots');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Portal {
  /** The app's origin, e.g. http://127.0.0.1:43121 (the portal is at `${url}/app/`). */
  url: string;
  harness: Harness;
  browser: Browser;
  /** Requests a page tried to send anywhere but the app (aborted), e.g. a CDN. */
  offsiteRequests: string[];
  /** Uncaught page errors and console errors (a CSP violation is one), with the page's URL. */
  pageErrors: string[];
  /** A page in a fresh context (no session), desktop-sized unless given a width (375 for a phone). */
  newPage(options?: { width?: number }): Promise<Page>;
  close(): Promise<void>;
}

function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/** Starts the app with the demo story seeded, and Chromium. `env` is the app's configuration on top of the test defaults. */
export async function startPortal(env: Record<string, string> = {}): Promise<Portal> {
  const harness = await startHarness(env);
  await seedDemoIfEmpty(harness.orm.em.fork());
  const workers = startTestWorkers(harness);
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  const address = harness.app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app listens on no TCP port');
  const url = `http://127.0.0.1:${address.port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs });
  const contexts: BrowserContext[] = [];
  const offsiteRequests: string[] = [];
  const pageErrors: string[] = [];

  return {
    url,
    harness,
    browser,
    offsiteRequests,
    pageErrors,
    async newPage({ width = 1280 } = {}) {
      const context = await browser.newContext({ baseURL: url, viewport: { width, height: width < 600 ? 812 : 800 } });
      contexts.push(context);
      await context.route('**/*', (route) => {
        const requested = route.request().url();
        if (isLocal(requested)) return route.continue();
        offsiteRequests.push(requested);
        return route.abort('blockedbyclient');
      });
      const page = await context.newPage();
      page.on('websocket', (socket) => !isLocal(socket.url()) && offsiteRequests.push(socket.url()));
      const report = (problem: string) => pageErrors.push(`${page.url()}: ${problem.slice(0, 300)}`);
      page.on('pageerror', (error) => report(error.message));
      page.on('console', (message) => message.type() === 'error' && report(message.text()));
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await workers.stop();
      await harness.close();
    },
  };
}

/**
 * The usual setup of a browser test file: one portal for the whole file, started before its tests
 * and closed after them. Call at the top of the file; the function returned gives the portal.
 */
export function portalForThisFile(env: Record<string, string> = {}): () => Portal {
  let portal: Portal | undefined;
  beforeAll(async () => {
    portal = await startPortal(env);
  }, 60_000);
  afterAll(async () => {
    await portal?.close();
  });
  return () => {
    if (!portal) throw new Error('the portal has not started');
    return portal;
  };
}

/**
 * Signs in through the development sign-in page as the first demo user with `who`'s role (or
 * with that email address), and waits for the signed-in header. Returns the user.
 */
export async function signInAs(page: Page, who: `${Role}` | `${string}@${string}`): Promise<DemoUser> {
  const listing = await page.request.get('/auth/dev-users');
  const { users } = (await listing.json()) as { users: DemoUser[] };
  const user = users.find((candidate) => (who.includes('@') ? candidate.email === who : `${candidate.role}` === who));
  if (!user) throw new Error(`No demo user ${who}; the demo has: ${users.map((each) => each.email).join(', ')}`);
  await page.goto('/app/');
  await page.getByRole('button', { name: user.label, exact: true }).click();
  await page.locator('header .who-name').waitFor();
  return user;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe-core (WCAG 2 A/AA and best practices) on the page as it is; fails listing each violation. */
export async function expectAccessible(page: Page): Promise<void> {
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy stays as served.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map(({ target }) => ({ target })) }));
  });
  const summary = violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')}`);
  expect(summary).toEqual([]);
}

/**
 * Saves <name>.png (the page as it is, full length) and, with `phone`, also <name>-375.png at
 * 375 px wide: into docs/screenshots/ with UPDATE_SCREENSHOTS=1, else into a scratch folder.
 */
export async function saveScreenshot(page: Page, name: string, { phone = false } = {}): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
  if (!phone) return;
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: join(screenshotDir, `${name}-375.png`), fullPage: true });
  if (viewport) await page.setViewportSize(viewport);
}
