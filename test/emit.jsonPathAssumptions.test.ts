// What the JSONPath emitter takes for granted is said in the finding: top-level event fields read as always present,
// and JSON text whose keys come out in another order. JSONata builds objects without either limit.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { scanProject } from '../src/scan/scanProject.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function scanHandler(code: string, queryLanguage: 'jsonpath' | 'jsonata') {
  const dir = mkdtempSync(join(tmpdir(), 'l2s-assume-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  writeFileSync(join(dir, 'src', 'notify.mjs'), code);
  const report = await scanProject([dir], { cwd: dir, queryLanguage });
  return report.findings[0]!;
}

// `note` is optional on the request (a value the handler may not get), `id` is read from the item (always there).
const handler = `import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";
const sns = new SNSClient({});
export const handler = async (event) => {
  await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC, Message: JSON.stringify({ note: event.detail?.note, id: event.id }) }));
  return { ok: true };
};
`;

describe('JSONPath assumptions', () => {
  test('a top-level event field written into an object is named as taken to be in every event', async () => {
    const f = await scanHandler(handler, 'jsonpath');
    expect(f.convertible).toBe('full');
    expect(f.assumptions.map((a) => a.message)).toContainEqual(expect.stringMatching(/^event\.id is taken to be in every event: .*States\.Runtime/));
  });

  test('an optional key before a required one: the JSON text has another key order, and the finding says so', async () => {
    const f = await scanHandler(handler, 'jsonpath');
    expect(f.assumptions.map((a) => a.message)).toContainEqual(expect.stringMatching(/^JSON\.stringify at line 4: note may be missing, so the state machine adds it after the other keys/));
  });

  test('JSONata states neither (its objects keep the key order and leave absent keys out)', async () => {
    const f = await scanHandler(handler, 'jsonata');
    expect(f.stateMachine?.queryLanguage).toBe('JSONata');
    expect(f.assumptions.map((a) => a.message).join('\n')).not.toMatch(/taken to be in every event|another order/);
  });
});
