// The three letters (三函) and work reminders on the county's clock: drafted by hand, issued (numbered per kind and
// year), signed for, answered and closed by the recipient unit and headquarters; overdue steps as days pass; a
// discarded draft takes no number; concurrent issuing gives distinct consecutive numbers; the documents; summons.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, show, startServer } from './harness.mjs';

let server, hq, unit, unit2, leader;
let project; // a live project of 县工业和信息化局 (the demo user "unit")
let unitId;
const clock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-clock-')), 'now');
// 2026-11-25 10:00 in the county.
// Moving the clock idles the sessions out, so everyone signs in again on the new day.
async function setDay(day) {
  fs.writeFileSync(clock, `${day}T02:00:00Z\n`);
  for (const [c, u] of [[hq, 'hq'], [unit, 'unit'], [unit2, 'unit2'], [leader, 'leader']]) if (c) await c.login(u);
}

const draft = (over = {}) => ({ project_id: project.id, kind: 'supervision', facts: '项目计划2026年3月开工，逾期8个月未开工。', ...over });
async function drafted(over) {
  const r = await hq.post('/letters', draft(over));
  assert.equal(r.status, 201, show(r));
  return r.body;
}
const seqOf = (number) => Number(/〕(\d+)号$/.exec(number)[1]);

before(async () => {
  fs.writeFileSync(clock, '2026-11-25T02:00:00Z\n');
  server = await startServer({ extraArgs: ['--clock-file', clock, '--allow-test-clock'] });
  hq = new Client(server.url);
  unit = new Client(server.url);
  unit2 = new Client(server.url);
  leader = new Client(server.url);
  await hq.login('hq');
  await unit.login('unit');
  await unit2.login('unit2');
  await leader.login('leader');
  const me = (await unit.get('/auth/me')).body;
  unitId = me.org_unit_id ?? me.user?.org_unit_id;
  assert.ok(unitId);
  const items = (await hq.get('/projects?page_size=200')).body.items;
  project = items.find((p) => p.unit_id === unitId && p.status !== 'cancelled');
  assert.ok(project, 'the demo has a project of the unit');
});
after(async () => { await server?.stop(); });

test('a letter drafted by hand is issued with its number, signed for, answered and closed, each step audited', async () => {
  const d = await drafted();
  assert.equal(d.status, 'draft');
  assert.equal(d.status_label, '草稿');
  assert.equal(d.kind_label, '督办函');
  assert.equal(d.number, '');
  assert.equal(d.recipient_unit.id, unitId, 'the project responsible unit by default');
  assert.match(d.title, new RegExp(`^关于${project.name}.*的督办函$`));
  // A draft is headquarters' own: the recipient does not see it yet.
  assert.equal((await unit.get(`/letters/${d.id}`)).status, 404);

  const issued = await hq.post(`/letters/${d.id}/issue`);
  assert.equal(issued.status, 200, show(issued));
  assert.equal(issued.body.status, 'issued');
  assert.match(issued.body.number, /^重项督〔2026〕\d+号$/);
  assert.equal(issued.body.sign_due, '2026-11-26', 'supervision: signed for within a day');
  assert.equal(issued.body.answer_due, '2026-12-02', 'answered within 7 days');
  assert.deepEqual(issued.body.overdue, []);

  // The unit is told, and finds it in its letters inbox.
  const msgs = (await unit.get('/inbox')).body.items;
  const received = msgs.find((m) => m.kind === 'letter_received' && m.title.includes(d.title));
  assert.ok(received, JSON.stringify(msgs.slice(0, 3)));
  assert.equal(received.link, `/letters?letter=${d.id}`);
  const box = (await unit.get('/letters/inbox')).body;
  assert.ok(box.items.some((l) => l.id === d.id));
  assert.ok(box.counts.issued >= 1);
  assert.ok(!(await unit2.get('/letters/inbox')).body.items.some((l) => l.id === d.id), 'another unit does not get it');

  // Answering before signing is an illegal step.
  const early = await unit.post(`/letters/${d.id}/answer`, { answer: '已整改' });
  assert.equal(early.status, 409, show(early));
  assert.equal(early.body.error.code, 'illegal_transition');

  const signed = await unit.post(`/letters/${d.id}/sign`);
  assert.equal(signed.status, 200, show(signed));
  assert.equal(signed.body.status, 'signed');
  assert.ok(signed.body.signed_at);
  const answered = await unit.post(`/letters/${d.id}/answer`, { answer: '已成立专班，12月10日前完成施工许可办理。' });
  assert.equal(answered.status, 200, show(answered));
  assert.equal(answered.body.status, 'answered');
  assert.ok((await hq.get('/inbox')).body.items.some((m) => m.kind === 'letter_answered'), 'headquarters is told');
  const closed = await hq.post(`/letters/${d.id}/close`, { note: '整改到位，同意办结' });
  assert.equal(closed.status, 200, show(closed));
  assert.equal(closed.body.status, 'closed');
  assert.equal(closed.body.close_note, '整改到位，同意办结');

  const audit = (await hq.get(`/audit?entity=letter&entity_id=${d.id}&page_size=50`)).body.items.map((e) => e.action);
  for (const step of ['create', 'issue', 'sign', 'answer', 'close']) assert.ok(audit.includes(step), `${step} in ${audit}`);
});

test('overdue steps appear as the county days pass', async () => {
  await setDay('2026-11-25');
  const d = await drafted({ kind: 'reminder' });
  const r = (await hq.post(`/letters/${d.id}/issue`)).body;
  assert.equal(r.sign_due, '2026-11-28');
  assert.equal(r.answer_due, '2026-12-10');
  await setDay('2026-11-28');
  assert.deepEqual((await hq.get(`/letters/${d.id}`)).body.overdue, [], 'the due day itself is not late');
  await setDay('2026-11-29');
  assert.deepEqual((await hq.get(`/letters/${d.id}`)).body.overdue, ['sign']);
  const list = (await hq.get('/letters?overdue=1&page_size=200')).body;
  assert.ok(list.items.some((l) => l.id === d.id));
  assert.ok(list.items.every((l) => l.overdue.length > 0));
  assert.ok(list.counts.overdue >= 1);
  assert.equal((await unit.post(`/letters/${d.id}/sign`)).status, 200);
  assert.deepEqual((await hq.get(`/letters/${d.id}`)).body.overdue, []);
  await setDay('2026-12-11');
  assert.deepEqual((await unit.get(`/letters/${d.id}`)).body.overdue, ['answer']);
  assert.ok((await unit.get('/letters/inbox')).body.counts.overdue >= 1);
  await setDay('2026-11-25');
});

test('a discarded draft takes no number; numbers run on per kind', async () => {
  const a = await drafted({ kind: 'assignment' });
  const b = await drafted({ kind: 'assignment' });
  const discardedBefore = (await hq.get('/letters')).body.counts.discarded;
  const gone = await hq.post(`/letters/${a.id}/discard`);
  assert.equal(gone.status, 200, show(gone));
  assert.equal(gone.body.status, 'discarded');
  assert.equal((await hq.get('/letters')).body.counts.discarded, discardedBefore + 1, 'the register counts discarded drafts');
  assert.equal((await hq.post(`/letters/${a.id}/issue`)).status, 409, 'a discarded draft cannot be issued');
  const first = (await hq.post(`/letters/${b.id}/issue`)).body.number;
  const c = await drafted({ kind: 'assignment' });
  const second = (await hq.post(`/letters/${c.id}/issue`)).body.number;
  assert.match(first, /^重项交〔2026〕\d+号$/);
  assert.equal(seqOf(second), seqOf(first) + 1, `${first} then ${second}`);
  // Another kind has its own sequence.
  const w = await drafted({ kind: 'work_reminder' });
  assert.equal(w.recipient_unit, null);
  assert.equal(w.recipient_user?.id, project.leader_id, 'a work reminder goes to the leading leader');
  const wn = (await hq.post(`/letters/${w.id}/issue`)).body.number;
  assert.equal(wn, '重项示〔2026〕1号');
  // A letter to a person: that leader finds it in their inbox, and signs it.
  const me = (await leader.get('/auth/me')).body;
  const w2 = await drafted({ kind: 'work_reminder', recipient_user_id: me.id ?? me.user?.id });
  assert.equal((await hq.post(`/letters/${w2.id}/issue`)).body.number, '重项示〔2026〕2号');
  assert.ok((await leader.get('/letters/inbox')).body.items.some((l) => l.id === w2.id));
  assert.equal((await leader.post(`/letters/${w2.id}/sign`)).status, 200);
});

test('issuing at once gives distinct consecutive numbers', async () => {
  const ds = [];
  for (let k = 0; k < 6; k++) ds.push(await drafted({ kind: 'supervision' }));
  const before = (await hq.get('/letters?kind=supervision&status=draft')).body.total;
  assert.ok(before >= 6);
  const rs = await Promise.all(ds.map((d) => hq.post(`/letters/${d.id}/issue`)));
  for (const r of rs) assert.equal(r.status, 200, show(r));
  const seqs = rs.map((r) => seqOf(r.body.number)).sort((x, y) => x - y);
  assert.equal(new Set(seqs).size, 6);
  for (let k = 1; k < seqs.length; k++) assert.equal(seqs[k], seqs[k - 1] + 1, seqs.join(','));
});

test('a letter is a PDF and a DOCX, as attachments named by its number', async () => {
  const d = await drafted();
  const draftPdf = await hq.get(`/letters/${d.id}/document.pdf`);
  assert.equal(draftPdf.status, 200);
  const n = (await hq.post(`/letters/${d.id}/issue`)).body.number;
  const pdf = await unit.get(`/letters/${d.id}/document.pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assert.equal(pdf.raw.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.match(pdf.headers['content-disposition'], /^attachment; filename="letter-\d+\.pdf"; filename\*=UTF-8''/);
  assert.equal(decodeURIComponent(pdf.headers['content-disposition'].split("UTF-8''")[1]), `${n}.pdf`);
  const docx = await unit.get(`/letters/${d.id}/document.docx`);
  assert.equal(docx.status, 200);
  assert.match(docx.headers['content-type'], /wordprocessingml/);
  assert.equal(docx.raw.subarray(0, 2).toString('latin1'), 'PK');
  assert.equal((await unit2.get(`/letters/${d.id}/document.pdf`)).status, 404, 'another unit does not see it');
});

test('a draft is edited with its version; the listing filters and counts', async () => {
  const d = await drafted();
  const r = await hq.put(`/letters/${d.id}`, { version: d.version, title: '关于加快推进项目建设的督办函', answer_due: '2026-12-20' });
  assert.equal(r.status, 200, show(r));
  assert.equal(r.body.title, '关于加快推进项目建设的督办函');
  const stale = await hq.put(`/letters/${d.id}`, { version: d.version, facts: '旧版本' });
  assert.equal(stale.status, 409, show(stale));
  const issued = (await hq.post(`/letters/${d.id}/issue`)).body;
  assert.equal(issued.answer_due, '2026-12-20', 'a deadline set by hand stands');
  const mine = (await unit.get('/letters?page_size=200')).body;
  assert.ok(mine.items.length > 0);
  assert.ok(mine.items.every((l) => l.recipient_unit?.id === unitId && l.status !== 'draft'));
  const drafts = (await hq.get('/letters?status=draft')).body;
  assert.ok(drafts.items.every((l) => l.status === 'draft'));
  assert.equal(drafts.total, drafts.counts.draft);
  assert.equal((await hq.get(`/letters?project_id=${project.id}&page_size=200`)).body.items.every((l) => l.project.id === project.id), true);
});

test('summons are recorded, listed, and followed up', async () => {
  const s = await hq.post('/summons', {
    project_id: project.id, unit_id: unitId, principal: '张局长', held_on: '2026-11-24',
    attendees: ['县委常委 王志刚', '县重点办 李明'], reason: '项目开工严重滞后', commitments: '12月15日前开工', follow_up_due: '2026-12-15',
  });
  assert.equal(s.status, 201, show(s));
  assert.equal(s.body.unit.id, unitId);
  assert.deepEqual(s.body.attendees, ['县委常委 王志刚', '县重点办 李明']);
  assert.equal(s.body.overdue, false);
  await setDay('2026-12-16');
  assert.equal((await hq.get(`/summons?project_id=${project.id}`)).body.items.find((x) => x.id === s.body.id).overdue, true);
  const unitView = (await unit.get('/summons')).body;
  assert.ok(unitView.items.some((x) => x.id === s.body.id), 'the unit sees its own summons');
  assert.ok(!(await unit2.get('/summons')).body.items.some((x) => x.id === s.body.id));
  const f = await hq.post(`/summons/${s.body.id}/follow-up`, { note: '已于12月12日开工' });
  assert.equal(f.status, 200, show(f));
  assert.equal(f.body.overdue, false);
  assert.equal(f.body.follow_up_note, '已于12月12日开工');
  assert.equal((await hq.post(`/summons/${s.body.id}/follow-up`, { note: '再次' })).status, 409);
  await setDay('2026-11-25');
});
