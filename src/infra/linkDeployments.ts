// Link each handler finding to the function resource that deploys it (Finding.deployment).
import { resolve } from 'node:path';
import type { Finding, ScanError } from '../report/types.js';
import { readInfrastructure } from './readInfrastructure.js';
import { relPath, stripExt } from './readSam.js';
import type { DeployedFunction, InfrastructureModel } from './types.js';

/** The function resources deploying a finding's handler: same module (extension aside) and same export. */
export function deploymentsOf(finding: Pick<Finding, 'file' | 'export'>, model: InfrastructureModel, root: string): DeployedFunction[] {
  const module = stripExt(resolve(root, finding.file));
  // CommonJS `module.exports = handler` / a default export is reported as 'default' or 'handler' by the analyser; match by name only.
  return model.functions.filter((f) => f.handlerModule === module && f.handlerExport === finding.export);
}

export function linkDeployments(findings: Finding[], model: InfrastructureModel, root: string): void {
  for (const finding of findings) {
    const found = deploymentsOf(finding, model, root);
    if (found.length === 0) continue;
    finding.deployment = found[0]!.deployment;
    if (found.length > 1) {
      finding.assumptions.push({
        line: 0,
        message: `the handler is deployed by ${found.length} function resources (${found.map((f) => `${f.deployment.file}: ${f.deployment.resource}`).join(', ')}); the proposal uses the first`,
      });
    }
  }
}

/** The scan stage: read the infrastructure under the root, link findings to it, report unreadable infrastructure files as errors. */
export async function linkInfrastructure(root: string, findings: Finding[], errors: ScanError[]): Promise<InfrastructureModel> {
  const model = await readInfrastructure(root);
  linkDeployments(findings, model, root);
  for (const e of model.errors) errors.push({ file: relPath(root, e.absFile), message: e.message, ...(e.line ? { line: e.line } : {}), severity: 'warning' });
  return model;
}
