import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { findSchemaPath, isRuleEnabled, loadConfig } from '../src/config/loadConfig.js';
import { UsageError } from '../src/errors.js';

const TYPE_PATTERN = '^(S|N|B|BOOL|NULL|M|L|SS|NS|BS|L<(S|N|BOOL)>)$';
const created: string[] = [];

/** A fresh temp folder marked as a repository root (holds `.git`) so the search never leaves it. */
async function repo(): Promise<string> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'lambda2sfn-config-')));
  created.push(dir);
  await mkdir(path.join(dir, '.git'));
  return dir;
}

/** A fresh temp folder without `.git`. */
async function bareTemp(): Promise<string> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'lambda2sfn-config-')));
  created.push(dir);
  return dir;
}

async function put(file: string, content: string | object): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

async function usageError(promise: Promise<unknown>): Promise<UsageError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    return err as UsageError;
  }
  throw new Error('expected a UsageError, but the promise resolved');
}

afterAll(async () => {
  await Promise.all(created.map((d) => rm(d, { recursive: true, force: true })));
});

describe('loadConfig: search', () => {
  const sample = { include: ['src/**/*.ts'], rules: { 'route-switch': 'off' } };

  test.each(['.lambda2sfnrc', '.lambda2sfnrc.json', 'lambda2sfn.config.json'])('finds JSON config %s', async (name) => {
    const root = await repo();
    const file = await put(path.join(root, name), sample);
    await expect(loadConfig({ cwd: root })).resolves.toStrictEqual({ config: sample, filepath: file });
  });

  test.each(['.lambda2sfnrc.mjs', 'lambda2sfn.config.mjs'])('finds ESM config %s (default export)', async (name) => {
    const root = await repo();
    const file = await put(
      path.join(root, name),
      `const usage = { memoryMb: 512, architecture: 'arm64' };\nexport const other = 1;\nexport default { usage, exclude: ['**/*.test.ts'] };\n`,
    );
    await expect(loadConfig({ cwd: root })).resolves.toStrictEqual({
      config: { usage: { memoryMb: 512, architecture: 'arm64' }, exclude: ['**/*.test.ts'] },
      filepath: file,
    });
  });

  test.each(['.lambda2sfnrc.js', 'lambda2sfn.config.js'])('finds ESM config %s in a "type": "module" package', async (name) => {
    const root = await repo();
    await put(path.join(root, 'package.json'), { name: 'x', type: 'module' });
    const file = await put(path.join(root, name), `export default { tables: { Orders: { total: 'N' } } };\n`);
    await expect(loadConfig({ cwd: root })).resolves.toStrictEqual({
      config: { tables: { Orders: { total: 'N' } } },
      filepath: file,
    });
  });

  test('imports a CommonJS .js config through its default export', async () => {
    const root = await repo();
    const file = await put(path.join(root, 'lambda2sfn.config.js'), `module.exports = { rules: { 'route-switch': false } };\n`);
    await expect(loadConfig({ cwd: root })).resolves.toStrictEqual({
      config: { rules: { 'route-switch': false } },
      filepath: file,
    });
  });

  test('reads the "lambda2sfn" property of package.json', async () => {
    const root = await repo();
    const file = await put(path.join(root, 'package.json'), { name: 'app', lambda2sfn: { include: ['lib/**/*.js'] } });
    await expect(loadConfig({ cwd: root })).resolves.toStrictEqual({ config: { include: ['lib/**/*.js'] }, filepath: file });
  });

  test('package.json wins over rc files in the same folder; earlier search places win over later ones', async () => {
    const root = await repo();
    await put(path.join(root, 'lambda2sfn.config.json'), { include: ['c'] });
    const rc = await put(path.join(root, '.lambda2sfnrc.json'), { include: ['b'] });
    await expect(loadConfig({ cwd: root })).resolves.toStrictEqual({ config: { include: ['b'] }, filepath: rc });
    const pkg = await put(path.join(root, 'package.json'), { name: 'app', lambda2sfn: { include: ['a'] } });
    await expect(loadConfig({ cwd: root })).resolves.toStrictEqual({ config: { include: ['a'] }, filepath: pkg });
  });

  test('skips a package.json without the property and keeps searching, same folder then upward', async () => {
    const root = await repo();
    const file = await put(path.join(root, 'lambda2sfn.config.json'), { include: ['up'] });
    await put(path.join(root, 'pkg', 'package.json'), { name: 'inner' });
    await expect(loadConfig({ cwd: path.join(root, 'pkg') })).resolves.toStrictEqual({
      config: { include: ['up'] },
      filepath: file,
    });
  });

  test('searches upward from cwd and the nearest config wins', async () => {
    const root = await repo();
    await put(path.join(root, 'lambda2sfn.config.json'), { include: ['root'] });
    const near = await put(path.join(root, 'a', '.lambda2sfnrc'), { include: ['a'] });
    const cwd = path.join(root, 'a', 'b', 'c');
    await mkdir(cwd, { recursive: true });
    await expect(loadConfig({ cwd })).resolves.toStrictEqual({ config: { include: ['a'] }, filepath: near });
  });

  test('stops at the folder containing .git (that folder is still searched)', async () => {
    const outer = await bareTemp();
    await put(path.join(outer, 'lambda2sfn.config.json'), { include: ['outside-the-repo'] });
    const repoDir = path.join(outer, 'repo');
    await mkdir(path.join(repoDir, '.git'), { recursive: true });
    const cwd = path.join(repoDir, 'packages', 'svc');
    await mkdir(cwd, { recursive: true });

    const none = await loadConfig({ cwd });
    expect(none).toStrictEqual({ config: {} });

    const inRepoRoot = await put(path.join(repoDir, '.lambda2sfnrc.json'), { include: ['repo-root'] });
    await expect(loadConfig({ cwd })).resolves.toStrictEqual({ config: { include: ['repo-root'] }, filepath: inRepoRoot });
  });

  test('a .git file (worktree/submodule) also stops the search', async () => {
    const outer = await bareTemp();
    await put(path.join(outer, 'lambda2sfn.config.json'), { include: ['outside'] });
    await put(path.join(outer, 'wt', '.git'), 'gitdir: /somewhere/else\n');
    await mkdir(path.join(outer, 'wt', 'src'), { recursive: true });
    await expect(loadConfig({ cwd: path.join(outer, 'wt', 'src') })).resolves.toStrictEqual({ config: {} });
  });

  test('without .git the search continues to parent folders', async () => {
    const outer = await bareTemp();
    const file = await put(path.join(outer, 'lambda2sfn.config.json'), { include: ['outer'] });
    const cwd = path.join(outer, 'x', 'y');
    await mkdir(cwd, { recursive: true });
    await expect(loadConfig({ cwd })).resolves.toStrictEqual({ config: { include: ['outer'] }, filepath: file });
  });

  test('no config found -> empty config and no filepath', async () => {
    const root = await repo();
    const result = await loadConfig({ cwd: root });
    expect(result).toStrictEqual({ config: {} });
    expect('filepath' in result).toBe(false);
  });
});

describe('loadConfig: --config', () => {
  test('overrides the search (absolute path)', async () => {
    const root = await repo();
    await put(path.join(root, 'lambda2sfn.config.json'), { include: ['searched'] });
    const explicit = await put(path.join(root, 'conf', 'custom.json'), { include: ['explicit'] });
    await expect(loadConfig({ cwd: root, configPath: explicit })).resolves.toStrictEqual({
      config: { include: ['explicit'] },
      filepath: explicit,
    });
  });

  test('a relative path is resolved against cwd, and any name/extension-less file is JSON', async () => {
    const root = await repo();
    const explicit = await put(path.join(root, 'conf', 'myconfig'), { exclude: ['dist/**'] });
    await expect(loadConfig({ cwd: root, configPath: 'conf/myconfig' })).resolves.toStrictEqual({
      config: { exclude: ['dist/**'] },
      filepath: explicit,
    });
  });

  test('an explicit .mjs file is imported', async () => {
    const root = await repo();
    const explicit = await put(path.join(root, 'cfg.mjs'), `export default { usage: { region: 'eu-west-1' } };\n`);
    await expect(loadConfig({ cwd: root, configPath: explicit })).resolves.toStrictEqual({
      config: { usage: { region: 'eu-west-1' } },
      filepath: explicit,
    });
  });

  test('an explicit package.json uses its "lambda2sfn" property', async () => {
    const root = await repo();
    const pkg = await put(path.join(root, 'other', 'package.json'), { name: 'o', lambda2sfn: { include: ['o'] } });
    await expect(loadConfig({ cwd: root, configPath: pkg })).resolves.toStrictEqual({ config: { include: ['o'] }, filepath: pkg });
  });

  test('an explicit package.json without the property is an error', async () => {
    const root = await repo();
    const pkg = await put(path.join(root, 'package.json'), { name: 'o' });
    const err = await usageError(loadConfig({ cwd: root, configPath: pkg }));
    expect(err.message).toBe(`invalid configuration in ${pkg}: no "lambda2sfn" property`);
  });

  test('a missing file is a UsageError naming it', async () => {
    const root = await repo();
    await put(path.join(root, 'lambda2sfn.config.json'), {});
    const err = await usageError(loadConfig({ cwd: root, configPath: 'nope.json' }));
    expect(err.message).toBe(`config file not found: ${path.join(root, 'nope.json')}`);
  });

  test('a folder is a UsageError', async () => {
    const root = await repo();
    await mkdir(path.join(root, 'dir'));
    const err = await usageError(loadConfig({ cwd: root, configPath: 'dir' }));
    expect(err.message).toBe(`config file is not a file: ${path.join(root, 'dir')}`);
  });

  test('an unsupported extension is a UsageError naming the file', async () => {
    const root = await repo();
    const file = await put(path.join(root, 'cfg.yaml'), 'include: []\n');
    const err = await usageError(loadConfig({ cwd: root, configPath: file }));
    expect(err.message).toContain(`cannot load configuration from ${file}`);
    expect(err.message).toContain('.yaml');
  });

  test('an empty explicit file means an empty config', async () => {
    const root = await repo();
    const file = await put(path.join(root, 'empty.json'), '  \n');
    await expect(loadConfig({ cwd: root, configPath: file })).resolves.toStrictEqual({ config: {}, filepath: file });
  });
});

describe('loadConfig: errors', () => {
  test('invalid JSON names the file and, when V8 gives a position, the line and column', async () => {
    const root = await repo();
    const file = await put(path.join(root, 'lambda2sfn.config.json'), '{\n  "include": ["a"],\n}\n');
    const err = await usageError(loadConfig({ cwd: root }));
    expect(err.message.startsWith(`invalid JSON in ${file}: `)).toBe(true);
    expect(err.message).toMatch(/line 3, column 1\)$/);
  });

  test('invalid JSON messages stay on one line', async () => {
    const root = await repo();
    const file = await put(path.join(root, 'lambda2sfn.config.json'), '{\n  "include": ["a",]\n}\n');
    const err = await usageError(loadConfig({ cwd: root }));
    expect(err.message.startsWith(`invalid JSON in ${file}: `)).toBe(true);
    expect(err.message).not.toContain('\n');
  });

  test('invalid JSON in an extension-less .lambda2sfnrc is reported the same way', async () => {
    const root = await repo();
    const file = await put(path.join(root, '.lambda2sfnrc'), 'include = ["a"]');
    const err = await usageError(loadConfig({ cwd: root }));
    expect(err.message.startsWith(`invalid JSON in ${file}: `)).toBe(true);
  });

  test('invalid JSON in a package.json on the search path is reported', async () => {
    const root = await repo();
    const file = await put(path.join(root, 'package.json'), '{ "name": ');
    const err = await usageError(loadConfig({ cwd: root }));
    expect(err.message.startsWith(`invalid JSON in ${file}: `)).toBe(true);
  });

  test('a schema violation names the file, the JSON path, the rule and the value', async () => {
    const root = await repo();
    const file = await put(path.join(root, 'lambda2sfn.config.json'), { tables: { Orders: { id: 'S', total: 'number' } } });
    const err = await usageError(loadConfig({ cwd: root }));
    expect(err.message).toBe(
      `invalid configuration in ${file}: /tables/Orders/total must match pattern "${TYPE_PATTERN}" (got "number") (line 5, column 16)`,
    );
  });

  test('all schema errors are listed, joined with "; "', async () => {
    const root = await repo();
    const file = await put(path.join(root, '.lambda2sfnrc.json'), {
      inculde: ['src'],
      rules: { 'route-switch': 'yes' },
      usage: { memoryMb: 64, architecture: 'arm', region: 'useast1', avgDurationMs: 0, requestsPerMonth: -1, cpu: 2 },
      exclude: 'dist',
    });
    const err = await usageError(loadConfig({ cwd: root }));
    const prefix = `invalid configuration in ${file}: `;
    expect(err.message.startsWith(prefix)).toBe(true);
    // Each problem ends with where its value is in the JSON file.
    const located = err.message.slice(prefix.length).split('; ');
    for (const p of located) expect(p).toMatch(/ \(line \d+, column \d+\)$/);
    const parts = located.map((p) => p.replace(/ \(line \d+, column \d+\)$/, ''));
    expect(parts.sort()).toEqual(
      [
        '(root) must NOT have additional property "inculde"',
        '/rules/route-switch must be one of true, false, "on", "off" (got "yes")',
        '/usage must NOT have additional property "cpu"',
        '/usage/memoryMb must be >= 128 (got 64)',
        '/usage/architecture must be one of "x86_64", "arm64" (got "arm")',
        '/usage/region must match pattern "^[a-z]{2}(-[a-z]+)+-\\d$" (got "useast1")',
        '/usage/avgDurationMs must be > 0 (got 0)',
        '/usage/requestsPerMonth must be >= 0 (got -1)',
        '/exclude must be array (got "dist")',
      ].sort(),
    );
  });

  test('a non-integer memoryMb and a wrong-typed table are rejected', async () => {
    const root = await repo();
    await put(path.join(root, '.lambda2sfnrc.json'), { usage: { memoryMb: 512.5 }, tables: { Orders: ['id'] } });
    const err = await usageError(loadConfig({ cwd: root }));
    expect(err.message).toContain('/usage/memoryMb must be integer (got 512.5)');
    expect(err.message).toContain('/tables/Orders must be object (got an array)');
  });

  test('a config that is not an object is rejected', async () => {
    const root = await repo();
    const file = await put(path.join(root, 'lambda2sfn.config.mjs'), 'export default 42;\n');
    const err = await usageError(loadConfig({ cwd: root }));
    expect(err.message).toBe(`invalid configuration in ${file}: (root) must be object (got 42)`);
  });

  test('an ESM config that fails to import names the file', async () => {
    const root = await repo();
    const file = await put(path.join(root, 'lambda2sfn.config.mjs'), 'export default { include: [ ;\n');
    const err = await usageError(loadConfig({ cwd: root }));
    expect(err.message.startsWith(`cannot import configuration from ${file}: `)).toBe(true);
  });

  test('an ESM config that throws while loading names the file and the error', async () => {
    const root = await repo();
    const file = await put(path.join(root, '.lambda2sfnrc.mjs'), "throw new Error('boom from config');\n");
    const err = await usageError(loadConfig({ cwd: root }));
    expect(err.message).toBe(`cannot import configuration from ${file}: boom from config`);
  });

  test('an ESM config without a default export is rejected', async () => {
    const root = await repo();
    const file = await put(path.join(root, 'lambda2sfn.config.mjs'), 'export const include = ["src"];\n');
    const err = await usageError(loadConfig({ cwd: root }));
    expect(err.message).toBe(`invalid configuration in ${file}: the module has no default export`);
  });
});

describe('isRuleEnabled', () => {
  test.each([
    [{}, true],
    [{ rules: {} }, true],
    [{ rules: { 'other-rule': false } }, true],
    [{ rules: { 'route-switch': true } }, true],
    [{ rules: { 'route-switch': 'on' as const } }, true],
    [{ rules: { 'route-switch': false } }, false],
    [{ rules: { 'route-switch': 'off' as const } }, false],
  ])('%j -> %s', (config, expected) => {
    expect(isRuleEnabled(config, 'route-switch')).toBe(expected);
  });

  test('does not read inherited properties', () => {
    expect(isRuleEnabled({ rules: {} }, 'toString')).toBe(true);
    expect(isRuleEnabled({ rules: {} }, '__proto__')).toBe(true);
  });
});

describe('schema/lambda2sfn.schema.json', () => {
  async function readSchema(): Promise<Record<string, unknown>> {
    return JSON.parse(await readFile(findSchemaPath(), 'utf8')) as Record<string, unknown>;
  }

  test('is found from the source module and is draft-07 with the published $id', async () => {
    expect(findSchemaPath()).toBe(path.resolve('schema', 'lambda2sfn.schema.json'));
    const schema = await readSchema();
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe('https://lambda2sfn.dev/schema/lambda2sfn.schema.json');
  });

  test('compiles in ajv strict mode and accepts a complete valid config', async () => {
    const ajv = new Ajv({ strict: true, allErrors: true });
    const validate = ajv.compile(await readSchema());
    const config = {
      $schema: './node_modules/lambda2sfn/schema/lambda2sfn.schema.json',
      include: ['src/**/*.ts'],
      exclude: ['**/*.test.ts'],
      rules: { 'route-switch': 'off', 'unsupported-construct': true },
      tables: { TABLE_NAME: { id: 'S', n: 'N', b: 'B', ok: 'BOOL', nil: 'NULL', m: 'M', l: 'L', ss: 'SS', ns: 'NS', bs: 'BS', ls: 'L<S>', ln: 'L<N>', lb: 'L<BOOL>' } },
      usage: { requestsPerMonth: 0, avgDurationMs: 0.5, memoryMb: 10240, architecture: 'x86_64', region: 'us-gov-west-1' },
    };
    expect(validate(config)).toBe(true);
    expect(validate({ tables: { T: { a: 'L<M>' } } })).toBe(false);
    expect(validate({ usage: { memoryMb: 10241 } })).toBe(false);
  });

  test('every property has a title and a description, and every object forbids unknown properties', async () => {
    const problems: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.type === 'object' && n.properties && n.additionalProperties !== false) problems.push(`${where}: additionalProperties`);
      for (const [key, child] of Object.entries((n.properties ?? {}) as Record<string, unknown>)) {
        const c = child as Record<string, unknown>;
        if (typeof c.title !== 'string' || typeof c.description !== 'string') problems.push(`${where}/${key}: title/description`);
        walk(child, `${where}/${key}`);
      }
      for (const k of ['items', 'additionalProperties', 'propertyNames']) {
        const child = n[k];
        if (child && typeof child === 'object') {
          const c = child as Record<string, unknown>;
          if (typeof c.title !== 'string' || typeof c.description !== 'string') problems.push(`${where}/${k}: title/description`);
          walk(child, `${where}/${k}`);
        }
      }
    };
    walk(await readSchema(), '');
    expect(problems).toEqual([]);
  });
});
