// CDK code for the IAM statements of Bedrock InvokeModel and allow-listed AWS SDK Tasks: the statements are the SAM
// ones (sdkPolicies.ts), with the function's environment values as CDK source text, written as PolicyStatements.
import type { AslDefinition } from '../report/types.js';
import { sdkIntegrationStatements } from './sdkPolicies.js';

/** A substitution whose value is CDK source text (a construct attribute, a variable), not a literal. */
const CODE = 'l2s:cdkCode';

export interface CdkSdkGrants {
  /** Task resources the statements cover. */
  handled: Set<string>;
  /** `v.addToRolePolicy(…)` lines, given the aws-iam and aws-cdk-lib aliases and the state machine variable. */
  lines: (a: { iam: string; cdk: string }, v: string) => string[];
  /** The lines need `cdk.Aws` (an ARN built from the partition, Region or account). */
  needsCdk: boolean;
}

/** `values`: substitution key → the literal it has, or `{ code }` for CDK source text. */
export function cdkSdkGrants(definition: AslDefinition, values: Map<string, string | { code: string }>, conflicts: string[]): CdkSdkGrants {
  const substitutions = Object.fromEntries([...values].map(([k, v]) => [k, typeof v === 'string' ? v : { [CODE]: v.code }]));
  const { statements, handled } = sdkIntegrationStatements(definition, substitutions, conflicts);
  let needsCdk = false;
  const pseudo: Record<string, string> = { 'AWS::Partition': 'PARTITION', 'AWS::Region': 'REGION', 'AWS::AccountId': 'ACCOUNT_ID' };
  const render = (r: unknown, cdk: string): string => {
    if (typeof r === 'string') return JSON.stringify(r);
    const o = r as Record<string, unknown>;
    if (CODE in o) return String(o[CODE]);
    if ('Fn::Sub' in o) {
      const [text, vars] = (Array.isArray(o['Fn::Sub']) ? o['Fn::Sub'] : [o['Fn::Sub'], {}]) as [string, Record<string, unknown>];
      const parts = text.split(/(\$\{[^}]+\})/).map((piece) => {
        const name = /^\$\{([^}]+)\}$/.exec(piece)?.[1];
        if (!name) return piece.replace(/[`\\]/g, '\\$&').replace(/\$\{/g, '\\${');
        if (pseudo[name]) {
          needsCdk = true;
          return `\${${cdk}.Aws.${pseudo[name]}}`;
        }
        const value = vars[name];
        return typeof value === 'string' ? value.replace(/[`\\]/g, '\\$&') : `\${${render(value, cdk)}}`;
      });
      return `\`${parts.join('')}\``;
    }
    throw new Error(`no CDK form for ${JSON.stringify(r)}`);
  };
  // Rendered once with a placeholder alias to learn whether cdk.Aws is needed before the imports are chosen.
  statements.forEach((s) => (Array.isArray(s['Resource']) ? s['Resource'] : [s['Resource']]).forEach((r) => render(r, 'cdk')));
  return {
    handled,
    needsCdk,
    lines: (a, v) =>
      statements.map((s) => {
        const resources = Array.isArray(s['Resource']) ? s['Resource'] : [s['Resource']];
        return `${v}.addToRolePolicy(new ${a.iam}.PolicyStatement({ actions: ${JSON.stringify(s['Action'])}, resources: [${resources.map((r) => render(r, a.cdk)).join(', ')}] }));`;
      }),
  };
}
