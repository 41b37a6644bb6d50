// No infrastructure found: the ASL file and what to do with it.
import type { Finding } from '../report/types.js';
import { aslText, kebab } from './proposeSam.js';
import type { FileChange, FileView, ProposeOptions } from './types.js';
import { posix } from 'node:path';

/** `why`: the first note, saying why no infrastructure change is proposed. */
export async function proposeNoIac(finding: Finding, view: FileView, why?: string, options: ProposeOptions = {}): Promise<{ changes: FileChange[]; notes: string[]; conflicts: string[] }> {
  const sm = finding.stateMachine!;
  const stem = finding.file.replace(/\.[^./]+$/, '').split('/').pop()!;
  const name = kebab(options.name ?? (finding.export === 'handler' || finding.export === 'default' ? stem : `${stem}-${finding.export}`));
  const path = posix.join('statemachine', `${name}.asl.json`);
  const after = await aslText(sm);
  const before = view(path);
  const conflicts = before !== null && before !== after ? [`${path} already exists with other content`] : [];
  const subs = Object.entries(sm.substitutions);
  const notes = [
    why ?? 'no infrastructure (SAM/CloudFormation template, serverless.yml or CDK app) was found under the scan root: only the state machine definition is proposed, and the handler is kept',
    options.workflowType === 'STANDARD'
      ? 'create a STANDARD state machine from this file (started with StartExecution), give its role the actions its tasks use, then remove the function'
      : 'create an EXPRESS state machine from this file (API Gateway calls StartSyncExecution, which only Express workflows support), give its role the DynamoDB actions its tasks use, then remove the function',
    ...(subs.length ? [`set DefinitionSubstitutions: ${subs.map(([k, v]) => `${k} ← ${v}`).join('; ')}`] : []),
  ];
  return { changes: before === after ? [] : [{ path, before, after }], notes, conflicts };
}
