// AWS SAM proposal: an Express AWS::Serverless::StateMachine from the new .asl.json, a REST API wired to
// StartSyncExecution, least-privilege policies, logging, and the old function resource removed.
// The template is edited as text by node ranges, so every resource it does not touch stays byte-for-byte.
import { dirname, extname, posix, relative, resolve } from 'node:path';
import { isMap, type YAMLMap } from 'yaml';
import { parseCfnYaml, stringifyCfnYaml, toCfnJson } from '../infra/cfnYaml.js';
import { relPath, stripExt } from '../infra/paths.js';
import type { DeployedFunction } from '../infra/types.js';
import type { Finding, StateMachineProposal } from '../report/types.js';
import { formatCode } from './format.js';
import { frontDoorTemplates } from './frontDoor.js';
import { extendSharedApi, extendSharedApiData, samApi, SHARED_API, SHARED_API_ROLE } from './samApi.js';
import { samIntegrations } from './samIntegrations.js';
import { samPipe, isPipeTrigger } from './samPipes.js';
import { samPolicies } from './samPolicies.js';
import type { FileChange, FileView, ProposeOptions } from './types.js';
import { validateSamTemplate } from './validateTemplate.js';
import { appendToMapSplice, applySplices, findPair, indentBlock, removePairSplice, replaceScalarSplice, type Splice } from './yamlEdit.js';

type Json = Record<string, unknown>;

export interface SamPlan {
  changes: FileChange[];
  notes: string[];
  conflicts: string[];
  /** The resources added, as YAML. */
  snippet?: string;
  /** The function resource is removed (its handler can go too). */
  functionRemoved: boolean;
}

export const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase().replace(/^-|-$/g, '');

/** Base name of the new resources: the function's logical id without a trailing "Function". */
export const baseName = (logicalId: string) => logicalId.replace(/(?:Lambda)?Function$/, '') || logicalId;

export async function proposeSam(finding: Finding, fn: DeployedFunction, root: string, view: FileView, options: ProposeOptions = {}): Promise<SamPlan> {
  const sm = finding.stateMachine!;
  const templatePath = relPath(root, fn.absFile);
  const text = view(templatePath);
  const notes: string[] = [];
  const conflicts: string[] = [];
  if (text === null) return { changes: [], notes, conflicts: [`${templatePath} no longer exists`], functionRemoved: false };
  // YAML is edited by splicing text at node ranges; JSON is rewritten whole, so only when that changes nothing else.
  const json = extname(fn.absFile) === '.json' ? jsonLayout(text) : undefined;
  if (extname(fn.absFile) === '.json' && !json) {
    return { changes: [], notes, conflicts: [`${templatePath} is not laid out as JSON.stringify with 2 or 4 spaces would write it, so rewriting it would change lines the migration does not touch: add the state machine by hand (see the snippet)`], functionRemoved: false };
  }
  let resources: YAMLMap | undefined;
  let data: Json;
  try {
    if (json) data = JSON.parse(text) as Json;
    else {
      const { doc } = parseCfnYaml(text);
      const resourcesNode = doc.get('Resources', true);
      if (!isMap(resourcesNode)) return { changes: [], notes, conflicts: [`${templatePath} has no Resources mapping`], functionRemoved: false };
      resources = resourcesNode as YAMLMap;
      data = toCfnJson(doc.contents) as Json;
    }
  } catch (e) {
    return { changes: [], notes, conflicts: [`${templatePath} does not parse: ${(e as Error).message}`], functionRemoved: false };
  }
  const resourceData = (data['Resources'] ?? {}) as Json;
  const fnId = fn.deployment.resource;
  const fnPair = resources ? findPair(resources, fnId) : undefined;
  if (resourceData[fnId] === undefined) return { changes: [], notes, conflicts: [`${fnId} is no longer in ${templatePath}`], functionRemoved: false };
  const fnProps = ((resourceData[fnId] as Json)['Properties'] ?? {}) as Json;

  const base = options.name ?? baseName(fnId);
  const type = options.workflowType ?? 'EXPRESS';
  // One API (and its role) per template for every converted route: the first proposal adds it, later ones extend it.
  const ids = { sm: `${base}StateMachine`, logs: `${base}StateMachineLogs`, api: SHARED_API, apiRole: SHARED_API_ROLE };
  const templateDir = dirname(fn.absFile);
  const aslAbs = resolve(templateDir, 'statemachine', `${kebab(base)}.asl.json`);
  const aslPath = relPath(root, aslAbs);
  const definitionUri = posix.join('statemachine', `${kebab(base)}.asl.json`);

  // DefinitionSubstitutions from the function's environment.
  let keepFunction = false;
  let residualHandler: string | undefined;
  let residualFile: string | undefined;
  const substitutions: Json = {};
  // Connection ARNs are filled by samIntegrations below, with the connections it adds.
  const connectionKeys = new Set((sm.httpConnections ?? []).map((c) => c.substitution));
  for (const [key, source] of Object.entries(sm.substitutions)) {
    const env = /^process\.env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(source);
    if (connectionKeys.has(key)) continue;
    if (env) {
      const value = fn.envValues[env[1]!];
      if (value === undefined) conflicts.push(`\${${key}} comes from ${source}, which ${fnId} does not set in ${templatePath}`);
      else substitutions[key] = value;
    } else if (key === 'OriginalHandlerArn') {
      keepFunction = true;
      substitutions[key] = { 'Fn::GetAtt': [fnId, 'Arn'] };
      notes.push(`${fnId} stays for the routes that do not convert; the state machine invokes it (\${OriginalHandlerArn})`);
    } else if (key === 'ResidualFunctionArn' && sm.residual) {
      keepFunction = true;
      substitutions[key] = { 'Fn::GetAtt': [fnId, 'Arn'] };
      const codeUri = typeof fnProps['CodeUri'] === 'string' ? (fnProps['CodeUri'] as string) : '.';
      residualFile = lambdaModulePath(sm.residual.file);
      if (residualFile !== sm.residual.file) notes.push(`the kept code goes to ${residualFile} rather than ${sm.residual.file}: the Lambda runtime splits a handler string at its first dot, so the module name can have none`);
      residualHandler = `${relative(resolve(templateDir, codeUri), stripExt(resolve(root, residualFile))).split('\\').join('/')}.handler`;
      notes.push(`${fnId} stays as the residual function: its Handler becomes ${residualHandler} (the code the state machine cannot do); its events move to the state machine, and its own policies may now grant more than it uses`);
      if ((resourceData[fnId] as Json)['Metadata']) notes.push(`${fnId} has build Metadata: point its EntryPoints at ${residualFile}`);
    } else {
      conflicts.push(`no value known for \${${key}} (${source}): set DefinitionSubstitutions.${key} by hand`);
    }
  }

  // Events: only API routes on the implicit REST/HTTP API can move to the new API.
  const events = (fnProps['Events'] ?? {}) as Json;
  const routes: Array<{ method: string; path: string; http: boolean }> = [];
  const pipes: Json = {};
  for (const [name, ev] of Object.entries(events)) {
    const e = ev as Json;
    const p = (e['Properties'] ?? {}) as Json;
    // A queue or stream trigger of a handler looping over event.Records: an EventBridge pipe starts the machine.
    if (isPipeTrigger(e['Type']) && sm.recordsBatch) {
      Object.assign(pipes, samPipe(name, e, ids.sm, type, base, resourceData, conflicts, notes));
      continue;
    }
    if (isPipeTrigger(e['Type'])) {
      conflicts.push(`event ${name} (${String(e['Type'])}) cannot be moved automatically: the handler does not loop over event.Records, so the batch a pipe would send does not fit it; wire it to the state machine by hand`);
      continue;
    }
    if ((e['Type'] === 'Api' || e['Type'] === 'HttpApi') && typeof p['Path'] === 'string' && typeof p['Method'] === 'string' && !p['RestApiId'] && !p['ApiId'] && !p['Auth']) {
      routes.push({ method: (p['Method'] as string).toLowerCase(), path: p['Path'] as string, http: e['Type'] === 'HttpApi' });
    } else {
      conflicts.push(`event ${name} (${String(e['Type'])}${p['RestApiId'] || p['ApiId'] ? ' on an explicit API' : ''}${p['Auth'] ? ' with Auth' : ''}) cannot be moved automatically: wire it to the state machine by hand`);
    }
  }
  if (routes.some((r) => r.http)) {
    notes.push('HTTP API routes move to a REST API: an HTTP API StartSyncExecution integration can reshape neither the input nor the response');
  }

  // Least-privilege policies from the Task states; SNS/EventBridge/SQS/HTTP ones (and the connections) from samIntegrations.
  const integrations = samIntegrations(sm.definition, sm.httpConnections ?? [], substitutions, resourceData, fn.envValues, conflicts, notes);
  Object.assign(substitutions, integrations.substitutions);
  const policies = [...samPolicies(sm.definition, substitutions, fnId, conflicts, integrations.handled), ...integrations.policies];
  const parameterData = (data['Parameters'] ?? {}) as Json;
  for (const id of Object.keys(integrations.parameters)) if (parameterData[id] !== undefined) conflicts.push(`${templatePath} already has a parameter ${id}`);

  for (const id of [ids.sm, ids.logs]) if (resourceData[id] !== undefined) conflicts.push(`${templatePath} already defines ${id}`);

  // Anything else that refers to the function keeps it alive.
  const refs = referencesTo(data, fnId);
  const removeFunction = !keepFunction && refs.length === 0 && finding.convertible === 'full' && !conflicts.some((c) => c.startsWith('event '));
  if (!keepFunction && refs.length) conflicts.push(`${fnId} is still referenced (${refs.join(', ')}): it is kept; remove those references and the function by hand`);

  let sharedApiPaths: Json | undefined;
  const newResources: Json = {
    [ids.sm]: {
      Type: 'AWS::Serverless::StateMachine',
      Properties: {
        Type: type,
        DefinitionUri: definitionUri,
        ...(Object.keys(substitutions).length ? { DefinitionSubstitutions: substitutions } : {}),
        Policies: policies,
        Logging: {
          Level: 'ALL',
          IncludeExecutionData: true,
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [ids.logs, 'Arn'] } } }],
        },
      },
    },
    [ids.logs]: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 14 } },
    ...integrations.resources,
    ...pipes,
  };
  if (routes.length && (data['Globals'] as Json | undefined)?.['Api']) notes.push(`Globals.Api applies to ${ids.api} too: check that its settings (Auth, Cors, …) suit the moved routes`);
  notes.push(`logging: ${ids.sm} logs every execution with its data to ${ids.logs}${type === 'EXPRESS' ? ' (Express workflows keep no history otherwise)' : ''}; lower the level if requests carry sensitive data`);
  if (routes.length) {
    const door = frontDoorTemplates(sm);
    notes.push(...door.notes);
    conflicts.push(...door.conflicts);
    const api = samApi(routes, door, ids.sm, resourceData, templatePath, conflicts);
    Object.assign(newResources, api.newResources);
    sharedApiPaths = api.sharedApiPaths;
    notes.push(api.note);
  } else if (Object.keys(events).length === 0 && Object.keys(pipes).length === 0) {
    notes.push(`${fnId} has no events in ${templatePath}: start the state machine from its caller (StartSyncExecution or StartExecution)`);
  }

  const blocks = await Promise.all(Object.entries(newResources).map(async ([k, v]) => formatCode(stringifyCfnYaml({ [k]: v }), 'yaml')));
  const dropEvents = keepFunction && (routes.length > 0 || Object.keys(pipes).length > 0) && !conflicts.some((c) => c.startsWith('event '));
  const parameterBlocks = await Promise.all(Object.entries(integrations.parameters).map(async ([k, v]) => formatCode(stringifyCfnYaml({ [k]: v }), 'yaml')));
  let after: string;
  if (json) {
    const d = structuredClone(data) as { Resources: Record<string, Json> };
    if (sharedApiPaths) extendSharedApiData(d.Resources, sharedApiPaths, ids.sm, conflicts);
    Object.assign(d.Resources, newResources);
    if (Object.keys(integrations.parameters).length) (d as Json)['Parameters'] = { ...parameterData, ...integrations.parameters };
    const props = (d.Resources[fnId]!['Properties'] ?? {}) as Json;
    if (removeFunction) delete d.Resources[fnId];
    else if (keepFunction) {
      if (dropEvents) delete props['Events'];
      if (residualHandler) props['Handler'] = residualHandler;
    }
    after = JSON.stringify(d, null, json.indent) + json.end;
  } else {
    // Extensions of the shared API come first: at one place, earlier splices end up earlier in the text.
    const splices: Splice[] = sharedApiPaths ? await extendSharedApi(text, resources!, sharedApiPaths, ids.sm, conflicts) : [];
    splices.push(appendToMapSplice(text, resources!, blocks));
    if (parameterBlocks.length) splices.push(parametersSplice(text, parameterBlocks));
    if (removeFunction) splices.push(removePairSplice(text, fnPair!));
    else if (keepFunction) {
      const propsNode = findPair(fnPair!.value, 'Properties')?.value;
      const eventsPair = findPair(propsNode, 'Events');
      if (eventsPair && dropEvents) splices.push(removePairSplice(text, eventsPair));
      const handlerNode = findPair(propsNode, 'Handler')?.value as { range?: [number, number, number] } | undefined;
      if (residualHandler && handlerNode?.range) splices.push(replaceScalarSplice(handlerNode, residualHandler));
      else if (residualHandler) conflicts.push(`could not find the Handler of ${fnId} to point it at the residual module`);
    }
    after = applySplices(text, splices);
  }
  // The rewritten template must stand on its own (e.g. Outputs naming ServerlessRestApi after its last route moved).
  for (const problem of validateSamTemplate(after)) conflicts.push(`the rewritten ${templatePath} does not validate: ${problem}`);
  const changes: FileChange[] = [
    { path: aslPath, before: view(aslPath), after: await aslText(sm) },
    { path: templatePath, before: text, after },
  ];
  if (view(aslPath) !== null && view(aslPath) !== changes[0]!.after) conflicts.push(`${aslPath} already exists with other content`);
  if (sm.residual && residualFile) changes.push({ path: residualFile, before: view(residualFile), after: sm.residual.source });
  return { changes: changes.filter((c) => c.before !== c.after), notes, conflicts, snippet: blocks.join('\n'), functionRemoved: removeFunction };
}

/** Adds template parameters: at the end of the Parameters section, or in a new one just before Resources. */
function parametersSplice(text: string, blocks: string[]): Splice {
  const { doc } = parseCfnYaml(text);
  const params = doc.get('Parameters', true);
  if (isMap(params) && (params as YAMLMap).items.length) return appendToMapSplice(text, params as YAMLMap, blocks);
  const resourcesKey = (doc.contents as YAMLMap).items.find((p) => (p.key as { value?: unknown }).value === 'Resources')!.key as { range: [number, number, number] };
  const at = text.lastIndexOf('\n', resourcesKey.range[0] - 1) + 1;
  return { start: at, end: at, text: `Parameters:\n${blocks.map((b) => indentBlock(b, '  ')).join('\n')}\n` };
}

/** A module path whose file name has no dot before its extension (`touch.handler.kept.mjs` → `touch-handler-kept.mjs`). */
export function lambdaModulePath(file: string): string {
  const slash = file.lastIndexOf('/') + 1;
  const name = file.slice(slash);
  const ext = /\.(?:[cm]?[jt]s)$/.exec(name)?.[0] ?? '';
  return file.slice(0, slash) + name.slice(0, name.length - ext.length).replace(/\./g, '-') + ext;
}

/** The indentation and ending of a JSON file that JSON.stringify would write byte for byte, else undefined. */
function jsonLayout(text: string): { indent: number; end: string } | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const end = text.endsWith('\n') ? '\n' : '';
  for (const indent of [2, 4]) if (JSON.stringify(data, null, indent) + end === text) return { indent, end };
  return undefined;
}

export async function aslText(sm: StateMachineProposal): Promise<string> {
  return formatCode(JSON.stringify(sm.definition, null, 2), 'json');
}

/** Where a template refers to a logical id: Ref, Fn::GetAtt, ${Id} in Fn::Sub, DependsOn; outside the resource itself. */
export function referencesTo(data: Json, id: string): string[] {
  const found: string[] = [];
  const walk = (v: unknown, where: string) => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, where));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Json)) {
        if (k === 'Ref' && x === id) found.push(where);
        else if (k === 'Fn::GetAtt' && Array.isArray(x) && x[0] === id) found.push(where);
        else if (k === 'Fn::Sub') {
          const s = Array.isArray(x) ? x[0] : x;
          if (typeof s === 'string' && new RegExp(`\\$\\{${id}(?:[.}])`).test(s)) found.push(where);
          walk(x, where);
        } else if (k === 'DependsOn' && (x === id || (Array.isArray(x) && x.includes(id)))) found.push(where);
        else walk(x, where);
      }
    }
  };
  for (const section of ['Resources', 'Outputs', 'Conditions', 'Globals'] as const) {
    for (const [name, v] of Object.entries((data[section] ?? {}) as Json)) if (!(section === 'Resources' && name === id)) walk(v, `${section}.${name}`);
  }
  return [...new Set(found)];
}
