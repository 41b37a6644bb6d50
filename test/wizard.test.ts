// `lambda2sfn migrate` driven through its prompter interface, on throw-away git copies of fixture projects:
// which questions it asks, what it writes for the answers, and that a cancelled or flag-less run writes nothing.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import type { RunIO } from '../src/cli.js';
import { runMigrate, type MigrateCliOptions } from '../src/commands/migrate.js';
import { validateAsl } from '../src/emit/validateAsl.js';
import type { AslDefinition } from '../src/report/types.js';
import { scanProject } from '../src/scan/scanProject.js';
import { WizardCancelled, type Choice, type Prompter, type Question } from '../src/wizard/prompter.js';
import { projectCopy, snapshot } from './support/wizardProject.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
const copy = (fixture: Parameters<typeof projectCopy>[0]) => {
  const dir = projectCopy(fixture);
  made.push(dir);
  return dir;
};

function io(cwd: string, isTTY = true): RunIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), isTTY, cwd, env: {} };
}

interface Asked {
  id: string;
  message: string;
  choices?: Array<Choice<unknown>>;
}

/**
 * Answers by question id (a function gets the question, and may throw, e.g. to cancel). A question the test did not expect fails it:
 * the wizard must ask only what the test knows about.
 */
function scripted(answers: Record<string, unknown>): Prompter & { asked: Asked[] } {
  const asked: Asked[] = [];
  const answer = <T>(q: Question & { choices?: Array<Choice<T>> }): T => {
    asked.push({ id: q.id, message: q.message, choices: q.choices as Array<Choice<unknown>> | undefined });
    if (!(q.id in answers)) throw new Error(`unexpected question ${q.id}: ${q.message}`);
    const a = answers[q.id];
    return (typeof a === 'function' ? (a as (q: { choices?: Array<Choice<T>> }) => T)(q) : a) as T;
  };
  return {
    asked,
    checkbox: async <T>(q: Question & { choices: Array<Choice<T>> }) => answer(q) as unknown as T[],
    select: async (q) => answer(q),
    input: async (q) => answer(q),
    confirm: async (q) => answer(q),
    editor: async (q) => answer(q),
  };
}

const firstChoice = (q: { choices?: Array<Choice<string>> }) => [q.choices![0]!.value];

const migrate = (dir: string, opts: Partial<MigrateCliOptions>, tty = true) => {
  const o = io(dir, tty);
  return { o, code: runMigrate(['.'], { color: false, width: 120, ...opts }, o, tty) };
};

// A handler writing a request field whose type the code does not say: the JSONPath proposal types it at run time.
const PUT_PRICE = {
  'src/putPrice.ts': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: any) => {
  const body = JSON.parse(event.body);
  await ddb.send(new PutCommand({ TableName: process.env.ITEMS_TABLE, Item: { id: event.pathParameters.id, price: body.price } }));
  return { statusCode: 201, body: JSON.stringify({ id: event.pathParameters.id }) };
};
`,
};

describe('migrate through the prompter', () => {
  test('applies one of two picked-from handlers: only its state machine is written', async () => {
    const dir = copy('demo');
    const before = snapshot(dir);
    // The checklist's answer is the id of getOrder, read from an independent scan.
    const report = await scanProject(['.'], { cwd: dir });
    const get = report.findings.find((f) => f.file === 'src/getOrder.ts')!;
    const create = report.findings.find((f) => f.file === 'src/createOrder.ts')!;
    const p = scripted({ handlers: [get.id], queryLanguage: 'auto', iac: 'auto', name: 'GetOrder', verify: false, action: 'apply' });
    const { o, code } = migrate(dir, { prompter: p });
    expect(await code).toBe(0);

    const list = p.asked.find((a) => a.id === 'handlers')!;
    // full first, by lines removed; the `none` finding greyed with its first blocker.
    const names = list.choices!.map((c) => c.name);
    expect(names.slice(0, 4).every((n) => / full /.test(n))).toBe(true);
    expect(names[0]).toMatch(/^src\/cancelOrder\.cjs#cancelOrder {2}full −20 lines/);
    const none = list.choices!.find((c) => String(c.name).startsWith('src/expireOrders.ts'))!;
    expect(none.disabled).toMatch(/^line \d+: /);
    expect(p.asked.map((a) => a.id)).toEqual(['handlers', 'queryLanguage', 'iac', 'name', 'verify', 'action']);

    const after = snapshot(dir);
    const added = Object.keys(after).filter((k) => !(k in before));
    expect(added.sort()).toEqual(['statemachine/', 'statemachine/get-order.asl.json']);
    for (const k of Object.keys(before)) expect(after[k]).toBe(before[k]);
    const asl = JSON.parse(readFileSync(join(dir, 'statemachine/get-order.asl.json'), 'utf8')) as AslDefinition;
    expect(asl).toEqual(get.stateMachine!.definition);
    expect(existsSync(join(dir, 'statemachine', 'create-order.asl.json'))).toBe(false);
    expect(create.convertible).toBe('full');
    const text = o.out.join('');
    expect(text).toContain('━━ src/getOrder.ts#handler (full) ━━');
    expect(text).toMatch(/│\s+GetItem\s+│/);
    expect(text).toContain('+++ b/statemachine/get-order.asl.json');
    expect(text).toMatch(/applied {2}src\/getOrder\.ts#handler \(EXPRESS\)/);
    expect(text).toContain('rm -- statemachine/get-order.asl.json');
  });

  test('an attribute type the user gives is in the emitted ASL and in lambda2sfn.config.json', async () => {
    const dir = copy(PUT_PRICE);
    const p = scripted({ handlers: firstChoice, 'types:ITEMS_TABLE.price': 'N', queryLanguage: 'auto', iac: 'auto', name: 'PutPrice', action: 'apply' });
    const { o, code } = migrate(dir, { prompter: p });
    expect(await code).toBe(0);
    const typeQuestion = p.asked.find((a) => a.id === 'types:ITEMS_TABLE.price')!;
    expect(typeQuestion.message).toContain('Attribute price of ITEMS_TABLE');
    expect(typeQuestion.choices!.map((c) => c.value)).toEqual(['auto', 'S', 'N', 'BOOL']);

    const asl = JSON.parse(readFileSync(join(dir, 'statemachine/put-price.asl.json'), 'utf8')) as AslDefinition;
    expect(validateAsl(asl).valid).toBe(true);
    // price may be missing from the body: the item is built first and price is added, typed N as given, when it is there.
    expect(asl.States['PutItem']!['Parameters']).toEqual({ TableName: '${ItemsTable}', 'Item.$': '$.vars.tmp2' });
    expect(asl.States['Build object']).toMatchObject({ Parameters: { id: { 'S.$': '$.event.pathParameters.id' } }, ResultPath: '$.vars.tmp2' });
    expect(asl.States['Set price']).toMatchObject({ Parameters: { 'N.$': "States.Format('{}', $.vars.body.value.price)" }, ResultPath: '$.vars.tmp2.price' });
    expect(Object.keys(asl.States).some((s) => s.startsWith('Type of'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'lambda2sfn.config.json'), 'utf8'))).toEqual({ tables: { ITEMS_TABLE: { price: 'N' } } });
    expect(o.out.join('')).toContain('+++ b/lambda2sfn.config.json');
    // The next scan knows the type from the configuration.
    const next = await scanProject(['.'], { cwd: dir });
    expect(next.findings[0]!.stateMachine!.definition.States['PutItem']!['Parameters']).toEqual(asl.States['PutItem']!['Parameters']);
  });

  test('STANDARD, chosen with both costs shown, is the type of the state machine in the SAM template', async () => {
    const dir = copy('projects/sam-sqs-pipe');
    const p = scripted({ handlers: firstChoice, queryLanguage: 'auto', workflowType: 'STANDARD', iac: 'auto', name: 'ForwardOrders', action: 'apply' });
    expect(await migrate(dir, { prompter: p }).code).toBe(0);
    const question = p.asked.find((a) => a.id === 'workflowType')!;
    expect(question.choices!.map((c) => c.name)).toEqual(['EXPRESS — $4.75/month', 'STANDARD — $4,425.00/month']);
    const template = readFileSync(join(dir, 'template.yaml'), 'utf8');
    expect(template).toMatch(/ForwardOrdersStateMachine:\n {4}Type: AWS::Serverless::StateMachine\n {4}Properties:\n {6}Type: STANDARD\n/);
    expect(template).toContain('InvocationType: FIRE_AND_FORGET');
    expect(template).toContain('Action: states:StartExecution');
    expect(template).not.toContain('EXPRESS');
  });

  test('cancelling after the diff changes no file and leaves no temp file', async () => {
    const dir = copy('projects/sam');
    const before = snapshot(dir);
    const p = scripted({
      handlers: firstChoice,
      queryLanguage: 'auto',
      iac: 'auto',
      name: 'GetItem',
      verify: false,
      action: () => {
        throw new WizardCancelled();
      },
    });
    const { o, code } = migrate(dir, { prompter: p });
    expect(await code).toBe(2);
    expect(o.out.join('')).toContain('+++ b/template.yaml');
    // After the scan's progress line: one line of its own.
    expect(o.err.join('').endsWith('\ncancelled: nothing was written\n')).toBe(true);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('migrate: verify and routing', () => {
  test('verify on the case folder\'s recorded events prints the result per event; skipping writes nothing', async () => {
    const dir = copy('demo');
    const before = snapshot(dir);
    const p = scripted({ handlers: (q: { choices?: Array<Choice<string>> }) => q.choices!.filter((c) => String(c.name).startsWith('src/getOrder.ts')).map((c) => c.value), queryLanguage: 'auto', iac: 'auto', name: 'GetOrder', verify: true, action: 'skip' });
    const { o, code } = migrate(dir, { prompter: p });
    expect(await code).toBe(0);
    expect(p.asked.find((a) => a.id === 'verify')!.message).toBe('Verify on the 2 recorded events of ./events.json?');
    const text = o.out.join('');
    expect(text).toContain('  equal     get an order\n');
    expect(text).toContain('  equal     get an unknown order\n');
    expect(text).toContain('  equivalent: tables equal; side effects equal\n');
    expect(text).toMatch(/skipped {2}src\/getOrder\.ts#handler/);
    expect(snapshot(dir)).toEqual(before);
  });

  test('no recorded events: verify on events generated from the route, shown with the table seed, edited, then run', async () => {
    const dir = copy('projects/sam');
    const before = snapshot(dir);
    let edited = '';
    const p = scripted({
      handlers: (q: { choices?: Array<Choice<string>> }) => q.choices!.filter((c) => String(c.name).startsWith('src/handlers/getItem.ts')).map((c) => c.value),
      queryLanguage: 'auto',
      iac: 'auto',
      name: 'GetItem',
      verify: true,
      // First edit (a second event, for an id the table does not hold), then run.
      generatedEvents: (() => {
        let n = 0;
        return () => (n++ === 0 ? 'edit' : 'run');
      })(),
      editEvents: (q: Question & { default?: string }) => {
        const doc = JSON.parse(q.default!) as { events: Array<{ name: string; event: Record<string, unknown> }>; tables: unknown[] };
        const other = structuredClone(doc.events[0]!);
        other.name = 'an unknown id';
        other.event['pathParameters'] = { id: 'id-9' };
        other.event['path'] = '/items/id-9';
        edited = JSON.stringify({ ...doc, events: [...doc.events, other] });
        return edited;
      },
      action: 'skip',
    });
    const { o, code } = migrate(dir, { prompter: p });
    expect(await code).toBe(0);
    expect(p.asked.map((a) => a.id)).toEqual(['handlers', 'queryLanguage', 'iac', 'name', 'verify', 'generatedEvents', 'editEvents', 'generatedEvents', 'action']);
    expect(p.asked.find((a) => a.id === 'verify')!.message).toBe('Verify on 1 generated event?');
    const text = o.out.join('');
    expect(text).toContain('No events.json names src/handlers/getItem.ts#handler: events are generated from its route and the fields the machine\nreads.\n');
    expect(text).toContain('  GET /items/id-1 (generated)\n    pathParameters {"id":"id-1"} · queryStringParameters null · body null\n');
    expect(text).toContain('  ItemsTable (key id S): {"id":"id-1","name":"name-1"}\n');
    // After the edit the listing shows both events, and verify runs both: found, and not found.
    expect(text).toContain('  an unknown id\n');
    expect(text).toContain('  equal     GET /items/id-1 (generated)\n');
    expect(text).toContain('  equal     an unknown id\n');
    // name NULL or a number: the proposal states it reads name as a string (not counted against equivalence).
    expect(text).toContain('  4 variants derived from them: 2 equal, 2 different only where the proposal states an assumption\n');
    expect(text).toContain('    stated    variant: item id-1 with name NULL\n');
    expect(text).toContain('  equivalent: tables equal; side effects equal\n');
    expect(snapshot(dir)).toEqual(before);
  });

  test('split routing: each route\'s machine is drawn, and the handler is skipped (proposals are one machine per handler)', async () => {
    const dir = copy('cases/route-switch-partial-fallback');
    const before = snapshot(dir);
    const p = scripted({ handlers: firstChoice, routing: 'split', queryLanguage: 'auto' });
    const { o, code } = migrate(dir, { prompter: p });
    expect(await code).toBe(0);
    expect(p.asked.map((a) => a.id)).toEqual(['handlers', 'routing', 'queryLanguage']);
    const text = o.out.join('');
    for (const route of ['route GET (httpMethod = GET):', 'route PUT (httpMethod = PUT):', 'route DELETE (httpMethod = DELETE):', 'route default (the catch-all route):']) expect(text).toContain(route);
    expect(text).toContain('Skipped: the proposals (diff, apply, write) are built for one state machine per handler');
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('migrate without a terminal', () => {
  test('without --yes: exit 2, the flags it still needs, nothing written', async () => {
    const dir = copy('projects/sam');
    const before = snapshot(dir);
    const { o, code } = migrate(dir, {}, false);
    expect(await code).toBe(2);
    expect(o.err.join('')).toBe('lambda2sfn: migrate needs a terminal to ask, or these flags (or --yes for the defaults): --handlers FILE#EXPORT,…, --query-language auto|jsonpath|jsonata, --iac auto|sam|serverless|cdk|none, --name NAME, --verify / --no-verify, --apply or --write DIR\n');
    expect(snapshot(dir)).toEqual(before);
  });

  test('CI set: never prompts, even on a terminal', async () => {
    const dir = copy('projects/sam');
    const o = io(dir, true);
    o.env['CI'] = 'true';
    expect(await runMigrate(['.'], { color: false, width: 120 }, o, true)).toBe(2);
  });

  test('every answer given as a flag: no exit 2, and the same files as the interactive run', async () => {
    const a = copy('projects/sam-sqs-pipe');
    const b = copy('projects/sam-sqs-pipe');
    const p = scripted({ handlers: firstChoice, queryLanguage: 'auto', workflowType: 'STANDARD', iac: 'auto', name: 'Forward', action: 'apply' });
    expect(await migrate(a, { prompter: p }).code).toBe(0);
    const flags = migrate(b, { handlers: 'src/handlers/forwardOrders.ts#handler', queryLanguage: 'auto', workflowType: 'STANDARD', iac: 'auto', name: 'Forward', apply: true }, false);
    expect(await flags.code).toBe(0);
    expect(snapshot(b)).toEqual(snapshot(a));
    expect(readFileSync(join(b, 'template.yaml'), 'utf8')).toContain('ForwardStateMachine:');
    expect(existsSync(join(b, 'statemachine', 'forward.asl.json'))).toBe(true);
  });

  test('--yes takes the defaults: the same files as answering every question with its default', async () => {
    const a = copy('projects/sam');
    const b = copy('projects/sam');
    const p = scripted({ handlers: (q: { choices?: Array<Choice<string>> }) => q.choices!.filter((c) => c.checked).map((c) => c.value), queryLanguage: 'auto', iac: 'auto', name: 'GetItem', verify: false, action: 'apply' });
    expect(await migrate(a, { prompter: p }).code).toBe(0);
    expect(await migrate(b, { yes: true }, false).code).toBe(0);
    expect(snapshot(b)).toEqual(snapshot(a));
    expect(readFileSync(join(b, 'template.yaml'), 'utf8')).toContain('GetItemStateMachine:');
  });

  test('a dirty git tree is refused unless --force', async () => {
    const dir = copy('projects/sam');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'scratch.txt'), 'x');
    await expect(migrate(dir, { yes: true }, false).code).rejects.toThrow(/uncommitted changes \(scratch\.txt\)/);
    expect(await migrate(dir, { yes: true, force: true }, false).code).toBe(0);
  });
});
