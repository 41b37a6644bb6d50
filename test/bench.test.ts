// The benchmark script itself runs end to end (a tiny corpus, one pair, no verify): `npm run bench` is
// not part of the suite, so this is what keeps it from rotting. No timing is asserted.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

test('npm run bench runs on a tiny corpus and prints every figure', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'bench', 'run.js'), '--files', '30,10', '--pairs', '1', '--no-verify'], { cwd: root, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^corpus: 30 files; \d+ parsed, \d+ handlers \(\d+ full, \d+ partial, \d+ none\)$/m);
  expect(r.stdout).toMatch(/^corpus: 10 files;/m);
  for (const label of ['scan --no-asl \\(report only\\) / R', 'scan --format json --diff / R', 'lambda2sfn --version / node -e 0']) {
    expect(r.stdout).toMatch(new RegExp(`^${label}\\s+\\d+\\.\\dx  \\(\\d+\\.\\d–\\d+\\.\\d\\)`, 'm'));
  }
  expect(r.stdout).toMatch(/^report-only scan time 30 \/ 10 files: \d+\.\d\d/m);
});
