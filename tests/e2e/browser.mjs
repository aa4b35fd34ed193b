// Shared pieces of the end-to-end tests: Debian's chromium through playwright-core, the real server with demo
// data serving web/dist, and signing in through the UI. Environment:
//   STEWARD_BIN  absolute path of the steward binary      STEWARD_WEB  absolute path of the built web/dist
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../api/harness.mjs';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const PASSWORD = 'Steward@2026';
export const CHROMIUM = process.env.STEWARD_CHROMIUM || '/usr/bin/chromium';
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

export function webDir() {
  const web = process.env.STEWARD_WEB;
  if (!web) throw new Error('STEWARD_WEB is not set (absolute path of web/dist; build it with `cd web && npm run build`)');
  if (!existsSync(join(web, 'index.html'))) throw new Error(`STEWARD_WEB=${web} has no index.html; run \`cd web && npm run build\``);
  return web;
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// One server with demo data and one browser for a test file: { server, browser, stop }. extraArgs go to
// `steward serve` (e.g. the test clock).
export async function startStack({ extraArgs = [], demoReports = false } = {}) {
  const server = await startServer({ demo: true, demoReports, web: webDir(), extraArgs });
  let browser;
  try {
    browser = await launch();
  } catch (e) {
    await server.stop();
    throw e;
  }
  return {
    server,
    browser,
    async stop() {
      await browser.close().catch(() => {});
      await server.stop();
    },
  };
}

// A fresh browser context (own cookies) and page; browser errors are collected for assertions.
export async function newPage(browser, baseURL, viewport = DESKTOP) {
  const context = await browser.newContext({ baseURL, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return page;
}

// The text box of a form control: Element Plus puts data-testid on the <input> itself for el-input and on the
// wrapper for some other controls, so accept both.
export function field(page, testid) {
  return page.locator(`:is(input,textarea)[data-testid="${testid}"], [data-testid="${testid}"] :is(input,textarea)`).first();
}

export async function signIn(page, username, password = PASSWORD) {
  await page.goto('/login');
  await field(page, 'login-username').fill(username);
  await field(page, 'login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

// Sign in over HTTP (no browser) to prepare or check data: returns a tiny client with cookie + CSRF.
export async function apiClient(baseURL, username, password = PASSWORD) {
  const res = await fetch(`${baseURL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`API sign-in as ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrf_token: csrf } = await res.json();
  const call = async (method, path, body) => {
    const r = await fetch(`${baseURL}/api/v1${path}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, body: text && /json/.test(r.headers.get('content-type') || '') ? JSON.parse(text) : text };
  };
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b), put: (p, b) => call('PUT', p, b) };
}
