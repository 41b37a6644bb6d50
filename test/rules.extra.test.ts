// A rule kept outside rules/ (a module written to a temporary folder at test time, no project file changed) is asked
// by the scan when passed as an extra rule: the construct it owns becomes its step, or its blocker by message id.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ruleList } from '../rules/index.js';
import type { Rule } from '../src/rules/createRule.js';
import type { Finding } from '../src/report/types.js';
import { scanProject } from '../src/scan/scanProject.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'l2s-extra-rule-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

// Plain JavaScript with no import: all a rule needs comes through its hooks' arguments (the lifter, its messages).
const RULE_MODULE = `
export const rule = {
  meta: {
    id: 'throttle-cool-down',
    title: 'throttle-kit coolDown',
    description: 'await coolDown() from throttle-kit pauses five seconds: a Wait state.',
    stepFunctionsFeature: 'Wait state',
    docs: 'README.md',
    messages: { pauseArgument: 'coolDown({{args}}) pauses for a time this rule does not read' },
  },
  create: (lx, rule) => ({
    liftExpression(e, out) {
      if (e.type !== 'AwaitExpression' || e.argument.type !== 'CallExpression' || e.argument.callee.type !== 'Identifier') return false;
      const callee = lx.lookup(e.argument.callee.name);
      if (callee?.kind !== 'package' || callee.source !== 'throttle-kit' || callee.path.join('.') !== 'coolDown') return false;
      if (e.argument.arguments.length) throw rule.failure('pauseArgument', e, { args: e.argument.arguments.map((a) => lx.code(a)).join(', ') });
      lx.use(rule.id);
      out.push({ kind: 'wait', seconds: 5, line: e.loc.start.line });
      return true;
    },
  }),
};
`;

const handler = (pause: string) => `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { coolDown } from 'throttle-kit';
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (event) => {
  ${pause};
  await ddb.send(new PutCommand({ TableName: process.env.ORDERS_TABLE, Item: { id: event.id } }));
  return { saved: event.id };
};
`;

async function finding(pause: string, extraRules?: Rule[]): Promise<Finding> {
  const dir = folder({ 'package.json': '{ "type": "module" }', 'src/handler.mjs': handler(pause) });
  const report = await scanProject([dir], { cwd: dir, ...(extraRules ? { extraRules } : {}) });
  expect(report.findings.map((f) => `${f.file}#${f.export}`)).toEqual(['src/handler.mjs#handler']);
  return report.findings[0]!;
}

describe('a rule from outside rules/', () => {
  let extra: Rule;
  beforeAll(async () => {
    const dir = folder({ 'throttleRule.mjs': RULE_MODULE });
    extra = ((await import(pathToFileURL(join(dir, 'throttleRule.mjs')).href)) as { rule: Rule }).rule;
  });

  test('loads from a temporary folder', () => {
    expect(extra.meta.id).toBe('throttle-cool-down');
  });

  test('without it, the construct is a blocker of the core', async () => {
    const f = await finding('await coolDown()');
    expect(f.convertible).toBe('none');
    expect(f.rules).not.toContain('throttle-cool-down');
    expect(f.blockers).toEqual([expect.objectContaining({ rule: 'unsupported-construct', line: 6, message: expect.stringContaining('coolDown()') })]);
  });

  test('with it, the construct becomes its Wait state', async () => {
    const f = await finding('await coolDown()', [extra]);
    expect(f.blockers).toEqual([]);
    expect(f.convertible).toBe('full');
    expect(f.rules).toContain('throttle-cool-down');
    const states = Object.values(f.stateMachine!.definition.States) as Array<{ Type: string; Seconds?: number }>;
    expect(states.filter((s) => s.Type === 'Wait')).toEqual([expect.objectContaining({ Seconds: 5 })]);
  });

  test('and what it cannot convert is its blocker, worded by its message id', async () => {
    const f = await finding('await coolDown(event.delay)', [extra]);
    expect(f.convertible).toBe('none');
    expect(f.blockers).toEqual([{ rule: 'throttle-cool-down', line: 6, message: 'coolDown(event.delay) pauses for a time this rule does not read' }]);
  });

  test('comes after the built-in rules, and may not take a built-in rule id', () => {
    const ids = ruleList([extra]).map((r) => r.meta.id);
    expect(ids.indexOf('throttle-cool-down')).toBe(ids.length - 2);
    expect(ids[ids.length - 1]).toBe('async-helper-inline');
    expect(() => ruleList([{ ...extra, meta: { ...extra.meta, id: 'sleep-wait' } }])).toThrow('rule id sleep-wait is already taken');
  });
});
