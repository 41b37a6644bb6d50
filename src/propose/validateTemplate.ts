// Checks a rewritten SAM/CloudFormation template before it is proposed: it parses with the CloudFormation tags,
// has the structure CloudFormation requires, the state machines have what SAM requires, and every Ref, GetAtt and
// ${Name} in a Sub names something that exists. (cfn-lint on npm, 1.9.7, is unmaintained: its bundled spec does not
// know AWS::Serverless::StateMachine, so it rejects every proposal; AWS's maintained cfn-lint is Python only.)
import { Ajv, type ValidateFunction } from 'ajv';
import { parseCfnYaml, toCfnJson } from '../infra/cfnYaml.js';

type Json = Record<string, unknown>;

const TEMPLATE_SCHEMA = {
  type: 'object',
  required: ['Resources'],
  properties: {
    Resources: {
      type: 'object',
      minProperties: 1,
      additionalProperties: {
        type: 'object',
        required: ['Type'],
        properties: { Type: { type: 'string', pattern: '^(AWS|Custom|Alexa)::' }, Properties: { type: 'object' } },
      },
    },
  },
};

const STATE_MACHINE_SCHEMA = {
  type: 'object',
  required: ['Properties'],
  properties: {
    Properties: {
      type: 'object',
      required: ['Type'],
      oneOf: [{ required: ['DefinitionUri'] }, { required: ['Definition'] }],
      properties: {
        Type: { enum: ['EXPRESS', 'STANDARD'] },
        DefinitionUri: { type: ['string', 'object'] },
        DefinitionSubstitutions: { type: 'object' },
        Policies: { type: ['string', 'array', 'object'] },
        Logging: { type: 'object', required: ['Level', 'Destinations'], properties: { Level: { enum: ['ALL', 'ERROR', 'FATAL', 'OFF'] }, Destinations: { type: 'array', minItems: 1 } } },
      },
    },
  },
};

let validators: { template: ValidateFunction; stateMachine: ValidateFunction } | undefined;

const PSEUDO = /^AWS::/;

/** Problems of a template's text (empty when it passes). */
export function validateSamTemplate(text: string): string[] {
  let data: Json;
  try {
    data = toCfnJson(parseCfnYaml(text).doc.contents) as Json;
  } catch (e) {
    return [`the template does not parse: ${(e as Error).message}`];
  }
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validators = { template: ajv.compile(TEMPLATE_SCHEMA), stateMachine: ajv.compile(STATE_MACHINE_SCHEMA) };
  }
  const problems: string[] = [];
  if (!validators.template(data)) problems.push(...(validators.template.errors ?? []).map((e) => `template${e.instancePath.replace(/\//g, '.')}: ${e.message}`));
  const resources = (data['Resources'] ?? {}) as Json;
  for (const [id, r] of Object.entries(resources)) {
    if ((r as Json)?.['Type'] === 'AWS::Serverless::StateMachine' && !validators.stateMachine(r)) {
      problems.push(...(validators.stateMachine.errors ?? []).map((e) => `${id}${e.instancePath.replace(/\//g, '.')}: ${e.message}`));
    }
  }
  const known = new Set([...Object.keys(resources), ...Object.keys((data['Parameters'] ?? {}) as Json), ...samImplicitIds(resources)]);
  const refs = new Set<string>();
  const walk = (v: unknown, locals: Set<string>) => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, locals));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Json)) {
        if (k === 'Ref' && typeof x === 'string') refs.add(x);
        else if (k === 'Fn::GetAtt' && Array.isArray(x) && typeof x[0] === 'string') refs.add(x[0]);
        else if (k === 'Fn::Sub') {
          const [s, vars] = Array.isArray(x) ? [x[0], (x[1] ?? {}) as Json] : [x, {}];
          const inner = new Set([...locals, ...Object.keys(vars)]);
          if (typeof s === 'string') for (const m of s.matchAll(/\$\{([^!}][^}.]*)(?:\.[^}]*)?\}/g)) if (!inner.has(m[1]!)) refs.add(m[1]!);
          walk(vars, locals);
        } else walk(x, locals);
      }
    }
  };
  walk(resources, new Set());
  walk(data['Outputs'] ?? {}, new Set());
  for (const r of refs) if (!PSEUDO.test(r) && !known.has(r)) problems.push(`${r} is referenced but not defined`);
  return problems;
}

/** Logical ids SAM generates that templates may refer to. */
function samImplicitIds(resources: Json): string[] {
  const ids: string[] = [];
  let restApi = false;
  let httpApi = false;
  for (const [id, r] of Object.entries(resources)) {
    const res = r as Json;
    const props = (res['Properties'] ?? {}) as Json;
    if (res['Type'] === 'AWS::Serverless::Function' || res['Type'] === 'AWS::Serverless::StateMachine') {
      if (!props['Role']) ids.push(`${id}Role`);
      for (const ev of Object.values((props['Events'] ?? {}) as Json)) {
        const e = ev as Json;
        const p = (e['Properties'] ?? {}) as Json;
        if (e['Type'] === 'Api' && !p['RestApiId']) restApi = true;
        if (e['Type'] === 'HttpApi' && !p['ApiId']) httpApi = true;
      }
    }
    if (res['Type'] === 'AWS::Serverless::Api') ids.push(`${id}Stage`, `${id}Deployment`);
  }
  if (restApi) ids.push('ServerlessRestApi', 'ServerlessRestApiProdStage', 'ServerlessRestApiDeployment');
  if (httpApi) ids.push('ServerlessHttpApi', 'ServerlessHttpApiApiGatewayDefaultStage');
  return ids;
}
