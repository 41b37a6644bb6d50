// SARIF 2.1.0 (what GitHub code scanning and most CI dashboards read): a pure rendering of the report.
// One result per handler that can move to Step Functions, one per blocker, one per unreadable file.
import type * as Sarif from 'sarif';
import type { ScanReport } from '../report/types.js';
import { ALL_RULES } from '../../rules/index.js';

const CANDIDATE = 'migration-candidate';
const SCAN_ERROR = 'scan-error';

export function renderSarif(report: ScanReport): string {
  const rules: Sarif.ReportingDescriptor[] = [
    { id: CANDIDATE, name: 'MigrationCandidate', shortDescription: { text: 'A Lambda handler that can be replaced (fully or in part) by a Step Functions state machine' }, defaultConfiguration: { level: 'note' } },
    { id: 'unsupported-construct', name: 'UnsupportedConstruct', shortDescription: { text: 'Code without a correct Step Functions equivalent (a named blocker)' }, defaultConfiguration: { level: 'note' } },
    { id: SCAN_ERROR, name: 'ScanError', shortDescription: { text: 'A file that could not be read or parsed' }, defaultConfiguration: { level: 'warning' } },
    ...ALL_RULES.map((r) => ({ id: r.id, name: pascal(r.id), shortDescription: { text: r.description }, properties: { docs: r.docs, stepFunctionsFeature: r.stepFunctionsFeature } })),
  ];
  const at = (file: string, startLine: number, endLine?: number): Sarif.Location[] => [
    { physicalLocation: { artifactLocation: { uri: file.split('\\').join('/'), uriBaseId: '%SRCROOT%' }, region: { startLine: Math.max(1, startLine), ...(endLine ? { endLine } : {}) } } },
  ];
  const results: Sarif.Result[] = [];
  for (const f of report.findings) {
    if (f.convertible !== 'none') {
      results.push({
        ruleId: CANDIDATE,
        level: 'note',
        message: { text: `${f.export} converts ${f.convertible === 'full' ? 'fully' : 'in part'} to a Step Functions state machine: ${f.reason}` },
        locations: at(f.file, f.line, f.endLine),
        partialFingerprints: { lambda2sfnFinding: f.id },
        properties: { convertible: f.convertible, rules: f.rules, handlerLinesRemoved: f.savings.lines.removed, aslLinesAdded: f.savings.lines.asl },
      });
    }
    for (const b of f.blockers) {
      results.push({ ruleId: b.rule, level: 'note', message: { text: `${f.export}: ${b.message}` }, locations: at(f.file, b.line), partialFingerprints: { lambda2sfnFinding: `${f.id}:${b.rule}:${b.line}` } });
    }
  }
  // Code scanning rejects results whose rule the driver does not declare.
  const declared = new Set(rules.map((r) => r.id));
  for (const r of results) if (r.ruleId && !declared.has(r.ruleId)) {
    declared.add(r.ruleId);
    rules.push({ id: r.ruleId, name: pascal(r.ruleId), shortDescription: { text: r.ruleId } });
  }
  for (const e of report.errors) results.push({ ruleId: SCAN_ERROR, level: 'warning', message: { text: e.message }, locations: at(e.file, e.line ?? 1) });
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'lambda2sfn', version: report.version, rules } }, results, originalUriBaseIds: { '%SRCROOT%': { uri: `file://${report.root.split('\\').join('/').replace(/\/?$/, '/')}` } } }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function pascal(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}
