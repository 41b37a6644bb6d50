import type * as t from '@babel/types';
import { createRule } from '../../src/rules/createRule.js';
import type { Lifter } from '../../src/lift/lifter.js';
import { nullParseThrowsFirst } from '../../src/lift/nullParse.js';
import { LiftFailure, UNSUPPORTED } from '../../src/lift/context.js';
import { line } from '../../src/lift/syntax.js';
import { isLiteral } from '../../src/lift/values/fold.js';
import { typeOfValue } from '../../src/model/valueType.js';
import type { Json, ValueExpr } from '../../src/model/workflow.js';

const ID = 'intrinsic-json';

function foldStringify(v: ValueExpr): ValueExpr {
  if (isLiteral(v)) return { kind: 'literal', value: JSON.stringify(v.value) };
  if (v.kind === 'undefined') return { kind: 'undefined' };
  return { kind: 'json-stringify', value: v };
}

/**
 * JSON.parse of a value no guard has proven present: JSON.parse(null) is null where States.StringToJson (and $parse)
 * fail the execution. When the handler then throws on the null (reads a field of it) before anything it does can be
 * seen, both fail alike and the parse stays one intrinsic; otherwise the machine parses null to null as JSON.parse
 * does (and the lifter refuses a field read of the result that no guard protects).
 */
function throwsOnNull(lx: Lifter, call: t.Node): boolean {
  const decl = lx.declarationOf(call);
  // `const { a } = JSON.parse(x)`: destructuring null throws at once.
  if (decl && (decl.id.type === 'ObjectPattern' || decl.id.type === 'ArrayPattern')) return true;
  return decl?.id.type === 'Identifier' && nullParseThrowsFirst(decl.id.name, decl.rest);
}

/** JSON.parse(event.body) becomes States.StringToJson, JSON.stringify(x) becomes States.JsonToString. */
export const rule = createRule({
  meta: {
    id: ID,
    title: 'JSON.parse and JSON.stringify',
    description: 'JSON.parse(event.body) becomes States.StringToJson, JSON.stringify(x) becomes States.JsonToString.',
    stepFunctionsFeature: 'States.StringToJson / States.JsonToString',
    docs: 'rules/intrinsic-json/README.md',
    messages: {},
  },
  create: (lx) => ({
    liftCall(callee, args, n) {
      if (callee.kind !== 'global') return undefined;
      const name = callee.path.join('.');
      switch (name) {
        case 'JSON.stringify':
          if (args.length !== 1) throw new LiftFailure('JSON.stringify with a replacer or indentation has no intrinsic equivalent', line(n), ID, true);
          lx.use(ID);
          return { kind: 'value', value: foldStringify(lx.valueOf(args[0]!)) };
        case 'JSON.parse': {
          if (args.length !== 1) throw new LiftFailure('JSON.parse with a reviver', line(n), ID, true);
          const payload = lx.decodedLambdaPayload(args[0]!);
          if (payload) return { kind: 'value', value: payload };
          lx.use(ID);
          const v = lx.valueOf(args[0]!);
          if (isLiteral(v) && typeof v.value === 'string') return { kind: 'value', value: { kind: 'literal', value: JSON.parse(v.value) as Json } };
          const nullable = (v.kind === 'event' || v.kind === 'var') && !v.present && !throwsOnNull(lx, n);
          return { kind: 'value', value: { kind: 'json-parse', value: v, type: { kind: 'unknown' }, ...(nullable ? { nullable } : {}) } };
        }
        case 'Number': case 'parseInt': case 'parseFloat': {
          const v = lx.valueOf(args[0]!);
          if (name === 'parseInt' && !(args[1] && args[1].type === 'NumericLiteral' && args[1].value === 10)) {
            throw new LiftFailure(`parseInt without radix 10 (${lx.code(n)})`, line(n), UNSUPPORTED, true);
          }
          const t = typeOfValue(v).kind;
          if (t === 'number') return { kind: 'value', value: v };
          if (t !== 'string') throw new LiftFailure(`${name}() of a value that is not known to be a string`, line(n), UNSUPPORTED, true);
          lx.use(ID);
          lx.assume(line(n), `${lx.code(n)} becomes States.StringToJson: a numeric string gives the same number; a non-numeric one fails the execution where the handler got NaN${name === 'parseInt' ? ', and a decimal string keeps its fraction where parseInt would drop it' : ''}`);
          return { kind: 'value', value: { kind: 'json-parse', value: v, type: { kind: 'number' } } };
        }
        default:
          return undefined;
      }
    },
  }),
});
