// Serverless Framework and CDK proposals: the new ASL file plus the infrastructure as a snippet to paste.
// These tools' files are not rewritten automatically yet, so `apply` refuses them (stated as a conflict).
import { dirname, posix, relative, resolve } from 'node:path';
import { relPath } from '../infra/readSam.js';
import type { DeployedFunction } from '../infra/types.js';
import type { Finding } from '../report/types.js';
import { formatCode } from './format.js';
import { frontDoorTemplates } from './frontDoor.js';
import { placeholderName, SAM_DYNAMODB_READ, SAM_DYNAMODB_WRITE, subsetOf, taskAccess } from './policies.js';
import { aslText, baseName, kebab } from './proposeSam.js';
import { stringifyCfnYaml } from '../infra/cfnYaml.js';
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

export async function proposeServerless(finding: Finding, fn: DeployedFunction, root: string, view: FileView): Promise<Proposal> {
  const sm = finding.stateMachine!;
  const { asl, changes, conflicts } = await common(finding, fn, root, view);
  const notes: string[] = [];
  const door = frontDoorTemplates(sm);
  notes.push(...door.notes);
  const name = baseName(fn.deployment.resource);
  const subs: Record<string, unknown> = {};
  for (const [key, source] of Object.entries(sm.substitutions)) {
    const env = /^process\.env\.(\w+)$/.exec(source);
    const value = env ? fn.envValues[env[1]!] : undefined;
    if (value === undefined) conflicts.push(`no value known for \${${key}} (${source})`);
    else subs[key] = value;
  }
  const snippetData = {
    plugins: ['serverless-step-functions'],
    stepFunctions: {
      stateMachines: {
        [`${name}StateMachine`]: {
          type: 'EXPRESS',
          definition: `\${file(${posix.relative(dirname(fn.absFile).split('\\').join('/'), asl.abs.split('\\').join('/'))})}`,
          ...(Object.keys(subs).length ? { definitionSubstitutions: subs } : {}),
          events: (fn.deployment.routes ?? []).map((r) => ({
            http: { path: r.path.replace(/^\//, ''), method: r.method.toLowerCase(), action: 'StartSyncExecution', request: { template: { 'application/json': door.requestTemplate } }, response: { template: { 'application/json': door.responseTemplate } } },
          })),
        },
      },
    },
  };
  const snippet = await formatCode(stringifyCfnYaml(snippetData), 'yaml');
  notes.push(
    `paste the snippet into ${fn.deployment.file} and remove the function ${fn.deployment.resource}; install serverless-step-functions`,
    'with `action` set the plugin generates no request template (asl-facts §6.5): the snippet carries one; replace ${StateMachineArn} in it with the state machine ARN (e.g. a Ref to the generated state machine resource)',
    'check that the plugin supports definitionSubstitutions in your version, and that ${…} placeholders in the ASL file are not taken for Serverless variables; if not, inline the definition with Ref values',
  );
  conflicts.push(`Serverless Framework files are not rewritten automatically yet: apply the snippet by hand`);
  return { iac: 'serverless', changes, notes, conflicts, snippet: { language: 'yaml', text: snippet } };
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
