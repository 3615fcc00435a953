import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tempDir } from './helpers.js';

// The HTML report is tested in a real browser: Debian's chromium, driven by
// playwright-core (which never downloads a browser of its own). `.ci/run`
// installs chromium; a developer may not have it.
//
// Where chromium is missing: in CI (the CI variable is set, as `.ci/run` is
// run with CI=true) the browser tests fail, loudly, in their `before all`
// hook; on a developer's machine they are marked pending and a message says
// why and how to install it, so a green `npm test` there is not mistaken for
// a tested page (mocha's summary also counts them as pending).

export const CHROMIUM = process.env.PERLBOT_CHROMIUM || '/usr/bin/chromium';

/** Flags for a quiet, offline, throw-away browser. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function missingBrowserMessage(): string {
  return `chromium not found at ${CHROMIUM}: the HTML report's browser tests cannot run. Install it (Debian: apt-get install chromium; .ci/run does) or point PERLBOT_CHROMIUM at a Chromium binary.`;
}

/** Call from a `before` hook: throws in CI, skips the suite with a message elsewhere. */
export function requireBrowser(context: Mocha.Context): void {
  if (existsSync(CHROMIUM)) return;
  if (process.env.CI) throw new Error(missingBrowserMessage());
  process.stderr.write(`\n  NOT RUN: ${missingBrowserMessage()}\n  (In CI, where CI is set, this is a failure.)\n\n`);
  context.skip();
}

export interface Browser {
  context: BrowserContext;
  /** Every URL the browser asked for, as they came. */
  requests: string[];
  /** Uncaught errors and console errors of every page. */
  errors: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** A fresh user-data folder each time: no profile, cache or extension carried over. */
export async function launch(settings: { javaScript?: boolean; width?: number } = {}): Promise<Browser> {
  const profile = join(tempDir(), 'profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: settings.width ?? 1280, height: 900 }, javaScriptEnabled: settings.javaScript ?? true,
  });
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  const watch = (page: Page) => {
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
  };
  context.on('page', watch);
  context.pages().forEach(watch);
  return {
    context,
    requests,
    errors,
    newPage: () => context.newPage(),
    close: () => context.close(),
  };
}

/** Open a report from disk and wait until its script has drawn the hits table. */
export async function openReport(browser: Browser, path: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(path).href);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  return page;
}
