// scan --write DIR: each proposal in its own folder (ASL, infrastructure snippet, git-apply-able patch, notes).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { FileChange } from '../propose/types.js';
import { writeChanges } from './apply.js';
import { kebab } from '../propose/proposeSam.js';
import type { Finding, ScanReport } from '../report/types.js';

/** Folder name of a finding's proposal: the handler file's stem (and the export when it is not `handler`). */
export function proposalName(f: Finding): string {
  const stem = f.file.replace(/\.[^./]+$/, '').split('/').pop()!;
  // A stem with no ASCII letter or digit (`处理.ts`) would leave no name at all.
  return kebab(f.export === 'handler' || f.export === 'default' ? stem : `${stem}-${f.export}`) || kebab(`handler-${f.export}`) || 'handler';
}

/**
 * Writes every proposal under `dir`, each file atomically and all of them as one change: nothing outside `dir`,
 * and on a failure or SIGINT/SIGTERM midway the files already written are taken back.
 */
export async function writeProposals(report: ScanReport, dir: string): Promise<string[]> {
  const written: string[] = [];
  const files: FileChange[] = [];
  const add = (file: string, after: string) => {
    const path = relative(dir, file);
    files.push({ path, before: existsSync(file) ? readFileSync(file, 'utf8') : null, after });
  };
  const used = new Set<string>();
  for (const f of report.findings) {
    if (!f.proposal || !f.stateMachine) continue;
    let name = proposalName(f);
    for (let i = 2; used.has(name); i++) name = `${proposalName(f)}-${i}`;
    used.add(name);
    const out = join(dir, name);
    add(join(out, `${name}.asl.json`), JSON.stringify(f.stateMachine.definition, null, 2) + '\n');
    add(join(out, `${name}.diff`), f.diff ?? '');
    if (f.proposal.snippet) add(join(out, f.proposal.snippet.language === 'yaml' ? 'infrastructure.yaml' : 'infrastructure.ts'), f.proposal.snippet.text);
    const notes = [
      `# ${f.file} (${f.export}): ${f.convertible}`,
      '',
      `Infrastructure: ${f.proposal.iac === 'none' ? 'none found' : `${f.proposal.iac}${f.deployment ? ` (${f.deployment.file}, ${f.deployment.resource})` : ''}`}`,
      '',
      `Apply the patch from the scan root with \`git apply ${name}.diff\`.`,
      '',
      ...f.proposal.notes.map((n) => `- ${n}`),
      ...(f.proposal.conflicts.length ? ['', '## Needs a hand before it can be applied', '', ...f.proposal.conflicts.map((n) => `- ${n}`)] : []),
      '',
    ];
    add(join(out, 'NOTES.md'), notes.join('\n'));
    written.push(out);
  }
  await mkdir(dir, { recursive: true });
  // Generated files, the patches among them: written exactly as built.
  await writeChanges(dir, files.filter((f) => f.before !== f.after), { keepEndings: false });
  return written;
}
