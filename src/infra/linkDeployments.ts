// Link each handler finding to the function resource that deploys it (Finding.deployment).
import { resolve } from 'node:path';
import type { EventSource, Finding, ScanError } from '../report/types.js';
import { readInfrastructure } from './readInfrastructure.js';
import { relPath, stripExt } from './paths.js';
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

/** The scan stage, before handlers are found: read the infrastructure under the root once (`found`: its files, if the walk listed them), report unreadable infrastructure files as errors. */
export async function readDeployments(root: string, errors: ScanError[], found?: string[]): Promise<InfrastructureModel> {
  const model = await readInfrastructure(root, found);
  for (const e of model.errors) errors.push({ file: relPath(root, e.absFile), message: e.message, ...(e.line ? { line: e.line } : {}), severity: 'warning' });
  return model;
}

/**
 * The event source the infrastructure declares for a handler (`<module without extension>#<export>`), with the file
 * that declares it; absent when a deployment declares none or two deployments declare different ones.
 */
export function declaredEventSources(model: InfrastructureModel): Map<string, { eventSource: EventSource; file: string }> {
  const byHandler = new Map<string, DeployedFunction[]>();
  for (const f of model.functions) {
    const key = `${f.handlerModule}#${f.handlerExport}`;
    byHandler.set(key, [...(byHandler.get(key) ?? []), f]);
  }
  const out = new Map<string, { eventSource: EventSource; file: string }>();
  for (const [key, fns] of byHandler) {
    const first = fns[0]!.deployment.eventSource;
    if (first && fns.every((f) => f.deployment.eventSource === first)) out.set(key, { eventSource: first, file: fns[0]!.deployment.file });
  }
  return out;
}

/** The exports the infrastructure deploys, by handler module (absolute path without its extension). */
export function deployedExports(model: InfrastructureModel): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const f of model.functions) {
    let set = out.get(f.handlerModule);
    if (!set) out.set(f.handlerModule, (set = new Set()));
    set.add(f.handlerExport);
  }
  return out;
}
