// Valid-looking identifiers and project inputs for the project-library tests.
import assert from 'node:assert/strict';
import { show } from './harness.mjs';

const CC = '0123456789ABCDEFGHJKLMNPQRTUWXY'; // GB 32100-2015 alphabet (no I O S V Z)
const CC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_W = [3, 7, 9, 10, 5, 8, 4, 2];

// A unified social credit code (统一社会信用代码) with valid check characters: 91 + 430424 + org code + check.
export function creditCode(n) {
  const body = String(n).padStart(8, '0').slice(-8);
  const s = ORG_W.reduce((a, w, i) => a + Number(body[i]) * w, 0);
  const c = 11 - (s % 11);
  const org = body + (c === 10 ? 'X' : c === 11 ? '0' : String(c));
  const s17 = '91430424' + org;
  const sum = [...s17].reduce((a, ch, i) => a + CC.indexOf(ch) * CC_W[i], 0);
  return s17 + CC[(31 - (sum % 31)) % 31];
}

// A national investment project code (投资项目统一代码, GB/T 40058): YYMM-region-industry-type-serial.
export function projectCode(n, yymm = '2604') {
  return `${yymm}-430424-39-03-${String(n).padStart(6, '0')}`;
}

// Funding defaults to a split of total_investment (the server may refuse funding above the total).
export function fullInput(n, { townshipId, meta }, over = {}) {
  const total = Number.isInteger(over.total_investment) && over.total_investment >= 0 ? over.total_investment : 350_000_000;
  const fifth = Math.floor(total / 7);
  return {
    name: `玄鸟测试项目${n}`,
    code: projectCode(n),
    category: 'industrial',
    industry: meta?.industries?.[0] ?? '',
    chain: meta?.chains?.[0] ?? '',
    enterprise_name: `衡东玄鸟材料有限公司${n}`,
    enterprise_credit_code: creditCode(n),
    township_id: townshipId,
    address: '衡东县城关镇工业大道1号',
    lng: 112.953,
    lat: 27.081,
    levels: ['province', 'county'],
    total_investment: 350_000_000,
    funding: { central_budget: fifth, special_bonds: 2 * fifth, self_raised: total - 4 * fifth, bank_loans: fifth, other: 0 },
    signed_date: '2025-12-01',
    planned_start: '2026-03-01',
    actual_start: null,
    planned_completion: '2027-12-31',
    actual_completion: null,
    production_date: null,
    content: '年产10万吨新材料生产线及配套设施',
    ...over,
  };
}

export async function createProject(client, input) {
  const r = await client.post('/projects', input);
  assert.equal(r.status, 201, `create ${input.name}: ${show(r)}`);
  return r.body;
}

export async function getProject(client, id) {
  const r = await client.get(`/projects/${id}`);
  assert.equal(r.status, 200, show(r));
  return r.body;
}

// PATCH with the current version; returns the response (not asserted).
export async function patchCurrent(client, reader, id, changes) {
  const p = await getProject(reader, id);
  return client.patch(`/projects/${id}`, { ...changes, version: p.version });
}

export function team(over = {}) {
  return {
    leader_id: null, unit_id: null, steward_id: null, police_id: null, inspector_id: null, liaison_id: null,
    team: [], levels_3456: {}, has_plan: false, has_schedule: false, ...over,
  };
}

export const sortedIds = (items) => items.map((x) => x.id).sort((a, b) => a - b);
