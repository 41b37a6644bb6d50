import type { Condition, Step, ValueExpr } from '../../src/model/workflow.js';

/**
 * What @middy/http-json-body-parser does before the handler runs: a 415 UnsupportedMediaTypeError unless the
 * content-type header is JSON (its regex /^application\/(.+\+)?json($|;.+)/ as StringMatches patterns), then the body
 * parsed, base64-decoded first when API Gateway encoded it.
 */
export function middyJsonBodyParserSteps(lineNo: number): Step[] {
  const header = (name: string): ValueExpr => ({ kind: 'event', path: ['headers', name], type: { kind: 'string' } });
  const contentType: ValueExpr = { kind: 'coalesce', op: '??', value: { kind: 'coalesce', op: '??', value: header('content-type'), fallback: header('Content-Type') }, fallback: { kind: 'literal', value: '' } };
  const isJson: Condition = { kind: 'or', items: ['application/json', 'application/json;*', 'application/*+json', 'application/*+json;*'].map((pattern) => ({ kind: 'matches' as const, value: contentType, pattern })) };
  const body: ValueExpr = { kind: 'event', path: ['body'], type: { kind: 'string' } };
  const parse = (v: ValueExpr): Step => ({ kind: 'let', name: 'parsedBody', value: { kind: 'json-parse', value: v, type: { kind: 'unknown' } }, line: lineNo });
  return [
    { kind: 'if', test: { kind: 'not', item: isJson }, then: [{ kind: 'throw', error: 'UnsupportedMediaTypeError', cause: 'Unsupported Media Type', line: lineNo }], else: [], line: lineNo },
    {
      kind: 'if',
      test: { kind: 'compare', op: '==', left: { kind: 'event', path: ['isBase64Encoded'], type: { kind: 'boolean' } }, right: true },
      then: [parse({ kind: 'intrinsic', fn: 'States.Base64Decode', args: [body], type: { kind: 'string' } })],
      else: [parse(body)],
      line: lineNo,
    },
  ];
}
