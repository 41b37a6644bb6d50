// AWS CDK proposal: the `new NodejsFunction(…)` / `new lambda.Function(…)` statement becomes an EXPRESS
// sfn.StateMachine from the new .asl.json, its LambdaIntegration(s) become an AwsIntegration calling
// StartSyncExecution through the front-door templates, grants move to the state machine, and imports follow.
// Edits are text splices at AST positions: code the change does not touch stays byte-for-byte. Any other use of
// the function's variable is a conflict (the code is left alone and a snippet is given instead).
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type * as t from '@babel/types';
import { relPath } from '../infra/paths.js';
import type { DeployedFunction } from '../infra/types.js';
import { parseSource } from '../parse/parseSource.js';
import type { Finding } from '../report/types.js';
import { formatCode } from './format.js';
import { frontDoorTemplates } from './frontDoor.js';
import { manualIntegrationStep } from './integrationSteps.js';
import { INTEGRATION_RESOURCES, messagingTargets } from './samIntegrations.js';
import { cdkSdkGrants } from './cdkSdkGrants.js';
import { cdkConnections } from './cdkConnections.js';
import { placeholderName, SAM_DYNAMODB_READ, SAM_DYNAMODB_WRITE, subsetOf, taskAccess } from './policies.js';
import { aslText, baseName, kebab } from './proposeSam.js';
import type { FileChange, FileView, ProposeOptions } from './types.js';
import { applySplices, type Splice } from './yamlEdit.js';

export interface CdkPlan {
  changes: FileChange[];
  notes: string[];
  conflicts: string[];
  snippet: string;
  functionRemoved: boolean;
}

interface Aliases {
  sfn: string;
  logs: string;
  iam: string;
  apigateway: string;
  path: string;
  events: string;
  cdk: string;
}

/** The CDK app folder (holding cdk.json) of a stack file, or the scan root. */
function appDir(file: string, root: string): string {
  let dir = dirname(file);
  while (!existsSync(join(dir, 'cdk.json')) && dir.startsWith(root) && dir !== root) dir = dirname(dir);
  return existsSync(join(dir, 'cdk.json')) ? dir : root;
}

export async function proposeCdk(finding: Finding, fn: DeployedFunction, root: string, view: FileView, options: ProposeOptions = {}): Promise<CdkPlan> {
  const sm = finding.stateMachine!;
  const notes: string[] = [];
  const conflicts: string[] = [];
  const id = options.name ?? baseName(fn.deployment.resource);
  const v = id.charAt(0).toLowerCase() + id.slice(1) + 'StateMachine';
  const aslAbs = resolve(appDir(fn.absFile, root), 'statemachine', `${kebab(id)}.asl.json`);
  const aslPath = relPath(root, aslAbs);
  const aslAfter = await aslText(sm);
  const aslBefore = view(aslPath);
  if (aslBefore !== null && aslBefore !== aslAfter) conflicts.push(`${aslPath} already exists with other content`);
  const door = frontDoorTemplates(sm);
  notes.push(...door.notes);
  conflicts.push(...door.conflicts);

  // Substitutions and grants from the function's environment (CDK source text such as `table.tableName`).
  const subs: string[] = [];
  const tableVars = new Map<string, string>();
  const messagingVars = new Map<string, { construct: string; attribute: string }>();
  for (const [key, source] of Object.entries(sm.substitutions)) {
    const env = /^process\.env\.(\w+)$/.exec(source);
    // Connection ARNs come from the events.Connection constructs cdkConnections writes.
    if (sm.httpConnections?.some((c) => c.substitution === key)) continue;
    const value = env ? fn.envValues[env[1]!] : undefined;
    if (value === undefined) {
      conflicts.push(`\${${key}} comes from ${source}, which ${fn.deployment.resource} does not set in ${fn.deployment.file}`);
      continue;
    }
    const code = typeof value === 'string' ? JSON.stringify(value) : (value as { code: string }).code;
    subs.push(`${key}: ${code}`);
    const table = /^([\w.]+)\.tableName$/.exec(code)?.[1];
    if (table) tableVars.set(key, table);
    // A topic, queue or event bus construct passed to the function: the state machine gets its grant.
    const messaging = /^([\w.]+)\.(topicArn|queueUrl|eventBusName)$/.exec(code);
    if (messaging) messagingVars.set(key, { construct: messaging[1]!, attribute: messaging[2]! });
  }
  const grants: string[] = [];
  const access = taskAccess(sm.definition);
  // SNS / SQS / EventBridge: the construct's own grant (Topic.grantPublish, Queue.grantSendMessages, EventBus.grantPutEventsTo).
  const granted = new Set<string>();
  const GRANTS: Record<string, { attribute: string; grant: string }> = {
    [INTEGRATION_RESOURCES.sns]: { attribute: 'topicArn', grant: 'grantPublish' },
    [INTEGRATION_RESOURCES.sqs]: { attribute: 'queueUrl', grant: 'grantSendMessages' },
    [INTEGRATION_RESOURCES.eventbridge]: { attribute: 'eventBusName', grant: 'grantPutEventsTo' },
  };
  const ungranted = new Set<string>();
  for (const { resource, targets } of messagingTargets(sm.definition)) {
    const how = GRANTS[resource]!;
    for (const target of targets) {
      const m = target ? messagingVars.get(target) : undefined;
      if (m && m.attribute === how.attribute) {
        const line = `${m.construct}.${how.grant}(${v});`;
        if (!granted.has(line)) grants.push(line);
        granted.add(line);
      } else ungranted.add(resource);
    }
  }
  const codes = new Map(subs.map((s) => [s.slice(0, s.indexOf(':')), s.slice(s.indexOf(':') + 2)] as [string, string]));
  const http = cdkConnections(sm.definition, sm.httpConnections ?? [], codes, conflicts);
  // A literal's code is its JSON text; anything else (`"a-" + id` included) is CDK source text.
  const literalOf = (c: string): string | undefined => {
    try {
      const v: unknown = JSON.parse(c);
      return typeof v === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  };
  const sdk = cdkSdkGrants(sm.definition, new Map([...codes].map(([k, c]) => [k, literalOf(c) ?? { code: c }])), conflicts);
  for (const [key, code] of http.substitutions) subs.push(`${key}: ${code}`);
  for (const r of access.unknown) {
    if (r in GRANTS && !ungranted.has(r)) continue;
    if (r === INTEGRATION_RESOURCES.http && http.covers) continue;
    if (sdk.handled.has(r)) continue;
    if (!conflicts.includes(manualIntegrationStep(r, 'cdk') ?? '')) conflicts.push(manualIntegrationStep(r, 'cdk') ?? `no grant is known for ${r}: add its permissions by hand`);
  }
  for (const a of access.byTarget.values()) {
    const key = placeholderName([...a.targets][0]!);
    const table = key ? tableVars.get(key) : undefined;
    if (a.service !== 'dynamodb' || !table) {
      conflicts.push(`${a.service} ${[...a.actions].join(', ')} on a target this proposal cannot name in CDK code: grant it by hand`);
      continue;
    }
    const grant = subsetOf(a.actions, SAM_DYNAMODB_READ) ? 'grantReadData' : subsetOf(a.actions, SAM_DYNAMODB_WRITE) ? 'grantWriteData' : 'grantReadWriteData';
    grants.push(`${table}.${grant}(${v});`);
  }
  // A Records loop is fed by a queue or stream: the trigger becomes an EventBridge pipe, not written for CDK yet.
  if (sm.recordsBatch) conflicts.push('the handler loops over the Records of an SQS or stream trigger: start the state machine from an EventBridge pipe (pipes.CfnPipe: source = the queue or stream, target = this state machine, InvocationType REQUEST_RESPONSE) added by hand; the SAM proposal writes one');
  const routes = fn.deployment.routes ?? [];
  const body = (a: Aliases, aslRel: string) =>
    [
      ...http.before(a),
      `// lambda2sfn: replaces ${fn.deployment.resource}; the state machine runs the same steps with direct DynamoDB integrations.`,
      `const ${v} = new ${a.sfn}.StateMachine(this, '${id}StateMachine', {`,
      `  stateMachineType: ${a.sfn}.StateMachineType.${options.workflowType ?? 'EXPRESS'},`,
      `  definitionBody: ${a.sfn}.DefinitionBody.fromFile(${a.path}.join(__dirname, ${JSON.stringify(aslRel)})),`,
      subs.length ? `  definitionSubstitutions: { ${subs.join(', ')} },` : '',
      `  logs: { destination: new ${a.logs}.LogGroup(this, '${id}StateMachineLogs'), level: ${a.sfn}.LogLevel.ALL, includeExecutionData: true },`,
      '});',
      ...grants,
      ...sdk.lines(a, v),
      ...http.after(a, v),
      ...(routes.length
        ? [
            '// API Gateway calls StartSyncExecution; the templates give the machine the proxy-event fields it reads and map its',
            '// output back to the HTTP response (apigateway.StepFunctionsRestApi would pass {body, querystring, path, header}).',
            `const ${v}ApiRole = new ${a.iam}.Role(this, '${id}ApiRole', { assumedBy: new ${a.iam}.ServicePrincipal('apigateway.amazonaws.com') });`,
            `${v}.grantStartSyncExecution(${v}ApiRole);`,
            `const ${v}Integration = new ${a.apigateway}.AwsIntegration({`,
            "  service: 'states',",
            "  action: 'StartSyncExecution',",
            "  integrationHttpMethod: 'POST',",
            '  options: {',
            `    credentialsRole: ${v}ApiRole,`,
            `    passthroughBehavior: ${a.apigateway}.PassthroughBehavior.NEVER,`,
            `    requestTemplates: { 'application/json': ${JSON.stringify(door.requestTemplate)}.replace('\${StateMachineArn}', ${v}.stateMachineArn) },`,
            `    integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': ${JSON.stringify(door.responseTemplate)} } }],`,
            '  },',
            '});',
          ]
        : []),
    ].filter(Boolean);

  const aslRel = relative(dirname(fn.absFile), aslAbs).split('\\').join('/');
  const defaults: Aliases = { sfn: 'sfn', logs: 'logs', iam: 'iam', apigateway: 'apigateway', path: 'path', events: 'events', cdk: 'cdk' };
  const snippet = await formatCode(
    [
      "import * as path from 'node:path';",
      "import * as apigateway from 'aws-cdk-lib/aws-apigateway';",
      "import * as iam from 'aws-cdk-lib/aws-iam';",
      "import * as logs from 'aws-cdk-lib/aws-logs';",
      "import * as sfn from 'aws-cdk-lib/aws-stepfunctions';",
      ...(http.substitutions.length || sdk.needsCdk ? ["import * as cdk from 'aws-cdk-lib';"] : []),
      ...(http.substitutions.length ? ["import * as events from 'aws-cdk-lib/aws-events';"] : []),
      '',
      ...body(defaults, aslRel),
      ...routes.map((r) => `api.root.resourceForPath(${JSON.stringify(r.path)}).addMethod(${JSON.stringify(r.method)}, ${v}Integration, { methodResponses: [{ statusCode: '200' }] });`),
    ].join('\n'),
    'typescript',
  );

  const extraModules = new Set<'iam' | 'events' | 'cdk'>([...(http.substitutions.length ? (['iam', 'events', 'cdk'] as const) : []), ...(sdk.handled.size ? (['iam'] as const) : []), ...(sdk.needsCdk ? (['cdk'] as const) : [])]);
  const edit = await editStack(fn, root, view, v, body, aslRel, conflicts, [...extraModules]);
  const changes: FileChange[] = [];
  if (aslBefore !== aslAfter) changes.push({ path: aslPath, before: aslBefore, after: aslAfter });
  if (edit) changes.push(edit);
  notes.push(
    edit
      ? `${fn.deployment.file}: ${fn.deployment.resource} is replaced by ${id}StateMachine${routes.length ? `; its route${routes.length > 1 ? 's' : ''} ${routes.map((r) => `${r.method} ${r.path}`).join(', ')} call${routes.length > 1 ? '' : 's'} StartSyncExecution` : ''}`
      : `paste the snippet into ${fn.deployment.file}, remove ${fn.deployment.resource} and its LambdaIntegration, then delete the handler if nothing else uses it`,
  );
  return { changes, notes, conflicts, snippet, functionRemoved: Boolean(edit) && conflicts.length === 0 && finding.convertible === 'full' };
}

/** The stack file with the function replaced, or undefined (with a conflict) when its uses are not all understood. */
async function editStack(
  fn: DeployedFunction,
  root: string,
  view: FileView,
  v: string,
  body: (a: Aliases, aslRel: string) => string[],
  aslRel: string,
  conflicts: string[],
  extraModules: Array<keyof Aliases> = [],
): Promise<FileChange | undefined> {
  const file = relPath(root, fn.absFile);
  const text = view(file);
  if (text === null) return conflict(conflicts, `${file} no longer exists`);
  const parsed = parseSource(text, fn.absFile);
  if (!parsed.ok) return conflict(conflicts, `${file} does not parse: ${parsed.message}`);
  const program = parsed.ast.program;

  // The statement `const x = new …Function(this, 'Id', {…});` at the deployment's line.
  let decl: { statement: t.VariableDeclaration; name: string } | undefined;
  walk(program, (n) => {
    if (n.type === 'VariableDeclaration' && n.declarations.length === 1) {
      const d = n.declarations[0]!;
      if (d.id.type === 'Identifier' && d.init?.type === 'NewExpression' && d.init.loc?.start.line === fn.deployment.line) decl = { statement: n, name: d.id.name };
    }
  });
  if (!decl) return conflict(conflicts, `${fn.deployment.resource} is not declared as \`const x = new …(…)\` at ${file}:${fn.deployment.line}: edit by hand`);
  const { statement, name } = decl;

  const splices: Splice[] = [];
  const lineStart = (at: number) => lineStartIn(text, at);
  const lineEnd = (at: number) => lineEndIn(text, at);
  let ok = true;
  // Every other use of the variable: grants (dropped: the state machine gets its own) and LambdaIntegration(x).
  walk(program, (n, parents) => {
    if (n.type !== 'Identifier' || n.name !== name) return;
    const parent = parents[parents.length - 1];
    if (parent && parent.type === 'VariableDeclarator' && parent.id === n) return;
    if (parent?.type === 'MemberExpression' && parent.property === n && !parent.computed) return;
    if (parent?.type === 'ObjectProperty' && parent.key === n && !parent.shorthand) return;
    const grandparent = parents[parents.length - 2];
    if (parent?.type === 'CallExpression' && parent.arguments.length === 1 && parent.callee.type === 'MemberExpression' && parent.callee.property.type === 'Identifier' && /^grant/.test(parent.callee.property.name) && grandparent?.type === 'ExpressionStatement') {
      splices.push({ start: lineStart(grandparent.start!), end: lineEnd(grandparent.end!), text: '' });
      return;
    }
    if (parent?.type === 'NewExpression' && parent.arguments.length === 1 && calleeName(parent.callee) === 'LambdaIntegration') {
      splices.push({ start: parent.start!, end: parent.end!, text: `${v}Integration` });
      // The AWS integration answers through integration responses, which need a method response.
      if (grandparent?.type === 'CallExpression' && calleeName(grandparent.callee) === 'addMethod' && grandparent.arguments.length === 2 && grandparent.arguments[1] === parent) {
        splices.push({ start: parent.end!, end: parent.end!, text: ", { methodResponses: [{ statusCode: '200' }] }" });
      } else {
        ok = false;
        conflicts.push(`the LambdaIntegration of ${name} at ${file}:${parent.loc?.start.line} is not a two-argument addMethod call: wire it by hand`);
      }
      return;
    }
    ok = false;
    conflicts.push(`${name} is used at ${file}:${n.loc?.start.line} in a way this proposal does not rewrite: edit by hand`);
  });
  if (!ok) return undefined;

  // Import aliases: reuse the file's own, add the missing ones after the last import.
  const aliases: Aliases = { sfn: '', logs: '', iam: '', apigateway: '', path: '', events: '', cdk: '' };
  const modules: Record<keyof Aliases, string[]> = {
    sfn: ['aws-cdk-lib/aws-stepfunctions'],
    logs: ['aws-cdk-lib/aws-logs'],
    iam: ['aws-cdk-lib/aws-iam'],
    apigateway: ['aws-cdk-lib/aws-apigateway'],
    path: ['node:path', 'path'],
    events: ['aws-cdk-lib/aws-events'],
    cdk: ['aws-cdk-lib'],
  };
  const imports = program.body.filter((s): s is t.ImportDeclaration => s.type === 'ImportDeclaration');
  for (const key of Object.keys(modules) as Array<keyof Aliases>) {
    const found = imports.find((i) => modules[key].includes(i.source.value) && i.specifiers.some((s) => s.type === 'ImportNamespaceSpecifier' || s.type === 'ImportDefaultSpecifier'));
    aliases[key] = found?.specifiers.find((s) => s.type === 'ImportNamespaceSpecifier' || s.type === 'ImportDefaultSpecifier')?.local.name ?? '';
  }
  const added: string[] = [];
  const wanted: Array<keyof Aliases> = [...new Set<keyof Aliases>(['path', 'sfn', 'logs', ...(fn.deployment.routes?.length ? (['iam', 'apigateway'] as const) : []), ...extraModules])];
  for (const key of wanted) {
    if (aliases[key]) continue;
    aliases[key] = key;
    added.push(`import * as ${key} from '${modules[key][0]}';\n`);
  }
  for (const key of Object.keys(aliases) as Array<keyof Aliases>) aliases[key] ||= key;
  const lastImport = imports[imports.length - 1];
  if (added.length) {
    const at = lastImport ? lineEnd(lastImport.end!) : 0;
    splices.push({ start: at, end: at, text: added.join('') });
  }

  // The replacement, formatted alone and indented like the statement it replaces.
  const start = lineStart(statement.start!);
  const indent = text.slice(start, statement.start!);
  const code = await formatCode(body(aliases, aslRel).join('\n'), 'typescript');
  splices.push({ start, end: lineEnd(statement.end!), text: code.replace(/\n$/, '').split('\n').map((l) => (l ? indent + l : l)).join('\n') + '\n' });

  // An import left without users goes too (e.g. NodejsFunction).
  let after = applySplices(text, splices);
  const reparsed = parseSource(after, fn.absFile);
  if (!reparsed.ok) return conflict(conflicts, `the rewritten ${file} does not parse: ${reparsed.message}`);
  const unused: Splice[] = [];
  for (const imp of reparsed.ast.program.body.filter((x): x is t.ImportDeclaration => x.type === 'ImportDeclaration')) {
    const dead = imp.specifiers.filter((x) => countIdentifier(reparsed.ast.program, x.local.name) === 0);
    if (dead.length === 0) continue;
    if (dead.length === imp.specifiers.length) {
      unused.push({ start: lineStartIn(after, imp.start!), end: lineEndIn(after, imp.end!), text: '' });
      continue;
    }
    for (const x of dead) {
      const following = /^\s*,\s*/.exec(after.slice(x.end!));
      const preceding = /,\s*$/.exec(after.slice(0, x.start!));
      if (following) unused.push({ start: x.start!, end: x.end! + following[0].length, text: '' });
      else if (preceding) unused.push({ start: x.start! - preceding[0].length, end: x.end!, text: '' });
    }
  }
  after = applySplices(after, unused);
  return { path: file, before: text, after };
}

function lineStartIn(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function lineEndIn(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl < 0 ? text.length : nl + 1;
}

function conflict(conflicts: string[], message: string): undefined {
  conflicts.push(message);
  return undefined;
}

function calleeName(n: t.Node): string | undefined {
  if (n.type === 'Identifier') return n.name;
  if (n.type === 'MemberExpression' && n.property.type === 'Identifier') return n.property.name;
  return undefined;
}

/** Uses of a name outside the import declarations. */
function countIdentifier(program: t.Program, name: string): number {
  let count = 0;
  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration') continue;
    walk(statement, (n) => {
      if ((n.type === 'Identifier' || n.type === 'JSXIdentifier') && n.name === name) count += 1;
    });
  }
  return count;
}

function walk(node: t.Node, visit: (n: t.Node, parents: t.Node[]) => void, parents: t.Node[] = []): void {
  visit(node, parents);
  parents.push(node);
  for (const key of Object.keys(node) as Array<keyof t.Node>) {
    if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue;
    const value = node[key] as unknown;
    if (Array.isArray(value)) {
      for (const c of value) if (c && typeof c === 'object' && typeof (c as t.Node).type === 'string') walk(c as t.Node, visit, parents);
    } else if (value && typeof value === 'object' && typeof (value as t.Node).type === 'string') walk(value as t.Node, visit, parents);
  }
  parents.pop();
}
