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
