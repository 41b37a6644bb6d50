// The pull-request comment as a pure renderer of the report: a golden comment (full, partial and none findings),
// every mermaid block parsed by mermaid itself with its nodes and edges checked, and the size budget.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunIO } from '../src/cli.js';
import { runComment } from '../src/commands/comment.js';
import { aslToMermaid } from '../src/render/comment/mermaid.js';
import { GITHUB_COMMENT_LIMIT, renderPullRequestComment, type CommentContext } from '../src/render/comment/pullRequestComment.js';
import type { AslDefinition, Finding, ScanReport } from '../src/report/types.js';
import { toolVersion } from '../src/version.js';
import { mermaidBlocks, parseFlowcharts, type ParsedFlowchart } from './support/mermaidParse.js';

const caseDir = fileURLToPath(new URL('../fixtures/comment/mixed/', import.meta.url));
const report = JSON.parse(readFileSync(`${caseDir}report.json`, 'utf8')) as ScanReport;
const ctx: CommentContext = { tag: 'default', reproduce: 'npx lambda2sfn comment github --base main --dry-run', scope: 'the files this pull request changes' };

async function goldenBody(): Promise<string> {
  const out: string[] = [];
  const io: RunIO = { stdout: (s) => out.push(s), stderr: () => undefined, isTTY: false, cwd: fileURLToPath(new URL('..', import.meta.url)), env: {} };
  const code = await runComment('github', [], {
    report: 'fixtures/comment/mixed/report.json', verifyReport: ['fixtures/comment/mixed/verify.json'], tag: 'default', behavior: 'update', dryRun: true, repo: 'acme/shop', commit: '0123abc',
  }, io);
  expect(code).toBe(0);
  return out.join('').replaceAll(`lambda2sfn@${toolVersion()}`, 'lambda2sfn@VERSION');
}

const label = (g: ParsedFlowchart, id: string) => g.vertices.get(id)?.text;
const edgesOf = (g: ParsedFlowchart) => g.edges.map((e) => `${label(g, e.start) ?? e.start} ${e.stroke === 'dotted' ? '-.->' : '-->'} ${label(g, e.end) ?? e.end}${e.text ? ` [${e.text}]` : ''}`);

test('golden comment: full, partial and none findings with links, verification, flowcharts, ASL and diffs', async () => {
  expect(await goldenBody()).toBe(readFileSync(`${caseDir}comment.md`, 'utf8'));
});

test('every mermaid block of the golden comment parses, with the states and edges of its machine', async () => {
  const blocks = mermaidBlocks(await goldenBody());
  expect(blocks).toHaveLength(3); // partial, cancelOrder, listOrders; the none finding has no machine
  const [partial, cancel, list] = await parseFlowcharts(blocks);

  // Choice branches carry their conditions; the default branch says "otherwise".
  expect(edgesOf(partial!)).toEqual(expect.arrayContaining([
    'Route on httpMethod --> GetItem (dynamodb:getItem) [$.event.httpMethod == "GET"]',
    'Route on httpMethod --> Original handler (line 16) (lambda:invoke) [$.event.httpMethod == "PUT"]',
    'Route on httpMethod --> DeleteItem (dynamodb:deleteItem) [$.event.httpMethod == "DELETE"]',
    'Route on httpMethod --> Respond 405 [otherwise]',
  ]));
  expect(partial!.vertices.get(blocks[0]!.match(/(n\d+)\{"Route on httpMethod"\}/)![1]!)?.type).toBe('diamond');
  const def = report.findings[0]!.stateMachine!.definition;
  expect(partial!.vertices.size).toBe(Object.keys(def.States).length + 2); // + start and end

  // Catch edges are dashed and name the error once (both spellings are one error).
  expect(edgesOf(cancel!)).toEqual(['Init --> UpdateItem (dynamodb:updateItem)', 'UpdateItem (dynamodb:updateItem) --> Respond 204',
    'UpdateItem (dynamodb:updateItem) -.-> Respond 409 [catch DynamoDB.ConditionalCheckFailedException]', 'start --> Init', 'Respond 204 --> end', 'Respond 409 --> end']);

  // A Map state is a subgraph holding its item processor's states.
  expect(list!.subgraphs.map((s) => ({ title: s.title, nodes: s.nodes.map((n) => label(list!, n)).sort() }))).toEqual([
    { title: 'Map: Unmarshal items', nodes: ['Each item: Keep item', 'Each item: Respond'] },
  ]);
  expect(edgesOf(list!)).toContain('Query (aws-sdk:dynamodb:query) --> ' + list!.subgraphs[0]!.id);
});

test('Parallel branches are nested subgraphs; JSONata conditions, Fail, Wait and awkward state names parse', async () => {
  const def: AslDefinition = {
    QueryLanguage: 'JSONata',
    StartAt: 'Check "kind" | <type>',
    States: {
      'Check "kind" | <type>': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.kind = "a#b" %}', Next: 'Both' }], Default: 'end' },
      Both: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', End: true } } },
          { StartAt: 'B', States: { B: { Type: 'Wait', Seconds: 5, Next: 'C' }, C: { Type: 'Pass', End: true } } },
        ],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'end' }],
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
      end: { Type: 'Fail', Error: 'Bad`kind`' },
    },
  };
  const [g] = await parseFlowcharts([aslToMermaid(def)]);
  expect(edgesOf(g)).toEqual([
    'B --> C',
    'Check "kind" | <type> --> n1 [$states.input.kind = "a#b"]',
    'Check "kind" | <type> --> Fail: end [otherwise]',
    'n1 --> Done',
    'n1 -.-> Fail: end [catch States.ALL]',
    'start --> Check "kind" | <type>',
    'Done --> end',
  ]);
  if (!g) throw new Error('no flowchart');
  const titles = g.subgraphs.map((s) => s.title).sort();
  expect(titles).toEqual(['Parallel: Both', 'branch 1', 'branch 2']);
  const parallel = g.subgraphs.find((s) => s.title === 'Parallel: Both')!;
  expect(parallel.nodes).toEqual(expect.arrayContaining(g.subgraphs.filter((s) => s.title.startsWith('branch')).map((s) => s.id)));
  expect(label(g, 'n4')).toBe('A (sns:publish)');
  expect(g.vertices.get('n5')?.type).toBe('lean_right'); // Wait
  expect(g.vertices.get('n3')?.type).toBe('subroutine'); // Fail
  expect(g.vertices.get('n2')?.type).toBe('stadium'); // Succeed
});

function manyHandlers(n: number): ScanReport {
  const base = report.findings;
  const findings: Finding[] = Array.from({ length: n }, (_, i) => ({ ...base[i % base.length]!, file: `services/svc${String(i).padStart(3, '0')}/handler.ts` }));
  const count = (c: string) => findings.filter((f) => f.convertible === c).length;
  return { ...report, findings, summary: { ...report.summary, handlers: n, full: count('full'), partial: count('partial'), none: count('none') } };
}

test('a 300-handler report is shortened under 65,536 characters and says what it left out', async () => {
  const body = renderPullRequestComment(manyHandlers(300), { ...ctx, artifactUrl: 'https://github.com/acme/shop/actions/runs/42' })!;
  expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
  expect(body).not.toContain('<summary>Proposed ASL</summary>');
  expect(body).not.toContain('```diff');
  expect(body).toMatch(/> \[!NOTE\]\n> Shortened to stay under GitHub's 65,536-character comment limit: left out the proposed ASL, the diffs, the flowcharts, the details of (\d+) handlers; the full report is in \[the job's artifacts\]\(https:\/\/github\.com\/acme\/shop\/actions\/runs\/42\)\./);
  const leftOut = Number(/the details of (\d+) handlers/.exec(body)![1]);
  expect(body.match(/<details><summary>/g)).toHaveLength(300 - leftOut);
  // Every handler still has its table row.
  expect(body.match(/^\| `services\/svc\d{3}\/handler\.ts:\d+` /gm)).toHaveLength(300);
  // Nothing left out that would have fitted: one more handler's details would not.
  expect(leftOut).toBeGreaterThan(0);
});

test('the ASL goes first: a report that fits without it keeps its diffs and flowcharts', () => {
  const full = renderPullRequestComment(report, ctx)!;
  const withoutAsl = renderPullRequestComment(report, { ...ctx, limit: full.length - 1 })!;
  expect(withoutAsl).not.toContain('<summary>Proposed ASL</summary>');
  expect(withoutAsl).toContain('```diff');
  expect(withoutAsl).toContain('```mermaid');
  expect(withoutAsl).toContain('left out the proposed ASL; run the command below for the full report.');
  expect(withoutAsl.length).toBeLessThan(full.length);
});

test('nothing to report: no comment, or a short one with --always', () => {
  const empty = { ...report, findings: [], errors: [] };
  expect(renderPullRequestComment(empty, ctx)).toBeUndefined();
  expect(renderPullRequestComment(empty, ctx, true)).toBe(
    '<!-- lambda2sfn:default -->\n### lambda2sfn: Step Functions proposals\n\nNo Lambda handler to report in the files this pull request changes.\n\n---\n' +
      'Reproduce locally: `npx lambda2sfn comment github --base main --dry-run`. This comment updates itself on every push (tag `default`).\n',
  );
});
