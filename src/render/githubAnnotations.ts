// `--format github`: GitHub Actions workflow commands, so findings show up as annotations on the PR's files.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions (values escape %, \r, \n; properties also : and ,)
import { relative, resolve, sep } from 'node:path';
import type { ScanReport } from '../report/types.js';

const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * `base` is the folder GitHub resolves annotation paths against (the repository root); report paths are relative to
 * the scan root, so they are rebased onto it.
 */
export function renderGithubAnnotations(report: ScanReport, base: string = report.root): string {
  const file = (f: string) => prop(relative(base, resolve(report.root, f)).split(sep).join('/'));
  const lines: string[] = [];
  for (const f of report.findings) {
    if (f.convertible !== 'none') {
      lines.push(`::notice file=${file(f.file)},line=${f.line},endLine=${f.endLine},title=${prop(`lambda2sfn: ${f.export} converts ${f.convertible === 'full' ? 'fully' : 'in part'}`)}::${data(f.reason)}`);
    }
    for (const b of f.blockers) lines.push(`::notice file=${file(f.file)},line=${b.line},title=${prop(`lambda2sfn blocker (${b.rule})`)}::${data(b.message)}`);
  }
  for (const e of report.errors) lines.push(`::warning file=${file(e.file)},line=${e.line ?? 1},title=lambda2sfn could not scan this file::${data(e.message)}`);
  const s = report.summary;
  lines.push(`lambda2sfn: ${s.handlers} handlers, ${s.full} full, ${s.partial} partial, ${s.none} none; ${s.errors} errors`);
  return lines.join('\n') + '\n';
}
