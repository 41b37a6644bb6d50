// CDK proposal: the new ASL file plus the infrastructure as a TypeScript snippet to paste.
// CDK code is not rewritten automatically yet, so `apply` refuses it (stated as a conflict).
import { dirname, relative, resolve } from 'node:path';
import { relPath } from '../infra/readSam.js';
import type { DeployedFunction } from '../infra/types.js';
import type { Finding } from '../report/types.js';
import { formatCode } from './format.js';
import { frontDoorTemplates } from './frontDoor.js';
import { placeholderName, SAM_DYNAMODB_READ, SAM_DYNAMODB_WRITE, subsetOf, taskAccess } from './policies.js';
import { aslText, baseName, kebab } from './proposeSam.js';
import type { FileView, Proposal } from './types.js';

function aslFile(fn: DeployedFunction, root: string): { abs: string; path: string } {
  const abs = resolve(dirname(fn.absFile), fn.deployment.iac === 'cdk' ? '..' : '.', 'statemachine', `${kebab(baseName(fn.deployment.resource))}.asl.json`);
  return { abs, path: relPath(root, abs) };
}

async function common(finding: Finding, fn: DeployedFunction, root: string, view: FileView) {
  const asl = aslFile(fn, root);
  const after = await aslText(finding.stateMachine!);
  const before = view(asl.path);
  const conflicts = before !== null && before !== after ? [`${asl.path} already exists with other content`] : [];
  return { asl, changes: before === after ? [] : [{ path: asl.path, before, after }], conflicts };
}

export async function proposeCdk(finding: Finding, fn: DeployedFunction, root: string, view: FileView): Promise<Proposal> {
  const sm = finding.stateMachine!;
  const { asl, changes, conflicts } = await common(finding, fn, root, view);
  const notes: string[] = [];
  const door = frontDoorTemplates(sm);
  notes.push(...door.notes);
  const id = baseName(fn.deployment.resource);
  const v = id.charAt(0).toLowerCase() + id.slice(1) + 'StateMachine';
  const subs: string[] = [];
  const tableVars = new Map<string, string>();
  for (const [key, source] of Object.entries(sm.substitutions)) {
    const env = /^process\.env\.(\w+)$/.exec(source);
    const value = env ? fn.envValues[env[1]!] : undefined;
    if (value === undefined) {
      conflicts.push(`no value known for \${${key}} (${source})`);
      continue;
    }
    const code = typeof value === 'string' ? JSON.stringify(value) : (value as { code: string }).code;
    subs.push(`${key}: ${code}`);
    const table = /^([\w.]+)\.tableName$/.exec(code)?.[1];
    if (table) tableVars.set(key, table);
  }
  const grants: string[] = [];
  for (const a of taskAccess(sm.definition).byTarget.values()) {
    if (a.service !== 'dynamodb') continue;
    const key = placeholderName([...a.targets][0]!);
    const table = key ? tableVars.get(key) : undefined;
    const grant = subsetOf(a.actions, SAM_DYNAMODB_READ) ? 'grantReadData' : subsetOf(a.actions, SAM_DYNAMODB_WRITE) ? 'grantWriteData' : 'grantReadWriteData';
    grants.push(table ? `${table}.${grant}(${v});` : `// grant ${[...a.actions].map((x) => `dynamodb:${x}`).join(', ')} on the table to ${v}`);
  }
  const aslFromCdkFile = relative(dirname(fn.absFile), asl.abs).split('\\').join('/');
  const routes = fn.deployment.routes ?? [];
  const code = [
    `// lambda2sfn: replaces ${fn.deployment.resource} (${fn.deployment.file}:${fn.deployment.line ?? '?'})`,
    "import * as logs from 'aws-cdk-lib/aws-logs';",
    "import * as iam from 'aws-cdk-lib/aws-iam';",
    "import * as sfn from 'aws-cdk-lib/aws-stepfunctions';",
    '',
    `const ${v} = new sfn.StateMachine(this, '${id}StateMachine', {`,
    '  stateMachineType: sfn.StateMachineType.EXPRESS,',
    `  definitionBody: sfn.DefinitionBody.fromFile(path.join(__dirname, ${JSON.stringify(aslFromCdkFile)})),`,
    subs.length ? `  definitionSubstitutions: { ${subs.join(', ')} },` : '',
    `  logs: { destination: new logs.LogGroup(this, '${id}StateMachineLogs'), level: sfn.LogLevel.ALL, includeExecutionData: true },`,
    '});',
    ...grants,
    ...(routes.length
      ? [
          '',
          '// The REST integration calls StartSyncExecution with templates that give the state machine the proxy-event input it reads',
          '// (apigateway.StepFunctionsRestApi passes {body, querystring, path, header} instead).',
          `const ${v}ApiRole = new iam.Role(this, '${id}ApiRole', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });`,
          `${v}.grantStartSyncExecution(${v}ApiRole);`,
          `const ${v}Integration = new apigateway.AwsIntegration({`,
          "  service: 'states',",
          "  action: 'StartSyncExecution',",
          "  integrationHttpMethod: 'POST',",
          '  options: {',
          `    credentialsRole: ${v}ApiRole,`,
          '    passthroughBehavior: apigateway.PassthroughBehavior.NEVER,',
          `    requestTemplates: { 'application/json': ${JSON.stringify(door.requestTemplate)}.replace('\${StateMachineArn}', ${v}.stateMachineArn) },`,
          `    integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': ${JSON.stringify(door.responseTemplate)} } }],`,
          '  },',
          '});',
          ...routes.map((r) => `api.root.resourceForPath(${JSON.stringify(r.path)}).addMethod(${JSON.stringify(r.method)}, ${v}Integration, { methodResponses: [{ statusCode: '200' }] }); // replaces the LambdaIntegration of this route`),
        ]
      : []),
  ]
    .filter((l, i, all) => l !== '' || all[i - 1] !== '')
    .join('\n');
  const snippet = await formatCode(code, 'typescript');
  notes.push(`paste the snippet into ${fn.deployment.file}, point \`api\` at your RestApi, remove the function ${fn.deployment.resource} and its LambdaIntegration, then delete the handler if nothing else uses it`);
  conflicts.push('CDK code is not rewritten automatically yet: apply the snippet by hand');
  return { iac: 'cdk', changes, notes, conflicts, snippet: { language: 'typescript', text: snippet } };
}
