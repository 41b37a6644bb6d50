// The validation code generated at build time must answer exactly as the schemas compiled at run time do.
import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { aslSchemaMode, useAslSchemaCode } from '../src/emit/aslSchemaAjv.js';
import { validateAsl } from '../src/emit/validateAsl.js';

const root = join(import.meta.dirname, '..');
// Inside the repository, so that whatever the generated code requires resolves from its node_modules.
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const dir = mkdtempSync(join(root, 'node_modules', '.cache', 'l2s-asl-schema-'));
afterAll(() => {
  useAslSchemaCode(null);
  rmSync(dir, { recursive: true, force: true });
});

/** Every definition in the report snapshot, and broken copies of some. */
function definitions(): unknown[] {
  const snapshot = JSON.parse(gunzipSync(readFileSync(join(root, 'test', 'report-snapshot.json.gz'))).toString('utf8')) as Record<string, { findings: Array<{ stateMachine?: { definition: Record<string, unknown> } }> }>;
  const out: unknown[] = [];
  for (const report of Object.values(snapshot)) for (const f of report.findings) if (f.stateMachine) out.push(f.stateMachine.definition);
  const broken: unknown[] = [];
  for (const [i, d] of out.entries()) {
    if (i % 7) continue;
    const states = (d as { States: Record<string, Record<string, unknown>> }).States;
    const [name, first] = Object.entries(states)[0]!;
    const mutate = (f: (s: Record<string, unknown>) => void) => {
      const copy = structuredClone(d) as { States: Record<string, Record<string, unknown>> };
      f(copy.States[name]!);
      broken.push(copy);
    };
    mutate((s) => (s['Next'] = 'NoSuchState'));
    mutate((s) => (s['OutputPath'] = '$$..bad['));
    mutate((s) => (s['Type'] = 'Teleport'));
    mutate((s) => (s['Unknown'] = 1));
    mutate((s) => (s['ResultPath'] = 42));
    mutate((s) => (s['TimeoutSeconds'] = -1));
    if (first['Type'] === 'Task') mutate((s) => (s['Resource'] = 'not an arn'));
    mutate((s) => (s['Comment'] = '{% $states.input. %}'));
  }
  return [...out, ...broken];
}

describe('asl-validator with generated validation code', () => {
  test('every definition of the report snapshot, and broken copies, get the same verdict and errors both ways', () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-asl-schema.mjs'), dir]);
    const all = definitions();
    expect(all.length).toBeGreaterThan(400);
    useAslSchemaCode(null);
    const compiled = all.map((d) => validateAsl(d));
    expect(aslSchemaMode()).toBe('compiled');
    useAslSchemaCode(dir);
    const generated = all.map((d) => validateAsl(d));
    expect(aslSchemaMode()).toBe('generated');
    expect(generated).toEqual(compiled);
    // The broken copies are not all valid: the comparison covers errors, not only passes.
    expect(compiled.filter((r) => !r.valid).length).toBeGreaterThan(200);
  });

  test('a table from another asl-validator version is not used: the schemas are compiled instead', () => {
    const other = mkdtempSync(join(dir, 'other-'));
    execFileSync(process.execPath, [join(root, 'scripts', 'build-asl-schema.mjs'), other]);
    const formats = join(other, 'aslSchemaFormats.generated.cjs');
    execFileSync(process.execPath, ['-e', `const fs=require('fs');fs.writeFileSync(${JSON.stringify(formats)}, fs.readFileSync(${JSON.stringify(formats)},'utf8').replace(/aslValidatorVersion = "[^"]*"/, 'aslValidatorVersion = "0.0.0"'))`]);
    useAslSchemaCode(other);
    expect(validateAsl({ StartAt: 'A', States: { A: { Type: 'Succeed' } } })).toEqual({ valid: true, errors: [] });
    expect(aslSchemaMode()).toBe('compiled');
  });
});
