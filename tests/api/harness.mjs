// Test harness for the HTTP API: starts the real `steward` binary on a fresh database (SQLite file or a new
// PostgreSQL database), talks to it like a browser would (cookie jar + CSRF header), and runs its CLI.
// Node built-ins only. Environment:
//   STEWARD_BIN      absolute path of the steward binary (required)
//   STEWARD_TEST_DB  'sqlite' (default) or 'postgresql'
//   STEWARD_TEST_PG  PostgreSQL URL with rights to CREATE DATABASE (scripts/with-postgres.sh exports it)
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PASSWORD = 'Steward@2026';
export const API = '/api/v1';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function dbKind() {
  const kind = process.env.STEWARD_TEST_DB || 'sqlite';
  if (kind !== 'sqlite' && kind !== 'postgresql') throw new Error(`STEWARD_TEST_DB must be sqlite or postgresql, not ${kind}`);
  return kind;
}

export function stewardBin() {
  const bin = process.env.STEWARD_BIN;
  if (!bin) throw new Error('STEWARD_BIN is not set (absolute path of the steward binary, e.g. build/steward)');
  if (!existsSync(bin)) throw new Error(`STEWARD_BIN=${bin} does not exist; build it with \`make native\``);
  return bin;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pgAdminUrl() {
  const url = process.env.STEWARD_TEST_PG;
  if (!url) throw new Error('STEWARD_TEST_DB=postgresql needs STEWARD_TEST_PG (run under scripts/with-postgres.sh)');
  return url;
}

function withDatabaseName(url, name) {
  const u = new URL(url);
  u.pathname = '/' + name;
  return u.toString();
}

function psql(url, sql, { allowFail = false } = {}) {
  const r = spawnSync('psql', [url, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0 && !allowFail) throw new Error(`psql failed (${r.status}): ${sql}\n${r.stderr}`);
  return r.stdout.trim();
}

// A fresh, empty database: { dbUrl, kind, drop() }. Nothing is migrated yet.
export function createDatabase() {
  const kind = dbKind();
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'steward-api-'));
    return {
      kind,
      dir,
      dbUrl: `sqlite:${join(dir, 'steward.db')}`,
      drop() { rmSync(dir, { recursive: true, force: true }); },
    };
  }
  const admin = pgAdminUrl();
  const name = 'steward_t_' + randomBytes(6).toString('hex');
  psql(admin, `CREATE DATABASE ${name}`);
  return {
    kind,
    dir: null,
    dbUrl: withDatabaseName(admin, name),
    drop() { psql(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, { allowFail: true }); },
  };
}

// Runs the CLI synchronously: { code, stdout, stderr, signal }.
export function runSteward(args, opts = {}) {
  const r = spawnSync(stewardBin(), args, { encoding: 'utf8', timeout: 60_000, ...opts });
  if (r.error && r.error.code !== 'ETIMEDOUT') throw r.error;
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function mustRun(args) {
  const r = runSteward(args);
  if (r.code !== 0) throw new Error(`steward ${args.join(' ')} exited ${r.code ?? r.signal}\n${r.stdout}\n${r.stderr}`);
  return r;
}

// Migrates (and seeds demo data into) a fresh database, then serves it on 127.0.0.1:<free port>.
// With { dbUrl } it serves an existing database instead and leaves dropping it to the caller.
export async function startServer({ demo = true, demoReports = false, web, dbUrl: existing, extraArgs = [] } = {}) {
  const db = existing ? { dbUrl: existing, drop() {} } : createDatabase();
  try {
    if (!existing) {
      mustRun(['migrate', '--db', db.dbUrl]);
      // The demo's year of reports is opt-in here: most tests start from a county with none.
      if (demo) mustRun(['demo', '--db', db.dbUrl, ...(demoReports ? [] : ['--no-reports'])]);
    }
    const server = await spawnServer(db.dbUrl, web, extraArgs);
    let stopped = null;
    return {
      url: server.url,
      dbUrl: db.dbUrl,
      proc: server.proc,
      stderr: () => server.stderr(),
      // Sends SIGTERM, waits for exit (SIGKILL after 10 s), drops the database. Returns { code, signal }.
      async stop() {
        if (!stopped) {
          stopped = (async () => {
            const exit = await server.terminate();
            db.drop();
            return exit;
          })();
        }
        return stopped;
      },
    };
  } catch (e) {
    db.drop();
    throw e;
  }
}

function spawnServer(dbUrl, web, extraArgs) {
  const args = ['serve', '--db', dbUrl, '--listen', '127.0.0.1:0', ...(web ? ['--web', web] : []), ...extraArgs];
  const proc = spawn(stewardBin(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    proc.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); });
  });
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => { err += d; if (err.length > 1_000_000) err = err.slice(-500_000); });
  proc.stdout.setEncoding('utf8');

  const terminate = async () => {
    if (exited) return exited;
    proc.kill('SIGTERM');
    const t = setTimeout(() => { if (!exited) proc.kill('SIGKILL'); }, 10_000);
    const r = await exitPromise;
    clearTimeout(t);
    return r;
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(async () => {
      await terminate();
      reject(new Error(`steward serve did not report listening within 30 s\nstdout: ${out}\nstderr: ${err}`));
    }, 30_000);
    let listening = false;
    proc.stdout.on('data', (d) => {
      if (listening) return; // keep draining the pipe, stop collecting
      out += d;
      const m = /steward listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (m) {
        listening = true;
        clearTimeout(timer);
        resolve({ url: m[1], proc, stderr: () => err, terminate });
      }
    });
    exitPromise.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`steward serve exited (${code ?? signal}) before listening\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

// Runs SQL with the database's own client and returns its output (rows as `a|b` lines).
export function sqlExec(dbUrl, sql) {
  if (dbUrl.startsWith('sqlite:')) {
    const file = dbUrl.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    const r = spawnSync('sqlite3', ['-bail', '-cmd', '.timeout 5000', file, sql], { encoding: 'utf8' });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`sqlite3 failed (${r.status}): ${sql}\n${r.stderr}`);
    return r.stdout.trim();
  }
  return psql(dbUrl, sql);
}

// One HTTP exchange with node:http. The body is written in chunks and writing stops once a response arrived,
// so a server that answers early (413) is heard even if it closes the connection before reading everything.
export function httpRequest(url, { method = 'GET', headers = {}, body = null, timeout = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const buf = body == null ? null : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const h = { ...headers };
    if (buf) h['Content-Length'] = String(buf.length);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: h, agent: false });
    let responded = false;
    let done = false;
    const timer = setTimeout(() => { req.destroy(new Error(`timeout after ${timeout} ms: ${method} ${url}`)); }, timeout);
    req.on('response', (res) => {
      responded = true;
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        done = true;
        const raw = Buffer.concat(chunks);
        let parsed = null;
        if (raw.length && /json/i.test(res.headers['content-type'] || '')) {
          try { parsed = JSON.parse(raw.toString('utf8')); } catch { parsed = null; }
        }
        resolve({ status: res.statusCode, headers: res.headers, body: parsed, raw });
      });
      res.on('error', (e) => { if (!done) { clearTimeout(timer); reject(e); } });
    });
    req.on('error', (e) => {
      // A reset after the response started is the server refusing the rest of an oversized body.
      if (responded) return;
      clearTimeout(timer);
      reject(e);
    });
    if (!buf) { req.end(); return; }
    req.flushHeaders();
    const CHUNK = 64 * 1024;
    let off = 0;
    const pump = () => {
      while (off < buf.length) {
        if (responded || req.destroyed) { req.end(); return; }
        const piece = buf.subarray(off, off + CHUNK);
        off += piece.length;
        if (!req.write(piece)) { req.once('drain', pump); return; }
      }
      req.end();
    };
    pump();
  });
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// A browser-like client of one server: its own cookie jar, remembers csrf_token from login and /auth/me.
export class Client {
  constructor(baseUrl) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.cookies = new Map();
    this.csrf = null;
    this.user = null;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  storeCookies(setCookie) {
    for (const line of setCookie || []) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v = ''] = a.split('=');
        const key = k.trim().toLowerCase();
        if (key === 'max-age') return Number(v.trim()) <= 0;
        if (key === 'expires') return Date.parse(v.trim()) < Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  // path is relative to /api/v1 unless it starts with '/api/' or 'http'.
  async request(method, path, body, { csrf = true, headers = {}, contentType } = {}) {
    const url = path.startsWith('http') ? path : this.baseUrl + (path.startsWith('/api/') ? path : API + path);
    const h = { Accept: 'application/json', ...headers };
    if (this.cookies.size && !('Cookie' in h)) h.Cookie = this.cookieHeader();
    if (csrf && STATE_CHANGING.has(method) && this.csrf && !('X-CSRF-Token' in h)) h['X-CSRF-Token'] = this.csrf;
    let payload = null;
    if (body !== undefined && body !== null) {
      if (Buffer.isBuffer(body) || body instanceof Uint8Array) {
        payload = Buffer.from(body);
        h['Content-Type'] = contentType || h['Content-Type'] || 'application/octet-stream';
      } else if (typeof body === 'string') {
        payload = Buffer.from(body, 'utf8');
        h['Content-Type'] = contentType || h['Content-Type'] || 'application/json';
      } else {
        payload = Buffer.from(JSON.stringify(body), 'utf8');
        h['Content-Type'] = contentType || h['Content-Type'] || 'application/json';
      }
    }
    const res = await httpRequest(url, { method, headers: h, body: payload });
    const sc = res.headers['set-cookie'];
    if (sc) this.storeCookies(Array.isArray(sc) ? sc : [sc]);
    if (res.body && typeof res.body.csrf_token === 'string') this.csrf = res.body.csrf_token;
    return res;
  }

  get(path, opts) { return this.request('GET', path, undefined, opts); }
  post(path, body, opts) { return this.request('POST', path, body, opts); }
  put(path, body, opts) { return this.request('PUT', path, body, opts); }
  patch(path, body, opts) { return this.request('PATCH', path, body, opts); }
  del(path, opts) { return this.request('DELETE', path, undefined, opts); }

  async login(username, password = PASSWORD) {
    const res = await this.post('/auth/login', { username, password });
    if (res.status === 200 && res.body) this.user = res.body.user;
    return res;
  }

  // Signs in and throws unless it worked; returns the client for chaining.
  async signIn(username, password = PASSWORD) {
    const res = await this.login(username, password);
    if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${res.raw.toString()}`);
    return this;
  }
}

export async function signedIn(url, username, password = PASSWORD) {
  return new Client(url).signIn(username, password);
}

// Fetches every page of a list endpoint (page_size 200) and returns all items.
export async function listAll(client, path) {
  const items = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let page = 1; page < 1000; page++) {
    const res = await client.get(`${path}${sep}page=${page}&page_size=200`);
    if (res.status !== 200) throw new Error(`GET ${path} page ${page}: ${res.status} ${res.raw.toString()}`);
    items.push(...res.body.items);
    if (res.body.items.length === 0 || items.length >= res.body.total) break;
  }
  return items;
}

// Fails with the response in the message, which is what one wants to read when a status is wrong.
export function show(res) {
  return `${res.status} ${res.raw ? res.raw.toString('utf8').slice(0, 2000) : ''}`;
}

export { sleep };

// Adds a second county under the same city (430426 祁东县) with one org unit, straight in the database, and an
// hq user there through the CLI. Returns { regionCode, orgUnitName, username, password }.
export function addOtherCounty(dbUrl, { username = 'qd_hq', role = 'hq' } = {}) {
  const now = '2026-01-01T00:00:00Z';
  sqlExec(dbUrl, "INSERT INTO regions (code, name, level, parent_code) VALUES ('430426', '祁东县', 'county', '430400') ON CONFLICT DO NOTHING");
  sqlExec(dbUrl, `INSERT INTO org_units (region_code, name, short_name, kind, sort, created_at, updated_at) VALUES ('430426', '祁东县发展和改革局', '祁东发改', 'department', 1, '${now}', '${now}') ON CONFLICT DO NOTHING`);
  const password = 'Qidong#2026';
  const r = runSteward(['user', 'add', '--db', dbUrl, '--username', username, '--password', password,
    '--display-name', '祁东用户', '--role', role, '--region', '430426']);
  if (r.code !== 0) throw new Error(`steward user add (430426) exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return { regionCode: '430426', orgUnitName: '祁东县发展和改革局', username, password };
}
