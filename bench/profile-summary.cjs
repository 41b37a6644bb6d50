#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): self time by module (package or src/ file) and by function,
// and inclusive time of the project's own functions, so that "where does the time go" has a number.
// usage: node bench/profile-summary.cjs FILE.cpuprofile [top=25]
const { readFileSync } = require('node:fs');
const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 25);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const dts = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dts[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const moduleOf = (url) => {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const src = url.indexOf('/dist/');
  if (src >= 0) return url.slice(src + 6);
  return url.startsWith('node:') ? 'node:' : url;
};
const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
const mods = new Map();
const fns = new Map();
const incl = new Map();
for (const [id, t] of self) {
  const n = byId.get(id);
  const cf = n.callFrame;
  add(mods, moduleOf(cf.url), t);
  add(fns, `${cf.functionName || '(anon)'} ${moduleOf(cf.url)}:${cf.lineNumber + 1}`, t);
  // inclusive: each distinct own function on the stack once
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const f = byId.get(cur).callFrame;
    if (!f.url.includes('/dist/')) continue;
    const key = `${f.functionName || '(anon)'} ${moduleOf(f.url)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    add(incl, key, t);
  }
}
const show = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
};
console.log(`total sampled ${(total / 1000).toFixed(0)} ms`);
show('self time by module', mods);
show('self time by function', fns);
show('inclusive time of project functions', incl);
