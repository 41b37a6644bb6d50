// Validate a definition with asl-validator (offline). It mutates its input, so it gets a copy.
import aslValidator from 'asl-validator';

export function validateAsl(definition: unknown): { valid: boolean; errors: string[] } {
  const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
  const errors = result.isValid ? [] : result.errors.map((e) => String(e.message ?? JSON.stringify(e)));
  return { valid: result.isValid, errors };
}
