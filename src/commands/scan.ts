// `lambda2sfn scan`: compute the report once, then render it.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RunIO } from './io.js';
import { EXIT } from '../errors.js';
import type { ScanReport } from '../report/types.js';
import { renderGithubAnnotations } from '../render/githubAnnotations.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderSarif } from '../render/sarif.js';
import { renderText } from '../render/text.js';
import { scanProject } from '../scan/scanProject.js';

/** The options of `lambda2sfn scan`, as commander parses them in cli.ts. */
export interface ScanCliOptions {
  format: 'text' | 'json' | 'markdown' | 'sarif' | 'github';
  routing?: 'choice' | 'split';
  queryLanguage?: 'auto' | 'jsonpath' | 'jsonata';
  json?: boolean;
  output?: string;
  config?: string;
  include?: string[];
  exclude?: string[];
  failOn?: 'full' | 'partial' | 'any';
  asl: boolean;
  diff?: boolean;
  write?: string;
  iac?: 'auto' | 'sam' | 'serverless' | 'cdk' | 'none';
  color?: boolean;
  prefilter: boolean;
  requestsPerMonth?: number;
  avgDurationMs?: number;
  memoryMb?: number;
  architecture?: 'x86_64' | 'arm64';
  region?: string;
  payloadKb?: number;
  usageFile?: string;
  freeTier?: boolean;
  usageProfile?: 'small' | 'medium' | 'large';
}

export function failOnMatched(report: ScanReport, level: ScanCliOptions['failOn']): boolean {
  if (!level) return false;
  return report.findings.some((f) => (level === 'full' ? f.convertible === 'full' : level === 'partial' ? f.convertible !== 'none' : true));
}

export async function runScan(paths: string[], opts: ScanCliOptions, io: RunIO): Promise<number> {
  const report = await scanProject(paths, {
    cwd: io.cwd,
    configPath: opts.config,
    include: opts.include,
    exclude: opts.exclude,
    prefilter: opts.prefilter,
    routing: opts.routing,
    queryLanguage: opts.queryLanguage,
    usage: {
      requestsPerMonth: opts.requestsPerMonth,
      avgDurationMs: opts.avgDurationMs,
      memoryMb: opts.memoryMb,
      architecture: opts.architecture,
      region: opts.region,
      payloadKb: opts.payloadKb,
      usageFile: opts.usageFile,
      freeTier: opts.freeTier,
      profile: opts.usageProfile,
    },
    proposals: Boolean(opts.diff || opts.write),
    iac: opts.iac,
  });
  if (opts.write) {
    const { writeProposals } = await import('./writeProposals.js');
    const written = await writeProposals(report, resolve(io.cwd, opts.write));
    io.stderr(`lambda2sfn: wrote ${written.length} proposal${written.length === 1 ? '' : 's'} under ${opts.write}\n`);
  }
  const format = opts.json ? 'json' : opts.format;
  const color = opts.color ?? (io.isTTY && !opts.output && !io.env['NO_COLOR']);
  const text =
    format === 'json' ? JSON.stringify(report, null, 2) + '\n'
    : format === 'markdown' ? renderMarkdown(report, { showAsl: opts.asl })
    : format === 'sarif' ? renderSarif(report)
    : format === 'github' ? renderGithubAnnotations(report)
    : renderText(report, { color, showAsl: opts.asl, showDiff: opts.diff });
  if (opts.output) await writeFile(resolve(io.cwd, opts.output), text, 'utf8');
  else io.stdout(text);
  if (failOnMatched(report, opts.failOn)) return EXIT.failOn;
  // Files that could not be read or parsed: the scan went on, the exit code says so.
  return report.errors.length > 0 ? EXIT.failOn : EXIT.ok;
}
