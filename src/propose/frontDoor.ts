// API Gateway REST → StartSyncExecution mapping templates.
import type { StateMachineProposal } from '../report/types.js';

/** Where a request template puts the state machine ARN; filled with Fn::Sub. */
export const ARN_PLACEHOLDER = '${StateMachineArn}';

// Escapes a VTL value twice (once for the execution input's JSON, once for the `input` string that carries it),
// and undoes escapeJavaScript's \' which is not valid JSON (the same fix as SAM's UnescapeMappingTemplate).
const twice = (v: string) => `$util.escapeJavaScript($util.escapeJavaScript(${v}).replaceAll("\\\\'","'")).replaceAll("\\\\'","'")`;

const mapOf = (name: string, source: string) =>
  `\\"${name}\\": {#foreach($k in ${source}.keySet())\\"${twice('$k')}\\": \\"${twice(`${source}.get($k)`)}\\"#if($foreach.hasNext),#end#end}`;

/**
 * The default request template: the execution input is the Lambda proxy event fields the emitted ASL reads
 * (httpMethod, resource, path, pathParameters, queryStringParameters, headers, body as a string).
 */
export const DEFAULT_REQUEST_TEMPLATE = [
  '#set($params = $input.params())',
  '{',
  `  "stateMachineArn": "${ARN_PLACEHOLDER}",`,
  '  "input": "{' +
    [
      `\\"httpMethod\\": \\"$context.httpMethod\\"`,
      `\\"resource\\": \\"${twice('$context.resourcePath')}\\"`,
      `\\"path\\": \\"${twice('$context.path')}\\"`,
      mapOf('pathParameters', '$params.path'),
      mapOf('queryStringParameters', '$params.querystring'),
      mapOf('headers', '$params.header'),
      `\\"body\\": \\"${twice('$input.body')}\\"`,
    ].join(', ') +
    '}"',
  '}',
].join('\n');

/**
 * The default response template: like CDK's (a non-SUCCEEDED execution becomes 500 with error and cause) but it also
 * covers TIMED_OUT and unwraps the handler-shaped output ({ statusCode, headers, body }) the emitted ASL returns.
 */
export const DEFAULT_RESPONSE_TEMPLATE = [
  '#if($input.path(\'$.status\') != "SUCCEEDED")',
  '#set($context.responseOverride.status = 500)',
  '{"error": "$util.escapeJavaScript($input.path(\'$.error\'))", "cause": "$util.escapeJavaScript($input.path(\'$.cause\'))"}',
  '#else',
  "#set($out = $util.parseJson($input.path('$.output')))",
  '#set($context.responseOverride.status = $out.statusCode)',
  '#foreach($h in $out.headers.keySet())#set($context.responseOverride.header[$h] = $out.headers.get($h))#end',
  '$out.body',
  '#end',
].join('\n');

export interface FrontDoorTemplates {
  requestTemplate: string;
  responseTemplate: string;
  notes: string[];
  conflicts: string[];
}

export function frontDoorTemplates(sm: StateMachineProposal): FrontDoorTemplates {
  if (sm.frontDoor) {
    const conflicts = sm.frontDoor.requestTemplate.includes(ARN_PLACEHOLDER)
      ? []
      : [`the front-door request template does not name the state machine (${ARN_PLACEHOLDER}): wire its ARN by hand`];
    return { requestTemplate: sm.frontDoor.requestTemplate, responseTemplate: sm.frontDoor.responseTemplate, notes: sm.frontDoor.notes, conflicts };
  }
  return {
    requestTemplate: DEFAULT_REQUEST_TEMPLATE,
    responseTemplate: DEFAULT_RESPONSE_TEMPLATE,
    notes: [
      'front door: default mapping templates (the analysis gave none for this route): the request passes httpMethod, resource, path, pathParameters, queryStringParameters, headers and the body as a string, like the Lambda proxy event; the response sets the status code and headers from the output and returns its body; a FAILED or TIMED_OUT execution answers 500. Check them against your clients before deploying.',
    ],
    conflicts: [],
  };
}

/** A VTL template as the value of Fn::Sub: `${…}` that is not the ARN placeholder is escaped as `${!…}`. */
export function subTemplate(template: string, stateMachineLogicalId: string): unknown {
  const escaped = template.replace(/\$\{(?!StateMachineArn\})/g, '${!');
  return { 'Fn::Sub': [escaped, { StateMachineArn: { Ref: stateMachineLogicalId } }] };
}
