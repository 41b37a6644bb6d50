// The wizard's parts on their own: the ASL drawn as a flowchart, the run-time typed attributes it asks about,
// the --types flag, and the writer restoring what it wrote when a later write fails.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { writeChanges } from '../src/commands/apply.js';
import type { AslDefinition } from '../src/report/types.js';
import { aslToMermaid, describeRule, drawStateMachine } from '../src/wizard/drawGraph.js';
import { parseTypesFlag, untypedAttributes } from '../src/wizard/typeQuestions.js';

const routed: AslDefinition = {
  StartAt: 'Which route?',
  States: {
    'Which route?': {
      Type: 'Choice',
      Choices: [
        { Variable: '$.event.httpMethod', StringEquals: 'GET', Next: 'GetItem' },
        { Variable: '$.event.httpMethod', StringEquals: 'HEAD', Next: 'GetItem' },
      ],
      Default: 'Not found',
    },
    GetItem: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Next: 'Respond', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Not found' }] },
    Respond: { Type: 'Pass', End: true },
    'Not found': { Type: 'Fail', Error: 'NotFound' },
  },
};

describe('drawing the state machine', () => {
  test('one node per state, Choice rules labelled (two rules to one state are one arrow), Default and Catch too', () => {
    expect(aslToMermaid(routed)).toBe(
      [
        'flowchart TD',
        '  s0{"Which route?"}',
        '  s1["GetItem"]',
        '  s2("Respond")',
        '  s3(["Not found"])',
        '  s0 -->|"event.httpMethod = GET …"| s1',
        '  s0 -->|"otherwise"| s3',
        '  s1 --> s2',
        '  s1 -->|"error: States.ALL"| s3',
      ].join('\n'),
    );
  });

  test('rule descriptions: comparisons, presence and type tests, Not, JSONata conditions', () => {
    expect(describeRule({ Variable: '$.vars.get1.Item', IsPresent: false })).toBe('get1.Item not present');
    expect(describeRule({ And: [{ Variable: '$.x', IsPresent: true }, { Variable: '$.x', IsNumeric: true }] })).toBe('x numeric');
    expect(describeRule({ Not: { Variable: '$.event.body', IsNull: true } })).toBe('not event.body null');
    expect(describeRule({ Variable: '$.a', NumericGreaterThanEqualsPath: '$.vars.limit' })).toBe('a ≥ vars.limit');
    expect(describeRule({ Condition: '{% $states.input.n > 3 %}' })).toBe('$states.input.n > 3');
  });

  test('drawn as boxes and arrows when it fits the width, else listed state by state', async () => {
    const drawn = await drawStateMachine(routed, { width: 200, color: false });
    expect(drawn).toMatch(/│\s*GetItem\s*├─error:─States\.ALL─►│\s*Not found\s*│/);
    expect(drawn).toContain('▼');
    const listed = await drawStateMachine(routed, { width: 20, color: false });
    expect(listed.split('\n')[0]).toMatch(/^the drawing is \d+ columns wide, the terminal 20; the transitions:$/);
    expect(listed.split('\n').slice(1)).toEqual(['  Which route? [Cho…', '  GetItem [Task] → …', '  Respond [Pass] → …', '  Not found [Fail] …']);
  });
});

describe('attribute types typed at run time', () => {
  const definition: AslDefinition = {
    StartAt: 'Type of price?',
    States: {
      'Type of price?': {
        Type: 'Choice',
        Choices: [
          { And: [{ Variable: '$.p', IsPresent: true }, { Variable: '$.p', IsString: true }], Next: 'As S' },
          { And: [{ Variable: '$.p', IsPresent: true }, { Variable: '$.p', IsNumeric: true }], Next: 'As N' },
        ],
        Default: 'Fail',
      },
      'As S': { Type: 'Pass', Parameters: { 'S.$': '$.p' }, ResultPath: '$.vars.tmp2', Next: 'PutItem' },
      'As N': { Type: 'Pass', Parameters: { 'N.$': "States.Format('{}', $.p)" }, ResultPath: '$.vars.tmp2', Next: 'PutItem' },
      PutItem: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: '${ItemsTable}', Item: { id: { 'S.$': '$.id' }, 'price.$': '$.vars.tmp2', 'other.$': '$.vars.tmp9' } }, End: true },
      Fail: { Type: 'Fail' },
    },
  };

  test('the Item attributes whose value a run-time type Choice builds, with the table key of their substitution', () => {
    expect(untypedAttributes(definition, { ItemsTable: 'process.env.ITEMS_TABLE' })).toEqual([{ table: 'ITEMS_TABLE', attribute: 'price', state: 'PutItem' }]);
    // A table name the configuration cannot key (a substitution not from the environment) is not asked about.
    expect(untypedAttributes(definition, { ItemsTable: 'Ref ItemsTable' })).toEqual([]);
  });

  test('--types parses TABLE.attribute=TYPE lists and refuses anything else', () => {
    expect(parseTypesFlag('ITEMS_TABLE.price=N, ITEMS_TABLE.paid=BOOL,orders.note=auto')).toEqual({ ITEMS_TABLE: { price: 'N', paid: 'BOOL' }, orders: { note: 'auto' } });
    expect(() => parseTypesFlag('ITEMS_TABLE.price')).toThrow('--types: "ITEMS_TABLE.price" is not TABLE.ATTRIBUTE=TYPE');
    expect(() => parseTypesFlag('T.a=X')).toThrow('--types: X is not one of S, N, BOOL or auto');
  });
});

describe("apply's writer", () => {
  test('a failing write restores the files already written and leaves no temp file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'l2s-writer-'));
    try {
      writeFileSync(join(root, 'a.txt'), 'before a');
      writeFileSync(join(root, 'blocker'), 'a file where a folder would have to be');
      await expect(
        writeChanges(root, [
          { path: 'a.txt', before: 'before a', after: 'after a' },
          { path: 'new.txt', before: null, after: 'new' },
          { path: 'blocker/inside.txt', before: null, after: 'x' },
        ]),
      ).rejects.toThrow(/^nothing applied: writing failed \(.*\); the files already written were restored$/);
      expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('before a');
      expect(readdirSync(root).sort()).toEqual(['a.txt', 'blocker']);
      mkdirSync(join(root, 'ok'));
      await writeChanges(root, [{ path: 'ok/b.txt', before: null, after: 'b' }]);
      expect(readdirSync(join(root, 'ok'))).toEqual(['b.txt']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
