// `s.replace(/re/flags, 'text')` in JSONata: the emitted $replace must give what JavaScript's String.replace gives,
// for the patterns the lifter accepts. Patterns that may match an empty string are refused (JSONata's $replace
// raises an error on a zero-length match where JavaScript inserts the text).
import { describe, expect, test } from '@jest/globals';
import { emitJsonata } from '../src/emit/emitJsonata.js';
import { validateAsl } from '../src/emit/validateAsl.js';
import { mayMatchEmpty } from '../src/lift/values/jsonataMethods.js';
import type { ValueExpr } from '../src/model/workflow.js';
import { runJsonataMachine } from '../src/verify/jsonata/executeJsonata.js';

function machine(pattern: string, flags: string, to: string) {
  const lit = (value: string | boolean): ValueExpr => ({ kind: 'literal', value });
  const key: ValueExpr = { kind: 'event', path: ['key'], type: { kind: 'string' }, present: true };
  const value: ValueExpr = { kind: 'fn', fn: 'regex-replace', args: [key, lit(pattern), lit(flags.replace('g', '')), lit(to), lit(flags.includes('g'))], type: { kind: 'string' } };
  return emitJsonata({ steps: [{ kind: 'return', value: { kind: 'object', entries: [['out', value]] }, line: 1 }], substitutions: {} }, 'test').definition;
}

describe('regex replace', () => {
  const inputs = ['BOOK#b-1', 'BOOK#SERIES#b-3', 'b-4', 'book#x', 'A#B#C', 'line one\nLINE#two', ''];
  test.each([
    ['^[A-Z]+#', ''],
    ['^[A-Z]+#', 'g'],
    ['[A-Z]+#', 'g'],
    ['#', ''],
    ['#', 'g'],
    ['^[a-z]+#', 'i'],
    ['^[A-Z]+#', 'gm'],
    ['\\/|#', 'g'],
    ['[^a-z0-9-]', 'g'],
  ])('/%s/%s gives what String.replace gives', async (pattern, flags) => {
    expect(mayMatchEmpty(pattern)).toBe(false);
    const definition = machine(pattern, flags, '_');
    expect(validateAsl(definition)).toEqual({ valid: true, errors: [] });
    for (const key of inputs) {
      const out = await runJsonataMachine(definition, { key }, {});
      expect(out).toMatchObject({ ok: true, output: { out: key.replace(new RegExp(pattern, flags), '_') } });
    }
  });

  test.each([
    ['a*', true],
    ['^', true],
    ['x?', true],
    ['\\b', true],
    ['(?=a)', true],
    ['(a)\\1', true],
    ['(a|)', true],
    ['a+', false],
    ['^a*#', false],
    ['[*?]', false],
    ['\\bword\\b', false],
  ])('/%s/ may match an empty string: %s', (pattern, expected) => {
    expect(mayMatchEmpty(pattern)).toBe(expected);
  });
});
