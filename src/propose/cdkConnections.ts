// CDK code for the EventBridge connections of HTTP Tasks and the HTTP Task permissions (an HTTP Task needs all of them):
// one events.Connection per endpoint with its auth (API key / bearer / basic), the secret from a NoEcho CfnParameter
// (never a value), and PolicyStatements on the state machine role: states:InvokeHTTPEndpoint with the method and
// endpoint conditions, events:RetrieveConnectionCredentials on the connection, the secret's read actions.
import type { AslDefinition, HttpConnection } from '../report/types.js';
import { placeholderName } from './policies.js';
import { INTEGRATION_RESOURCES } from './samIntegrations.js';

export interface CdkConnectionAliases {
  events: string;
  iam: string;
  cdk: string;
}

export interface CdkConnectionPlan {
  /** The connection ARN substitutions: key → CDK expression. */
  substitutions: Array<[string, string]>;
  /** The connections (and their parameters), before the state machine that names them in its substitutions. */
  before: (a: CdkConnectionAliases) => string[];
  /** The permissions, on the state machine variable `v`, after it. */
  after: (a: CdkConnectionAliases, v: string) => string[];
  /** Some HTTP Task is covered (its permissions are written). */
  covers: boolean;
}

const camel = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** `codes`: substitution key → CDK source text of its value (from the function's environment). */
export function cdkConnections(definition: AslDefinition, connections: HttpConnection[], codes: Map<string, string>, conflicts: string[]): CdkConnectionPlan {
  const calls: Array<{ key: string; endpoint?: string; method?: string }> = [];
  const visit = (states: Record<string, unknown>) => {
    for (const state of Object.values(states)) {
      const s = state as Record<string, unknown>;
      for (const nested of [s['ItemProcessor'], s['Iterator'], ...((s['Branches'] as unknown[]) ?? [])]) {
        const ns = (nested as { States?: Record<string, unknown> } | undefined)?.States;
        if (ns) visit(ns);
      }
      if (s['Resource'] !== INTEGRATION_RESOURCES.http) continue;
      const p = (s['Parameters'] ?? {}) as Record<string, unknown>;
      const arn = ((p['Authentication'] ?? {}) as Record<string, unknown>)['ConnectionArn'];
      const key = typeof arn === 'string' ? placeholderName(arn) : undefined;
      if (key) calls.push({ key, endpoint: typeof p['ApiEndpoint'] === 'string' ? (p['ApiEndpoint'] as string) : undefined, method: typeof p['Method'] === 'string' ? (p['Method'] as string) : undefined });
    }
  };
  visit(definition.States);
  const made: Array<{ key: string; name: string; c: HttpConnection }> = [];
  for (const key of new Set(calls.map((c) => c.key))) {
    const c = connections.find((x) => x.substitution === key);
    if (!c || (c.authorization === 'API_KEY' && !c.header) || (c.authorization === 'BASIC' && !c.basic) || c.authorization === 'NONE') {
      conflicts.push(c?.authorization === 'NONE' ? `${c.endpoint} takes no auth, but an EventBridge connection needs an AuthorizationType (API_KEY, BASIC or OAUTH_CLIENT_CREDENTIALS): add an events.Connection by hand with one the API accepts and pass its ARN as \${${key}}` : `no connection is known for \${${key}}: add the events.Connection by hand`);
      continue;
    }
    made.push({ key, name: camel(key.replace(/Arn$/, '')), c });
  }
  // Endpoint conditions: the endpoint pattern with each ${Key} replaced by the CDK value of that substitution.
  const endpointCodes: string[] = [];
  let anyEndpoint = false;
  for (const call of calls) {
    const patterns = call.endpoint !== undefined ? [call.endpoint] : connections.filter((c) => c.substitution === call.key).map((c) => c.endpointPattern);
    for (const pattern of patterns) {
      if (!pattern || pattern.startsWith('*') || [...pattern.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].some((m) => !codes.has(m[1]!))) {
        anyEndpoint = true;
        continue;
      }
      const code = '`' + pattern.replace(/`/g, '\\`').replace(/\$\{([A-Za-z0-9_]+)\}/g, (_m, k: string) => `\${${codes.get(k)}}`) + '`';
      if (!endpointCodes.includes(code)) endpointCodes.push(code);
    }
  }
  const methods = [...new Set(calls.map((c) => c.method).filter((m): m is string => Boolean(m)))].sort();
  return {
    substitutions: made.map((m) => [m.key, `${m.name}.connectionArn`]),
    covers: made.length > 0 && made.length === new Set(calls.map((c) => c.key)).size,
    before: (a) => {
      if (!made.length) return [];
      const lines: string[] = ['// The HTTP Tasks authenticate through EventBridge connections; each secret comes from a NoEcho stack parameter.'];
      for (const { name, c } of made) {
        const param = (suffix: string, what: string, noEcho = true) =>
          `new ${a.cdk}.CfnParameter(this, '${name.charAt(0).toUpperCase() + name.slice(1)}${suffix}', { type: 'String', noEcho: ${noEcho}, description: ${JSON.stringify(what)} })`;
        if (c.authorization === 'API_KEY' && c.header) {
          lines.push(`const ${name}Secret = ${param('ApiKey', `${c.header.prefix ? `The part after "${c.header.prefix}" of the` : 'The'} ${c.header.name} header (process.env.${c.header.envVar} in the handler)`)};`);
          const value = c.header.prefix ? `new ${a.cdk}.SecretValue(${a.cdk}.Fn.join('', [${JSON.stringify(c.header.prefix)}, ${name}Secret.valueAsString]))` : `${a.cdk}.SecretValue.cfnParameter(${name}Secret)`;
          lines.push(`const ${name} = new ${a.events}.Connection(this, '${name.charAt(0).toUpperCase() + name.slice(1)}', { authorization: ${a.events}.Authorization.apiKey(${JSON.stringify(c.header.name)}, ${value}) });`);
        } else if (c.basic) {
          const user = c.basic.username;
          if ('envVar' in user) lines.push(`const ${name}User = ${param('Username', `Basic auth user name (process.env.${user.envVar} in the handler)`, false)};`);
          lines.push(`const ${name}Password = ${param('Password', `Basic auth password (process.env.${c.basic.passwordEnvVar} in the handler)`)};`);
          lines.push(`const ${name} = new ${a.events}.Connection(this, '${name.charAt(0).toUpperCase() + name.slice(1)}', { authorization: ${a.events}.Authorization.basic(${'envVar' in user ? `${name}User.valueAsString` : JSON.stringify(user.value)}, ${a.cdk}.SecretValue.cfnParameter(${name}Password)) });`);
        }
      }
      return lines;
    },
    after: (a, v) => {
      if (!made.length) return [];
      const lines: string[] = [];
      for (const { name } of made) {
        lines.push(`${v}.addToRolePolicy(new ${a.iam}.PolicyStatement({ actions: ['events:RetrieveConnectionCredentials'], resources: [${name}.connectionArn] }));`);
        lines.push(`${v}.addToRolePolicy(new ${a.iam}.PolicyStatement({ actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], resources: [${name}.connectionSecretArn] }));`);
      }
      const conditions = [`StringEquals: { 'states:HTTPMethod': ${JSON.stringify(methods)} }`, ...(anyEndpoint ? [] : [`StringLike: { 'states:HTTPEndpoint': [${endpointCodes.join(', ')}] }`])];
      lines.push(`${v}.addToRolePolicy(new ${a.iam}.PolicyStatement({ actions: ['states:InvokeHTTPEndpoint'], resources: ['*'], conditions: { ${conditions.join(', ')} } }));`);
      return lines;
    },
  };
}
