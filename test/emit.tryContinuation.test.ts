// The steps after a try block (here the HTTP Task's `if (!res.ok)` catch) are compiled lazily, from inside the
// block: they must get the catchers around the block, not the block's own. Before the fix the SNS Task after the
// fetch caught SNS.StatusCode.4xx/5xx into the `!res.ok` branch.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from '@jest/globals';
import { scanProject } from '../src/scan/scanProject.js';
import type { AslState } from '../src/report/types.js';

const dir = mkdtempSync(join(tmpdir(), 'l2s-try-next-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'src'));
writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
writeFileSync(
  join(dir, 'src', 'notify.mjs'),
  `import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";
const sns = new SNSClient({});
export const handler = async (event) => {
  const res = await fetch(\`\${process.env.CRM_API_URL}/contacts/\${event.id}\`);
  if (!res.ok) {
    return { ok: false };
  }
  await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: "contact checked" }));
  return { ok: true };
};
`,
);

test.each(['jsonpath', 'jsonata'] as const)('%s: the Task after a try has no Catch (no enclosing try); the HTTP Task keeps its own', async (queryLanguage) => {
  const report = await scanProject([dir], { cwd: dir, queryLanguage });
  const states = Object.values(report.findings[0]!.stateMachine!.definition.States) as AslState[];
  const publish = states.find((s) => s['Resource'] === 'arn:aws:states:::sns:publish')!;
  const http = states.find((s) => s['Resource'] === 'arn:aws:states:::http:invoke')!;
  expect(publish['Catch']).toBeUndefined();
  expect((http['Catch'] as Array<{ ErrorEquals: string[] }>)[0]!.ErrorEquals).toContain('States.Http.StatusCode.404');
});
