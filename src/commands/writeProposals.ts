// scan --write DIR: each proposal in its own folder (ASL, infrastructure snippet, git-apply-able patch, notes).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kebab } from '../propose/proposeSam.js';
import type { Finding, ScanReport } from '../report/types.js';

/** Folder name of a finding's proposal: the handler file's stem (and the export when it is not `handler`). */
export function proposalName(f: Finding): string {
  const stem = f.file.replace(/\.[^./]+$/, '').split('/').pop()!;
  return kebab(f.export === 'handler' || f.export === 'default' ? stem : `${stem}-${f.export}`);
}

export async function writeProposals(report: ScanReport, dir: string): Promise<string[]> {
  const written: string[] = [];
  const used = new Set<string>();
  for (const f of report.findings) {
    if (!f.proposal || !f.stateMachine) continue;
    let name = proposalName(f);
    for (let i = 2; used.has(name); i++) name = `${proposalName(f)}-${i}`;
    used.add(name);
    const out = join(dir, name);
    await mkdir(out, { recursive: true });
    await writeFile(join(out, `${name}.asl.json`), JSON.stringify(f.stateMachine.definition, null, 2) + '\n');
    await writeFile(join(out, `${name}.diff`), f.diff ?? '');
    if (f.proposal.snippet) await writeFile(join(out, f.proposal.snippet.language === 'yaml' ? 'infrastructure.yaml' : 'infrastructure.ts'), f.proposal.snippet.text);
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
    await writeFile(join(out, 'NOTES.md'), notes.join('\n'));
    written.push(out);
  }
  return written;
}
