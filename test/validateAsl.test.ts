// validateAsl shares asl-validator's Ajv instance between calls: results must stay exactly right call after call.
import { describe, expect, test } from '@jest/globals';
import { validateAsl } from '../src/emit/validateAsl.js';

const valid = {
  StartAt: 'A',
  States: { A: { Type: 'Pass', Parameters: { 'x.$': 'States.JsonToString($.a)' }, ResultPath: '$.r', Next: 'B' }, B: { Type: 'Succeed' } },
};

describe('validateAsl', () => {
  test('valid and invalid definitions, interleaved, keep their verdicts', () => {
    const missingTarget = structuredClone(valid);
    missingTarget.States.A.Next = 'Nope';
    const badIntrinsic = structuredClone(valid);
    badIntrinsic.States.A.Parameters = { 'x.$': 'States.JsonToStrin($.a)' };
    for (let round = 0; round < 3; round++) {
      expect(validateAsl(valid)).toEqual({ valid: true, errors: [] });
      const a = validateAsl(missingTarget);
      expect(a.valid).toBe(false);
      expect(a.errors.join('\n')).toContain('Missing \'StartAt\'|\'Next\'|\'Default\' target: Nope');
      const b = validateAsl(badIntrinsic);
      expect(b.valid).toBe(false);
      expect(b.errors.join('\n')).toContain('asl_payload_template');
    }
  });

  test('does not change the definition it is given', () => {
    const copy = structuredClone(valid);
    validateAsl(copy);
    expect(copy).toEqual(valid);
  });
});

describe('validateAsl on JSONata definitions', () => {
  const withOutput = (a: string) => ({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: { a }, End: true } } });

  test('a one-line expression is valid', () => {
    expect(validateAsl(withOutput('{% $states.input.x + 1 %}'))).toEqual({ valid: true, errors: [] });
  });

  test('a multi-line expression is invalid, and the error names the field and the reason', () => {
    const r = validateAsl(withOutput('{% $states.input.x +\n 1 %}'));
    expect(r.valid).toBe(false);
    expect(r.errors[0]).toBe('/States/P/Output/a: a JSONata expression spans several lines; asl-validator 4 rejects that, so emit it on one line');
  });

  test('?? is a JSONata 2.0.6 syntax error, named as such', () => {
    const r = validateAsl(withOutput('{% $states.input.x ?? 1 %}'));
    expect(r.valid).toBe(false);
    expect(r.errors[0]).toMatch(/^\/States\/P\/Output\/a: JSONata 2\.0\.6 \(the version Step Functions runs\) cannot parse \{% \$states\.input\.x \?\? 1 %\}: /);
  });

  test('in a JSONPath definition a {% %} string is a literal and is not parsed', () => {
    const d = { StartAt: 'P', States: { P: { Type: 'Pass', Result: { a: '{% ?? %}' }, End: true } } };
    expect(validateAsl(d)).toEqual({ valid: true, errors: [] });
  });
});

describe('validateAsl on field names that Object.prototype has', () => {
  const withParameters = (parameters: Record<string, unknown>) => ({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: parameters, End: true } } });

  test('an attribute named constructor or toString is no duplicate', () => {
    expect(validateAsl(withParameters({ constructor: { 'S.$': '$.x' }, 'toString.$': '$.y' }))).toEqual({ valid: true, errors: [] });
  });

  test('constructor and constructor.$ side by side still are', () => {
    const r = validateAsl(withParameters({ constructor: 'a', 'constructor.$': '$.x' }));
    expect(r.valid).toBe(false);
    expect(r.errors.join('\n')).toContain('DUPLICATE_FIELD_NAME');
  });

  test('an ordinary duplicate is still reported', () => {
    expect(validateAsl(withParameters({ phone: 'a', 'phone.$': '$.x' })).valid).toBe(false);
  });
});
