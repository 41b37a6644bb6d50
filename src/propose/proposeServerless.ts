// Serverless Framework proposal with the serverless-step-functions plugin: the function leaves `functions`, an
// EXPRESS state machine joins `stepFunctions.stateMachines` with its http events calling StartSyncExecution through
// the front-door templates, and a log group joins `resources`. The plugin has no DefinitionSubstitutions: it turns
// intrinsics written inside the definition into Fn::Sub itself (compileStateMachines.js), so the definition is inline
// with each `${Placeholder}` replaced by its CloudFormation value. The file is edited as text by node ranges.
import { isMap, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseCfnYaml, stringifyCfnYaml, toCfnJson } from '../infra/cfnYaml.js';
import { relPath } from '../infra/paths.js';
import type { DeployedFunction } from '../infra/types.js';
import type { AslDefinition, Finding } from '../report/types.js';
import { formatCode } from './format.js';
import { ARN_PLACEHOLDER, frontDoorTemplates } from './frontDoor.js';
import { manualConnection, manualIntegrationStep } from './integrationSteps.js';
import { placeholderName, taskAccess } from './policies.js';
import { sdkIntegrationStatements, withoutSub } from './sdkPolicies.js';
import { serverlessMessagingStatements } from './serverlessMessaging.js';
import { baseName, referencesTo } from './proposeSam.js';
import type { FileChange, FileView, ProposeOptions } from './types.js';
import { appendToMapSplice, applySplices, findPair, indentBlock, removePairSplice, type Splice } from './yamlEdit.js';

type Json = Record<string, unknown>;

export interface ServerlessPlan {
  changes: FileChange[];
  notes: string[];
  conflicts: string[];
  snippet?: string;
  functionRemoved: boolean;
}

/** The logical id Serverless gives a function's resource (naming.getLambdaLogicalId). */
const lambdaLogicalId = (key: string) => `${key.charAt(0).toUpperCase()}${key.slice(1).replace(/-/g, 'Dash').replace(/_/g, 'Underscore')}LambdaFunction`;

export async function proposeServerless(finding: Finding, fn: DeployedFunction, root: string, view: FileView, options: ProposeOptions = {}): Promise<ServerlessPlan> {
  const sm = finding.stateMachine!;
  const file = relPath(root, fn.absFile);
  const text = view(file);
  const notes: string[] = [];
  const conflicts: string[] = [];
  const none = (why: string): ServerlessPlan => ({ changes: [], notes, conflicts: [why], functionRemoved: false });
  if (text === null) return none(`${file} no longer exists`);
  let doc;
  try {
    doc = parseCfnYaml(text).doc;
  } catch (e) {
    return none(`${file} does not parse: ${(e as Error).message}`);
  }
  const top = doc.contents;
  if (!isMap(top)) return none(`${file} is not a mapping`);
  const data = toCfnJson(top) as Json;
  const key = fn.deployment.resource;
  const functionsNode = findPair(top, 'functions')?.value;
  const fnPair = findPair(functionsNode, key);
  if (!fnPair) return none(`the function ${key} is no longer in ${file}`);
  const fnData = ((data['functions'] as Json)[key] ?? {}) as Json;
  const base = options.name ?? baseName(key.charAt(0).toUpperCase() + key.slice(1));
  const ids = { sm: `${base}StateMachine`, logs: `${base}StateMachineLogs` };

  if (Object.keys(sm.substitutions).some((k) => k === 'OriginalHandlerArn' || k === 'ResidualFunctionArn')) {
    return none('a partial conversion keeps the function: the Serverless proposal does not build that yet');
  }
  // The definition with each placeholder replaced by its value.
  const values: Json = {};
  for (const [k, source] of Object.entries(sm.substitutions)) {
    const env = /^process\.env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(source);
    const connection = sm.httpConnections?.find((c) => c.substitution === k);
    if (connection) {
      conflicts.push(manualConnection(connection));
      continue;
    }
    const value = env ? fn.envValues[env[1]!] : undefined;
    if (value === undefined) conflicts.push(`\${${k}} comes from ${source}, which ${key} does not set in ${file}`);
    else values[k] = value;
  }
  const definition = substitute(sm.definition, values, conflicts) as AslDefinition;

  // Events: http routes move to the state machine; anything else cannot.
  const events = Array.isArray(fnData['events']) ? (fnData['events'] as unknown[]) : [];
  const routes = fn.deployment.routes ?? [];
  for (const ev of events) {
    const kind = Object.keys((ev ?? {}) as Json)[0];
    if (kind === 'sqs' || kind === 'stream') conflicts.push(`event ${kind} cannot be moved automatically: ${sm.recordsBatch ? 'an EventBridge pipe (AWS::Pipes::Pipe, source → this state machine, InvocationType REQUEST_RESPONSE) replaces it, added by hand (the SAM proposal writes one)' : 'wire it to the state machine by hand'}`);
    else if (kind !== 'http' && kind !== 'httpApi') conflicts.push(`event ${kind} cannot be moved automatically: wire it to the state machine by hand`);
    const http = (ev as Json)[kind ?? ''];
    if (http && typeof http === 'object' && ((http as Json)['authorizer'] || (http as Json)['private'])) conflicts.push(`the ${kind} event of ${key} has an authorizer or is private: move it by hand`);
  }

  // Least privilege, stated explicitly rather than left to the plugin's derivation.
  const statements: unknown[] = [];
  const access = taskAccess(sm.definition);
  const sdk = sdkIntegrationStatements(sm.definition, values, conflicts);
  statements.push(...(withoutSub(sdk.statements) as unknown[]));
  const messaging = serverlessMessagingStatements(sm.definition, values, ((data['resources'] as Json | undefined)?.['Resources'] ?? {}) as Json, conflicts);
  statements.push(...messaging.statements);
  for (const r of access.unknown) if (!sdk.handled.has(r) && !messaging.handled.has(r)) conflicts.push(manualIntegrationStep(r, 'serverless') ?? `no policy is known for ${r}: add its permissions by hand`);
  for (const a of access.byTarget.values()) {
    const k = placeholderName([...a.targets][0]!);
    const value = k ? values[k] : undefined;
    if (a.service !== 'dynamodb' || value === undefined) {
      conflicts.push(`${a.service} ${[...a.actions].join(', ')} on a target this proposal cannot name: add the permissions by hand`);
      continue;
    }
    statements.push({
      Effect: 'Allow',
      Action: [...a.actions].sort().map((x) => `dynamodb:${x}`),
      // Fn::Join: Serverless would read ${AWS::Region} in a Fn::Sub as one of its own variables.
      Resource: [tableArn(value), tableArn(value, '/index/*')],
    });
  }

  const door = frontDoorTemplates(sm);
  notes.push(...door.notes);
  conflicts.push(...door.conflicts);
  // Fn::Join rather than Fn::Sub: Serverless resolves ${…} variables in its own file before CloudFormation sees it.
  const [head, ...rest] = door.requestTemplate.split(ARN_PLACEHOLDER);
  const requestTemplate = rest.length ? { 'Fn::Join': ['', [head, ...rest.flatMap((part) => [{ Ref: ids.sm }, part])]] } : door.requestTemplate;
  if (door.responseTemplate.includes('${')) conflicts.push('the response template holds ${…}, which Serverless would take for a variable');

  const stateMachine = {
    id: ids.sm,
    type: options.workflowType ?? 'EXPRESS',
    definition,
    ...(statements.length ? { iamRoleStatements: statements } : {}),
    loggingConfig: { level: 'ALL', includeExecutionData: true, destinations: [{ 'Fn::GetAtt': [ids.logs, 'Arn'] }] },
    ...(routes.length
      ? {
          events: routes.map((r) => ({
            http: {
              path: r.path.replace(/^\//, ''),
              method: r.method.toLowerCase(),
              action: 'StartSyncExecution',
              request: { template: { 'application/json': requestTemplate } },
              response: { template: { 'application/json': door.responseTemplate } },
            },
          })),
        }
      : {}),
  };
  notes.push(`logging: ${ids.sm} logs every execution with its data to ${ids.logs}; lower the level if requests carry sensitive data`);
  const list = (rs: typeof routes) => `route${rs.length > 1 ? 's' : ''} ${rs.map((r) => `${r.method} ${r.path}`).join(', ')}`;
  const restRoutes = routes.filter((r) => r.api === 'rest');
  const httpApiRoutes = routes.filter((r) => r.api === 'http');
  if (restRoutes.length) notes.push(`the ${list(restRoutes)} now call${restRoutes.length > 1 ? '' : 's'} StartSyncExecution on ${ids.sm} (same REST API, same paths and URL)`);
  if (httpApiRoutes.length) {
    // An HTTP API integration with StartSyncExecution cannot map the result to a status code, so the routes move.
    notes.push(
      `the ${list(httpApiRoutes)} move from the HTTP API (httpApi) to the service's REST API (http events) and call StartSyncExecution on ${ids.sm}: their base URL changes ` +
        '(https://<rest-api-id>.execute-api.<region>.amazonaws.com/<stage> instead of the HTTP API\'s; `serverless info` prints the new one). ' +
        'Clients must switch to the new URL, or keep theirs through a custom domain mapped to the REST API. Staying on the HTTP API is not offered: ' +
        'its StartSyncExecution integration cannot reshape the request or map the result to a status code, so every response would be 200 with the execution record',
    );
  }
  notes.push('install the plugin: npm install --save-dev serverless-step-functions');

  const refs = referencesTo({ Resources: ((data['resources'] as Json | undefined)?.['Resources'] ?? {}) as Json, Outputs: ((data['resources'] as Json | undefined)?.['Outputs'] ?? {}) as Json }, lambdaLogicalId(key));
  if (refs.length) conflicts.push(`${lambdaLogicalId(key)} is still referenced (${refs.join(', ')}): remove those references by hand`);
  const blocking = conflicts.length > 0;

  // Edits: plugins, stepFunctions.stateMachines, resources.Resources, and the function removed.
  const splices: Splice[] = [];
  const topAdds: string[] = [];
  const pluginsNode = findPair(top, 'plugins')?.value;
  const plugins = (data['plugins'] ?? []) as unknown;
  if (!(Array.isArray(plugins) && plugins.includes('serverless-step-functions'))) {
    if (isSeq(pluginsNode) && (pluginsNode as YAMLSeq).items.length && !(pluginsNode as YAMLSeq).flow) {
      const last = (pluginsNode as YAMLSeq).items.at(-1) as { range: [number, number, number] };
      const lineStart = text.lastIndexOf('\n', last.range[0] - 1) + 1;
      const dash = text.slice(lineStart, last.range[0]);
      const end = text.indexOf('\n', last.range[1] - 1);
      splices.push({ start: end + 1, end: end + 1, text: `${dash}serverless-step-functions\n` });
    } else if (pluginsNode === undefined) topAdds.push(await yaml({ plugins: ['serverless-step-functions'] }));
    else conflicts.push('`plugins` is not a block list: add serverless-step-functions by hand');
  }
  const sfNode = findPair(top, 'stepFunctions')?.value;
  const machinesNode = findPair(sfNode, 'stateMachines')?.value;
  if (isMap(machinesNode) && (machinesNode as YAMLMap).items.length) {
    if (findPair(machinesNode, ids.sm)) conflicts.push(`stepFunctions.stateMachines already has ${ids.sm}`);
    splices.push(appendToMapSplice(text, machinesNode as YAMLMap, [await yaml({ [ids.sm]: stateMachine })]));
  } else if (sfNode === undefined) topAdds.push(await yaml({ stepFunctions: { stateMachines: { [ids.sm]: stateMachine } } }));
  else conflicts.push('`stepFunctions` has a shape this proposal does not edit: add the state machine by hand (see the snippet)');
  const logGroup = { [ids.logs]: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 14 } } };
  const resourcesNode = findPair(findPair(top, 'resources')?.value, 'Resources')?.value;
  if (isMap(resourcesNode) && (resourcesNode as YAMLMap).items.length) {
    if (findPair(resourcesNode, ids.logs)) conflicts.push(`resources.Resources already has ${ids.logs}`);
    splices.push(appendToMapSplice(text, resourcesNode as YAMLMap, [await yaml(logGroup)]));
  } else if (findPair(top, 'resources') === undefined) topAdds.push(await yaml({ resources: { Resources: logGroup } }));
  else conflicts.push('`resources` has a shape this proposal does not edit: add the log group by hand (see the snippet)');
  if (topAdds.length) {
    const end = text.endsWith('\n') ? text.length : text.length;
    splices.push({ start: end, end, text: (text.endsWith('\n') ? '' : '\n') + topAdds.map((b) => '\n' + indentBlock(b, '')).join('') });
  }
  const removeFunction = !blocking && finding.convertible === 'full';
  // The last function takes the `functions` key with it (an empty `functions:` would be null).
  const onlyFunction = isMap(functionsNode) && (functionsNode as YAMLMap).items.length === 1;
  if (removeFunction) splices.push(removePairSplice(text, onlyFunction ? findPair(top, 'functions')! : fnPair));

  const after = applySplices(text, splices);
  try {
    parseCfnYaml(after);
  } catch (e) {
    conflicts.push(`the rewritten ${file} does not parse: ${(e as Error).message}`);
  }
  const snippet = await yaml({ plugins: ['serverless-step-functions'], stepFunctions: { stateMachines: { [ids.sm]: stateMachine } }, resources: { Resources: logGroup } });
  return { changes: after === text ? [] : [{ path: file, before: text, after }], notes, conflicts, snippet, functionRemoved: removeFunction && !conflicts.length };
}

function tableArn(table: unknown, suffix = ''): unknown {
  const parts: unknown[] = ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':table/', table];
  if (suffix) parts.push(suffix);
  return { 'Fn::Join': ['', parts] };
}

async function yaml(value: Json): Promise<string> {
  return formatCode(stringifyCfnYaml(value), 'yaml');
}

/** The definition with every string that is exactly `${Name}` replaced by its value; a placeholder inside a longer string is a conflict. */
function substitute(v: unknown, values: Json, conflicts: string[]): unknown {
  if (typeof v === 'string') {
    const name = placeholderName(v);
    if (name && name in values) return values[name];
    if (/\$\{[A-Za-z0-9_]+\}/.test(v)) conflicts.push(`the definition embeds a placeholder inside text (${v}): serverless-step-functions has no DefinitionSubstitutions; write it with Fn::Sub by hand`);
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => substitute(x, values, conflicts));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, values, conflicts)]));
  return v;
}
