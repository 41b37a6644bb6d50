// The API that fronts SAM state machines: one AWS::Serverless::Api per template whose OpenAPI integrations call
// states:action/StartSyncExecution with the front-door mapping templates, and the role they use.
// The first proposal creates both; later ones add their paths and state machine (as YAML splices or JSON data).
import { isMap, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import { stringifyCfnYaml } from '../infra/cfnYaml.js';
import { formatCode } from './format.js';
import { subTemplate, type FrontDoorTemplates } from './frontDoor.js';
import { appendToMapSplice, appendToSeqSplice, findPair, type Splice } from './yamlEdit.js';

type Json = Record<string, unknown>;

export interface SamApi {
  newResources: Json;
  /** Set when the shared API exists already: the paths to add to it. */
  sharedApiPaths?: Json;
  note: string;
}

export function samApi(
  routes: Array<{ method: string; path: string }>,
  door: FrontDoorTemplates,
  stateMachineId: string,
  resourceData: Json,
  templatePath: string,
  conflicts: string[],
): SamApi {
  const ids = { sm: stateMachineId, api: SHARED_API, apiRole: SHARED_API_ROLE };
  const newResources: Json = {};
  const list = routes.map((r) => `${r.method.toUpperCase()} ${r.path}`).join(', ');
  const joinNote = `the route${routes.length > 1 ? 's' : ''} ${list} join${routes.length > 1 ? '' : 's'} ${ids.api}, the API of the state machines already proposed`;
  const paths: Json = {};
  for (const r of routes) {
    const method = r.method === 'any' ? 'x-amazon-apigateway-any-method' : r.method;
    paths[r.path] = {
      ...((paths[r.path] as Json) ?? {}),
      [method]: {
        'x-amazon-apigateway-integration': {
          type: 'aws',
          httpMethod: 'POST',
          uri: { 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}:states:action/StartSyncExecution' },
          credentials: { 'Fn::GetAtt': [ids.apiRole, 'Arn'] },
          passthroughBehavior: 'NEVER',
          requestTemplates: { 'application/json': subTemplate(door.requestTemplate, ids.sm) },
          responses: { default: { statusCode: '200', responseTemplates: { 'application/json': door.responseTemplate } } },
        },
      },
    };
  }
  if (resourceData[ids.api] === undefined) {
    newResources[ids.api] = {
      Type: 'AWS::Serverless::Api',
      Properties: { StageName: 'Prod', DefinitionBody: { openapi: '3.0.1', info: { title: { 'Fn::Sub': '${AWS::StackName}-state-machines' }, version: '1.0' }, paths } },
    };
    if (resourceData[ids.apiRole] !== undefined) conflicts.push(`${templatePath} already defines ${ids.apiRole}`);
    newResources[ids.apiRole] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        Policies: [
          {
            PolicyName: 'StartSyncExecution',
            PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'states:StartSyncExecution', Resource: [{ Ref: ids.sm }] }] },
          },
        ],
      },
    };
    return { newResources, note: `the route${routes.length > 1 ? 's' : ''} ${list} move${routes.length > 1 ? '' : 's'} to the new API ${ids.api}: its URL differs from the implicit API's; update clients or map a custom domain` };
  }
  return { newResources, sharedApiPaths: paths, note: joinNote };
}

export const SHARED_API = 'StateMachinesApi';
export const SHARED_API_ROLE = 'StateMachinesApiRole';

/** Adds paths (or methods) to the shared API's OpenAPI body and the state machine to its role's resources. */
export async function extendSharedApi(text: string, resources: YAMLMap, paths: Json, stateMachineId: string, conflicts: string[]): Promise<Splice[]> {
  const splices: Splice[] = [];
  const at = (node: unknown, ...keys: Array<string | number>): unknown => {
    let n = node;
    for (const k of keys) n = typeof k === 'number' ? (isSeq(n) ? (n as YAMLSeq).items[k] : undefined) : findPair(n, k)?.value;
    return n;
  };
  const pathsNode = at(resources, SHARED_API, 'Properties', 'DefinitionBody', 'paths');
  const roleResources = at(resources, SHARED_API_ROLE, 'Properties', 'Policies', 0, 'PolicyDocument', 'Statement', 0, 'Resource');
  if (!isMap(pathsNode) || (pathsNode as YAMLMap).flow || !isSeq(roleResources) || (roleResources as YAMLSeq).flow || !(roleResources as YAMLSeq).items.length) {
    conflicts.push(`${SHARED_API} or ${SHARED_API_ROLE} has a shape this proposal does not extend: add the route by hand (see the snippet)`);
    return splices;
  }
  const newPaths: string[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    const existing = findPair(pathsNode, path)?.value;
    if (existing === undefined) {
      newPaths.push(await formatCode(stringifyCfnYaml({ [path]: methods }), 'yaml'));
      continue;
    }
    if (!isMap(existing) || (existing as YAMLMap).flow) {
      conflicts.push(`${SHARED_API} has ${path} in a shape this proposal does not extend`);
      continue;
    }
    const blocks: string[] = [];
    for (const [method, integration] of Object.entries(methods as Json)) {
      if (findPair(existing, method)) conflicts.push(`${SHARED_API} already routes ${method.toUpperCase()} ${path}`);
      else blocks.push(await formatCode(stringifyCfnYaml({ [method]: integration }), 'yaml'));
    }
    if (blocks.length) splices.push(appendToMapSplice(text, existing as YAMLMap, blocks));
  }
  if (newPaths.length) splices.push(appendToMapSplice(text, pathsNode as YAMLMap, newPaths));
  splices.push(appendToSeqSplice(text, roleResources as YAMLSeq, `!Ref ${stateMachineId}`));
  return splices;
}

/** The JSON counterpart of extendSharedApi. */
export function extendSharedApiData(resources: Record<string, Json>, paths: Json, stateMachineId: string, conflicts: string[]): void {
  const api = resources[SHARED_API] as { Properties?: { DefinitionBody?: { paths?: Record<string, Json> } } };
  const role = resources[SHARED_API_ROLE] as { Properties?: { Policies?: Array<{ PolicyDocument?: { Statement?: Array<{ Resource?: unknown }> } }> } };
  const apiPaths = api?.Properties?.DefinitionBody?.paths;
  const statement = role?.Properties?.Policies?.[0]?.PolicyDocument?.Statement?.[0];
  if (!apiPaths || !statement || !Array.isArray(statement.Resource)) {
    conflicts.push(`${SHARED_API} or ${SHARED_API_ROLE} has a shape this proposal does not extend: add the route by hand (see the snippet)`);
    return;
  }
  for (const [path, methods] of Object.entries(paths)) {
    const existing = (apiPaths[path] ??= {});
    for (const [method, integration] of Object.entries(methods as Json)) {
      if (existing[method] !== undefined) conflicts.push(`${SHARED_API} already routes ${method.toUpperCase()} ${path}`);
      else existing[method] = integration;
    }
  }
  statement.Resource.push({ Ref: stateMachineId });
}

