// The scan's one walk must find exactly what fast-glob found before it: the source files (with the .gitignore
// rules applied) and, for reading the infrastructure, the files the infrastructure globs match.
import { afterAll, describe, expect, test } from '@jest/globals';
import fg from 'fast-glob';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ALWAYS_SKIPPED_DIRS, discoverFiles, isSourceFile, SOURCE_EXTENSIONS } from '../src/discover/discoverFiles.js';

const tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'l2s-walk-')));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FOLDERS = ['', 'a', 'a/b', '.hidden', '.hidden/x', 'node_modules/m', 'dist', 'sub/dist/q', 'sub/.serverless', 'cdk.out/z', 'ign', 'ign/deep', 'keep', '.github/wf', 'target', 'A.TS'];
const NAMES = ['f.ts', 'g.d.ts', 'h.mjs', 'i.cjs', 'j.tsx', 'k.JS', 'gen.gen.ts', 'template.yaml', 'template.yml', 'template.json', 'serverless.yml', 'serverless.yaml', '.template.yaml', 'my.template.json', 'x.template.yml', 'cdk.json', 'cfn.yml', 'cloudformation.json', 'template.yaml.bak', 'README.md'];
for (const folder of FOLDERS) {
  mkdirSync(path.join(tmp, folder), { recursive: true });
  for (const name of NAMES) writeFileSync(path.join(tmp, folder, name), 'x');
}
symlinkSync(path.join(tmp, 'target'), path.join(tmp, 'a', 'linked-dir'));
symlinkSync(path.join(tmp, 'a', 'f.ts'), path.join(tmp, 'keep', 'linked.ts'));
symlinkSync(path.join(tmp, 'a', 'template.yaml'), path.join(tmp, 'keep', 'cfn.json'));
mkdirSync(path.join(tmp, '.git'));
writeFileSync(path.join(tmp, '.gitignore'), 'ign/\n*.gen.ts\n!keep/gen.gen.ts\ntarget\n');
writeFileSync(path.join(tmp, 'keep', '.gitignore'), 'h.mjs\n');

const SKIP = ALWAYS_SKIPPED_DIRS.flatMap((dir) => [`**/${dir}`, `**/${dir}/**`]);

describe('the one walk of a folder', () => {
  test('finds the source files fast-glob finds, less the gitignored ones', async () => {
    const found = await discoverFiles([tmp], { cwd: tmp });
    const globbed = await fg(`**/*.{${SOURCE_EXTENSIONS.join(',')}}`, { cwd: tmp, absolute: true, dot: true, followSymbolicLinks: false, ignore: SKIP, suppressErrors: true });
    const rel = (f: string) => path.relative(tmp, f);
    const expected = globbed.filter(isSourceFile).map(rel).filter((f) => !/^(ign|target)\//.test(f) && !(/\.gen\.ts$/.test(f) && f !== 'keep/gen.gen.ts') && f !== 'keep/h.mjs').sort();
    expect(found.files.map(rel).sort()).toEqual(expected);
    expect(expected).toContain('.hidden/x/f.ts');
    expect(expected).not.toContain('keep/linked.ts');
  });

  test('lists the infrastructure files the infrastructure globs match, in gitignored folders too', async () => {
    const found = await discoverFiles([tmp], { cwd: tmp });
    const globbed = await fg(['**/template.{yaml,yml,json}', '**/*.template.{yaml,yml,json}', '**/{cloudformation,cfn}.{yaml,yml,json}', '**/serverless.{yml,yaml}', '**/cdk.json'], { cwd: tmp, absolute: true, dot: false, ignore: SKIP, suppressErrors: true, followSymbolicLinks: false });
    expect(found.infrastructureFiles).toEqual(globbed.sort());
    expect(globbed.map((f) => path.relative(tmp, f))).toEqual(expect.arrayContaining(['ign/deep/cdk.json', 'x.template.yml', 'A.TS/cfn.yml']));
  });

  test('lists no infrastructure files for anything but one folder', async () => {
    expect((await discoverFiles([path.join(tmp, 'a'), path.join(tmp, 'keep')], { cwd: tmp })).infrastructureFiles).toBeUndefined();
    expect((await discoverFiles([path.join(tmp, 'a', 'f.ts')], { cwd: tmp })).infrastructureFiles).toBeUndefined();
  });
});
