// The route table and docs/openapi.yaml describe the same API: every route is documented, every documented
// path and method is a route.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runSteward } from './harness.mjs';

const SPEC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'openapi.yaml');
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

// A line-based reading of `paths:`: path keys at two spaces, method keys at four (the layout the spec keeps).
function specOperations(text) {
  const ops = new Set();
  let inPaths = false;
  let path = null;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) { inPaths = /^paths:\s*$/.test(line); path = null; continue; }
    if (!inPaths) continue;
    let m = /^ {2}(\/\S*?)\s*:\s*$/.exec(line) || /^ {2}['"](\/[^'"]*)['"]\s*:\s*$/.exec(line);
    if (m) { path = m[1]; continue; }
    m = /^ {4}([a-z]+)\s*:/.exec(line);
    if (m && path && METHODS.has(m[1])) ops.add(`${m[1].toUpperCase()} ${path}`);
  }
  return ops;
}

const normalise = (op) => op.replace(/\{[^}]+\}/g, '{}');

function serverBase(text) {
  const m = /^servers:\s*\n\s*-\s*url:\s*['"]?([^'"\s]+)/m.exec(text);
  return m ? m[1].replace(/\/$/, '') : '';
}

test('`steward routes` prints one METHOD /api/v1/path line per route', () => {
  const r = runSteward(['routes']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l.trim());
  assert.ok(lines.length >= 15, `${lines.length} routes`);
  for (const l of lines) assert.match(l, /^(GET|POST|PUT|PATCH|DELETE) \/api\/v1\/[\w\-./{}]*$/, `route line: ${l}`);
  assert.equal(new Set(lines).size, lines.length, 'no duplicate routes');
  for (const must of ['GET /api/v1/health', 'POST /api/v1/auth/login', 'POST /api/v1/auth/logout', 'GET /api/v1/auth/me',
    'POST /api/v1/auth/password', 'GET /api/v1/audit', 'GET /api/v1/audit/verify', 'GET /api/v1/org-units', 'POST /api/v1/users']) {
    assert.ok(lines.includes(must), `route ${must}`);
  }
});

test('every route is in docs/openapi.yaml and every documented operation is a route', () => {
  const text = readFileSync(SPEC, 'utf8');
  assert.match(text, /^openapi: ['"]?3\.0\.\d+/m);
  const base = serverBase(text);
  const spec = new Set([...specOperations(text)].map((op) => normalise(op.replace(' ', ' ' + base))));
  assert.ok(spec.size >= 15, `parsed ${spec.size} operations from the spec`);
  const routes = new Set(runSteward(['routes']).stdout.split('\n').filter((l) => l.trim()).map((l) => normalise(l.trim())));
  const undocumented = [...routes].filter((r) => !spec.has(r));
  const missing = [...spec].filter((s) => !routes.has(s));
  assert.deepEqual(undocumented, [], 'routes missing from docs/openapi.yaml');
  assert.deepEqual(missing, [], 'documented operations the server does not route');
});

test('the spec defines the shared schemas and both security schemes', () => {
  const text = readFileSync(SPEC, 'utf8');
  for (const name of ['User', 'OrgUnit', 'Project', 'ProjectInput', 'Error', 'AuditEntry']) {
    assert.match(text, new RegExp(`^ {4}${name}:\\s*$`, 'm'), `components.schemas.${name}`);
  }
  assert.match(text, /type: apiKey\s*\n\s*in: cookie\s*\n\s*name: steward_session/);
  assert.match(text, /type: apiKey\s*\n\s*in: header\s*\n\s*name: X-CSRF-Token/);
});
