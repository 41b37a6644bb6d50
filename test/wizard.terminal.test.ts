// `lambda2sfn migrate` end to end: the real CLI in a pseudo-terminal on a git copy of the demo project, answered
// with keystrokes; the screen is checked at each step, then the files and the exit code.
import { rmSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, test } from '@jest/globals';
import { KEY, startCli as start, type TerminalSession } from './support/terminalSession.js';
import { projectCopy, snapshot } from './support/wizardProject.js';

const made: string[] = [];
const sessions: TerminalSession[] = [];
afterEach(() => sessions.splice(0).forEach((t) => t.stop()));
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
const startCli = (args: string[], cwd: string) => {
  const t = start(args, cwd);
  sessions.push(t);
  return t;
};

describe('migrate in a terminal', () => {
  test('pick one handler with arrows and space, take the defaults, apply: one state machine file added, exit 0', async () => {
    const dir = projectCopy('demo', 'migrate-tty');
    made.push(dir);
    const before = snapshot(dir);
    const t = startCli(['migrate'], dir);

    // The checklist: the four full handlers checked, by lines removed; the `none` one greyed with its blocker.
    // The list is drawn once its last line (the `none` handler) is on the screen.
    await t.waitFor('Which handlers do you want to migrate?');
    const list = await t.waitFor(/- src\/expireOrders\.ts#handler/);
    expect(list).toMatch(/◉ src\/cancelOrder\.cjs#cancelOrder {2}full −20 lines/);
    expect(list).toMatch(/◉ src\/createOrder\.ts#handler {2}full −15 lines/);
    expect(list).toMatch(/- src\/expireOrders\.ts#handler {2}none/);
    // Keep getOrder only: uncheck the 1st and 2nd, step over the 3rd, find and uncheck listOrders.
    t.press(KEY.space, KEY.down, KEY.space, KEY.down);
    const moved = await t.waitFor(/❯\s*◉ src\/getOrder\.ts#handler/);
    expect(moved).toMatch(/◯ src\/cancelOrder\.cjs#cancelOrder/);
    t.press(KEY.down, KEY.space);
    await t.waitFor(/❯\s*◯ src\/listOrders\.ts#handler/);
    t.press(KEY.enter);

    // The state machine drawn, its figures, then the first question.
    const graph = await t.waitFor('Query language of the state machine?');
    expect(graph).toContain('━━ src/getOrder.ts#handler (full) ━━');
    expect(graph).toMatch(/│\s+GetItem\s+│/);
    expect(graph).toMatch(/│\s+Item missing\?\s+├─+┐/);
    expect(graph).toContain('otherwise');
    expect(graph).toContain('lines: 11 handler lines removed (of 11), 165 ASL lines added');
    expect(graph).toMatch(/monthly cost in us-east-1 .*Lambda \$[\d.]+ · Express \$[\d.]+ · Standard \$[\d.]+/);
    t.press(KEY.enter);
    await t.waitFor('Infrastructure to change?');
    t.press(KEY.enter);
    await t.waitFor(/State machine name \(base of the new resources\)\? \(?GetOrder/);
    t.press(KEY.enter);
    // The diff, then the offer to verify on the demo's recorded events (declined here).
    const diff = await t.waitFor('Verify on the 2 recorded events of ./events.json?');
    expect(diff).toContain('note: set DefinitionSubstitutions: OrdersTable ← process.env.ORDERS_TABLE');
    expect(snapshot(dir)).toEqual(before);
    t.press('n', KEY.enter);
    const action = await t.waitFor('apply this change, write it to a folder, or skip it?');
    expect(action).toMatch(/❯\s*apply it to the repository/);
    t.press(KEY.enter);

    const summary = await t.waitFor('git add -A && git commit');
    expect(summary).toMatch(/applied {2}src\/getOrder\.ts#handler \(EXPRESS\)/);
    expect(summary).toContain('added   statemachine/get-order.asl.json');
    expect(summary).toContain('rm -- statemachine/get-order.asl.json');
    expect(await t.exited).toBe(0);
    const after = snapshot(dir);
    expect(Object.keys(after).filter((k) => !(k in before)).sort()).toEqual(['statemachine/', 'statemachine/get-order.asl.json']);
    for (const k of Object.keys(before)) expect(after[k]).toBe(before[k]);
  });

  test('Ctrl-C after the diff: exit 2 and the tree exactly as it was', async () => {
    const dir = projectCopy('projects/sam', 'migrate-tty');
    made.push(dir);
    const before = snapshot(dir);
    const t = startCli(['migrate'], dir);
    await t.waitFor('Which handlers do you want to migrate?');
    t.press(KEY.enter);
    await t.waitFor('Query language of the state machine?');
    t.press(KEY.enter);
    await t.waitFor('Infrastructure to change?');
    t.press(KEY.enter);
    await t.waitFor('State machine name');
    t.press(KEY.enter);
    // No recorded events: verify on generated ones is offered (declined by default).
    await t.waitFor('Verify on 1 generated event? (y/N)');
    t.press(KEY.enter);
    const diff = await t.waitFor('apply this change, write it to a folder, or skip it?');
    // The end of the diff is on the screen: the handler file deleted, and the notes.
    expect(diff).toContain('-export const handler = async (event: APIGatewayProxyEvent)');
    expect(diff).toContain('note: logging: GetItemStateMachine logs every execution');
    t.press(KEY.ctrlC);
    expect(await t.exited).toBe(2);
    expect(t.screen().split('\n').at(-1)).toBe('cancelled: nothing was written');
    expect(snapshot(dir)).toEqual(before);
  });

  test('verify on generated events: the events and the table seed shown, then the result per event; nothing written', async () => {
    const dir = projectCopy('projects/sam', 'migrate-tty');
    made.push(dir);
    const before = snapshot(dir);
    const t = startCli(['migrate', '--handlers', 'src/handlers/getItem.ts', '--query-language', 'auto', '--iac', 'auto', '--name', 'GetItem'], dir);
    const offer = await t.waitFor('Verify on 1 generated event? (y/N)');
    expect(offer).toContain('No events.json names src/handlers/getItem.ts#handler: events are generated from its route and the\nfields the machine reads.');
    t.press('y', KEY.enter);
    const shown = await t.waitFor('Run verify on these events and this table seed?');
    expect(shown).toContain('  GET /items/id-1 (generated)');
    expect(shown).toContain('    pathParameters {"id":"id-1"} · queryStringParameters null · body null');
    expect(shown).toContain('  ItemsTable (key id S): {"id":"id-1","name":"name-1"}');
    expect(shown).toMatch(/❯ run verify on them/);
    t.press(KEY.enter);
    const result = await t.waitFor('apply this change, write it to a folder, or skip it?');
    expect(result).toContain('  equal     GET /items/id-1 (generated)');
    expect(result).toContain('  equivalent: tables equal; side effects equal');
    t.press(KEY.down, KEY.down);
    await t.waitFor(/❯\s*skip it/);
    t.press(KEY.enter);
    await t.waitFor('Nothing was changed.');
    expect(await t.exited).toBe(0);
    expect(snapshot(dir)).toEqual(before);
  });

  test('SIGTERM while a question waits: exit 2 and the tree exactly as it was', async () => {
    const dir = projectCopy('projects/sam', 'migrate-tty');
    made.push(dir);
    const before = snapshot(dir);
    const t = startCli(['migrate', '--handlers', 'src/handlers/getItem.ts', '--query-language', 'auto'], dir);
    await t.waitFor('Infrastructure to change?');
    t.signal('SIGTERM');
    expect(await t.exited).toBe(2);
    expect(t.screen().split('\n').at(-1)).toBe('cancelled: nothing was written');
    expect(snapshot(dir)).toEqual(before);
  });
});
