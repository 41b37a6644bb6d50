// The wizard's last words: what changed, how to deploy it with the tool that deploys it, how to undo it, what next.
import type { FileChange } from '../propose/types.js';

export interface Outcome {
  handler: string;
  action: 'applied' | 'written' | 'skipped';
  iac: 'sam' | 'serverless' | 'cdk' | 'none';
  /** Where the proposal was written (action `written`). */
  folder?: string;
  workflowType?: string;
  /** verify ran and found the two sides equivalent. */
  verified?: boolean;
  /** The case folder whose events.json records events for the handler. */
  caseDir?: string;
}

const DEPLOY: Record<Outcome['iac'], string> = {
  sam: 'sam build && sam deploy',
  serverless: 'serverless deploy   (needs the serverless-step-functions plugin)',
  cdk: 'cdk deploy',
  none: 'aws stepfunctions create-state-machine --definition file://<the .asl.json> … (no infrastructure was found to change)',
};

export function summaryText(outcomes: Outcome[], changes: FileChange[], writeDir?: string): string {
  const out = ['', 'Summary'];
  for (const o of outcomes) out.push(`  ${o.action.padEnd(8)} ${o.handler}${o.workflowType && o.action !== 'skipped' ? ` (${o.workflowType})` : ''}${o.folder ? ` → ${o.folder}` : ''}`);
  if (changes.length) {
    out.push('', 'Changed in the repository:');
    for (const c of changes) out.push(`  ${c.before === null ? 'added  ' : c.after === null ? 'deleted' : 'changed'} ${c.path}`);
    const iacs = [...new Set(outcomes.filter((o) => o.action === 'applied').map((o) => o.iac))];
    out.push('', 'Deploy:');
    for (const iac of iacs) out.push(`  ${DEPLOY[iac]}`);
    const restore = changes.filter((c) => c.before !== null).map((c) => c.path);
    const added = changes.filter((c) => c.before === null).map((c) => c.path);
    out.push('', 'Roll back:');
    if (restore.length) out.push(`  git restore -- ${restore.join(' ')}`);
    if (added.length) out.push(`  rm -- ${added.join(' ')}`);
    out.push('', 'Next:', '  git diff                                   review the change');
    for (const o of outcomes.filter((x) => x.action === 'applied' && !x.verified)) {
      const file = o.handler.replace(/#.*$/, '');
      // verify runs the handler, which the change may have deleted: run it on the stashed tree.
      const deleted = changes.some((c) => c.path === file && c.after === null);
      const cmd = `npx lambda2sfn verify ${o.caseDir ?? `${file} --events FILE`}`;
      out.push(`  ${deleted ? `git stash -u && { ${cmd}; git stash pop; }` : cmd}   prove ${o.handler} on recorded events`);
    }
    out.push('  git add -A && git commit                   then deploy');
  } else if (writeDir) {
    out.push('', `Nothing in the repository changed. The proposals are under ${writeDir}: apply one with \`git apply <name>.diff\` from the scan root.`);
  } else {
    out.push('', 'Nothing was changed.');
  }
  return out.join('\n') + '\n';
}
