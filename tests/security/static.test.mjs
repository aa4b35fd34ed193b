// Class: reading files from disk by a path the client chose (issue "hardening", item 1). The web UI is served
// from a table read at start-up; no spelling of a path may reach another file.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { httpRequest, startServer } from '../api/harness.mjs';

let server;
let root;
const SECRET = 'SECRET-OUTSIDE-WEB-' + Math.random().toString(36).slice(2);

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'steward-static-'));
  const web = join(root, 'dist');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>steward</title><div id="app"></div>');
  writeFileSync(join(web, 'assets', 'app-1234.js'), 'console.log("app");\n'.repeat(200));
  writeFileSync(join(root, 'secret.txt'), SECRET);
  symlinkSync(join(root, 'secret.txt'), join(web, 'assets', 'link.txt'));
  symlinkSync('/etc/passwd', join(web, 'passwd'));
  server = await startServer({ web });
  // Written after start-up: the table was read once, so this must never be served.
  writeFileSync(join(web, 'late.txt'), SECRET);
});
after(async () => { await server?.stop(); rmSync(root, { recursive: true, force: true }); });

// Sends one raw request line, so no client library normalises the path; returns { status, text }.
function raw(target, { method = 'GET', extra = '' } = {}) {
  const u = new URL(server.url);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(u.port), u.hostname);
    const chunks = [];
    s.on('connect', () => s.write(`${method} ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${extra}\r\n`));
    s.on('data', (d) => chunks.push(d));
    s.on('error', reject);
    s.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, text });
    });
    s.setTimeout(10_000, () => s.destroy(new Error('timeout ' + target)));
  });
}

const dbPath = () => (server.dbUrl.startsWith('sqlite:') ? server.dbUrl.slice(7) : '/var/lib/postgresql');

test('no spelling of a path reaches a file outside the web UI', async () => {
  const targets = [
    '//etc/passwd', '/%2fetc/passwd', '/%2Fetc%2Fpasswd', '//proc/self/cmdline', '//proc/self/environ',
    '/..%2f..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd',
    '/..\\..\\etc\\passwd', '/%5c..%5c..%5cetc%5cpasswd', '/assets/%2e%2e/%2e%2e/secret.txt', '/../secret.txt',
    '/assets/../../secret.txt', '/./../secret.txt', '/%252e%252e/secret.txt', '/assets/link.txt', '/passwd',
    '/late.txt', '/index.html%00.js', '/assets%2f..%2f..%2fsecret.txt', 'http://x/etc/passwd', '*',
    '//' + dbPath(), '/%2f' + encodeURIComponent(dbPath().slice(1)), '//' + dbPath() + '-wal',
  ];
  for (const t of targets) {
    const r = await raw(t);
    assert.doesNotMatch(r.text, /root:x?:0:0|SECRET-OUTSIDE-WEB|SQLite format 3|STEWARD_|--db/, `${t} leaked a file`);
    assert.ok(r.status === 404 || r.status === 400 || (r.status === 200 && r.text.includes('<div id="app">')),
      `${t}: ${r.status}`);
  }
});

test('absolute paths are 404, not the single-page app', async () => {
  for (const t of ['//etc/passwd', '/%2fetc/passwd', '//proc/self/cmdline', '/assets/missing.js', '/nope.txt']) {
    const r = await raw(t);
    assert.equal(r.status, 404, t);
  }
});

test('the UI is served from memory with cache headers, ETag and gzip', async () => {
  const idx = await httpRequest(server.url + '/');
  assert.equal(idx.status, 200);
  assert.match(idx.raw.toString(), /<div id="app">/);
  assert.equal(idx.headers['cache-control'], 'no-cache');
  assert.match(idx.headers['content-security-policy'], /default-src 'self'/);
  const route = await httpRequest(server.url + '/projects/12');
  assert.equal(route.status, 200, 'client-side routes get index.html');
  assert.match(route.raw.toString(), /<div id="app">/);

  const js = await httpRequest(server.url + '/assets/app-1234.js', { headers: { 'Accept-Encoding': 'gzip, br;q=0' } });
  assert.equal(js.status, 200);
  assert.equal(js.headers['content-encoding'], 'gzip');
  assert.match(js.headers['cache-control'], /immutable/);
  assert.equal(gunzipSync(js.raw).toString(), 'console.log("app");\n'.repeat(200));
  const plain = await httpRequest(server.url + '/assets/app-1234.js');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.raw.toString(), 'console.log("app");\n'.repeat(200));
  const again = await httpRequest(server.url + '/assets/app-1234.js', { headers: { 'If-None-Match': js.headers.etag } });
  assert.equal(again.status, 304);
  assert.equal(again.raw.length, 0);
});

test('writes to static paths are refused', async () => {
  for (const m of ['POST', 'PUT', 'DELETE']) {
    const r = await raw('/index.html', { method: m, extra: 'Content-Length: 0\r\n' });
    assert.equal(r.status, 405, m);
  }
});
