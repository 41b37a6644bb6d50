// Proposal stage: for each finding with a state machine, the file changes in the tool the repository uses,
// their unified diff (Finding.diff) and a summary (Finding.proposal).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { deploymentsOf } from '../infra/linkDeployments.js';
import type { InfrastructureModel } from '../infra/types.js';
import type { Finding, ProposalSummary } from '../report/types.js';
import { buildDiff } from './buildDiff.js';
import { planHandlerRemoval } from './handlerRemoval.js';
import { proposeNoIac } from './proposeNoIac.js';
import { proposeSam } from './proposeSam.js';
import { proposeServerless } from './proposeServerless.js';
import { proposeCdk } from './proposeCdk.js';
import type { FileView, Proposal, ProposeOptions } from './types.js';

/** The files on disk, relative to the root. */
export function diskView(root: string): FileView {
  return (path) => {
    try {
      return readFileSync(resolve(root, path), 'utf8');
    } catch {
      return null;
    }
  };
}

/** Which infrastructure tool proposals use: the one found (auto), one tool only, or none (the ASL file alone). */
export type IacChoice = 'auto' | 'sam' | 'serverless' | 'cdk' | 'none';

export async function proposeFor(finding: Finding, model: InfrastructureModel, root: string, view: FileView, iac: IacChoice = 'auto', options: ProposeOptions = {}): Promise<Proposal | undefined> {
  if (!finding.stateMachine || finding.convertible === 'none') return undefined;
  if (iac === 'none') return { iac: 'none', ...(await proposeNoIac(finding, view, '--iac none: only the state machine definition is proposed, and the handler is kept', options)) };
  const fn = deploymentsOf(finding, model, root).find((f) => iac === 'auto' || f.deployment.iac === iac);
  if (!fn) {
    if (iac !== 'auto') {
      return { iac: 'none', changes: [], notes: [], conflicts: [`--iac ${iac}: no ${iac} resource deploys ${finding.file} (${finding.export})`] };
    }
    if (model.errors.length) {
      return { iac: 'none', changes: [], notes: [], conflicts: ['an infrastructure file could not be read (see errors): fix it so the deployment of this handler can be found'] };
    }
    if (model.files.length) {
      const why = `no function resource in the infrastructure found (${model.files.length} file${model.files.length > 1 ? 's' : ''}) deploys ${finding.file} (${finding.export}): only the state machine definition is proposed, and the handler is kept`;
      return { iac: 'none', ...(await proposeNoIac(finding, view, why, options)) };
    }
    return { iac: 'none', ...(await proposeNoIac(finding, view, undefined, options)) };
  }
  const plan =
    fn.deployment.iac === 'sam' ? await proposeSam(finding, fn, root, view, options) : fn.deployment.iac === 'serverless' ? await proposeServerless(finding, fn, root, view, options) : await proposeCdk(finding, fn, root, view, options);
  const language = fn.deployment.iac === 'cdk' ? 'typescript' : 'yaml';
  const proposal: Proposal = { iac: fn.deployment.iac, changes: plan.changes, notes: plan.notes, conflicts: plan.conflicts, ...(plan.snippet ? { snippet: { language, text: plan.snippet } } : {}) };
  // The function is gone from the infrastructure: its handler code can go too (or only its export).
  if (plan.functionRemoved) {
    const removal = await planHandlerRemoval(finding, root, model, view);
    if (removal.change) proposal.changes.push(removal.change);
    proposal.notes.push(...removal.notes);
    proposal.conflicts.push(...removal.conflicts);
  }
  return proposal;
}

export function summarize(p: Proposal): ProposalSummary {
  return {
    iac: p.iac,
    files: p.changes.map((c) => ({ path: c.path, action: c.before === null ? 'add' : c.after === null ? 'delete' : 'change' })),
    notes: p.notes,
    conflicts: p.conflicts,
    ...(p.snippet ? { snippet: p.snippet } : {}),
  };
}

/** The scan stage: each finding's proposal against the files as they are on disk. */
export async function proposeChanges(findings: Finding[], model: InfrastructureModel, root: string, iac: IacChoice = 'auto'): Promise<void> {
  const view = diskView(root);
  for (const finding of findings) {
    const p = await proposeFor(finding, model, root, view, iac);
    if (!p) continue;
    finding.proposal = summarize(p);
    finding.diff = buildDiff(p.changes);
  }
}
