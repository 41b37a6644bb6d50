// Validate a definition with asl-validator (offline). It mutates its input, so it gets a copy.
import aslValidator from 'asl-validator';
import jsonata from 'jsonata';
import { shareAslValidatorAjv } from './aslSchemaAjv.js';

shareAslValidatorAjv();

/** The same few expressions (`{% $states.input.body %}`) recur in every definition: each is parsed once. */
const parseErrors = new Map<string, string | undefined>();
const MAX_PARSES_KEPT = 10_000;

function jsonataParseError(expression: string): string | undefined {
  if (parseErrors.has(expression)) return parseErrors.get(expression);
  let error: string | undefined;
  try {
    jsonata(expression);
  } catch (e) {
    error = (e as Error).message;
  }
  if (parseErrors.size >= MAX_PARSES_KEPT) parseErrors.clear();
  parseErrors.set(expression, error);
  return error;
}

/**
 * asl-validator reports a bad `{% … %}` only as "must match exactly one schema in oneOf": name the field and
 * the reason (a multi-line expression, which asl-validator 4 rejects; a JSONata 2.0.6 syntax error).
 */
function jsonataExpressionProblems(value: unknown, path: string, out: string[]): void {
  if (typeof value === 'string') {
    const m = /^\{%([\s\S]*)%\}$/.exec(value);
    if (!m) return;
    if (/[\r\n]/.test(value)) out.push(`${path}: a JSONata expression spans several lines; asl-validator 4 rejects that, so emit it on one line`);
    const error = jsonataParseError(m[1]!);
    if (error !== undefined) out.push(`${path}: JSONata 2.0.6 (the version Step Functions runs) cannot parse {%${m[1]}%}: ${error}`);
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => jsonataExpressionProblems(v, `${path}/${i}`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) jsonataExpressionProblems(v, `${path}/${k}`, out);
}

/** Does some object of the definition hold both `name` and `name.$`? */
function hasBothForms(value: unknown, name: string): boolean {
  if (Array.isArray(value)) return value.some((v) => hasBothForms(v, name));
  if (!value || typeof value !== 'object') return false;
  const own = Object.keys(value);
  return (own.includes(name) && own.includes(`${name}.$`)) || Object.values(value).some((v) => hasBothForms(v, name));
}

/**
 * asl-validator counts field names in a plain object, so a field named like a property of Object.prototype
 * (`constructor`, `toString`…, an item attribute say) is reported as a duplicate: keep that error only when the
 * duplicate is real.
 */
function realError(e: { 'Error code'?: string; Message?: string }, definition: unknown): boolean {
  return e['Error code'] !== 'DUPLICATE_FIELD_NAME' || !falseDuplicate(e.Message ?? '', definition);
}

/** Is this DUPLICATE_FIELD_NAME message about an Object.prototype name that is not really a duplicate? */
function falseDuplicate(message: string, definition: unknown): boolean {
  const name = /from: (.*?)(?:\.\$)?\.\$$/.exec(message)?.[1];
  return !!name && name in Object.prototype && !hasBothForms(definition, name);
}

/**
 * The emulator validates with its own asl-validator, which has the same fault: is its rejection (one error a
 * line, after a first line) made of such false duplicates only?
 */
export function onlyFalseDuplicates(emulatorMessage: string, definition: unknown): boolean {
  const lines = emulatorMessage.split('\n').slice(1).map((l) => l.trim()).filter(Boolean);
  return lines.length > 0 && lines.every((l) => /^DUPLICATE_FIELD_NAME: /.test(l) && falseDuplicate(l, definition));
}

export function validateAsl(definition: unknown): { valid: boolean; errors: string[] } {
  const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
  const found = result.isValid ? [] : result.errors.filter((e) => realError(e as { 'Error code'?: string; Message?: string }, definition));
  const errors = found.map((e) => String(e.message ?? JSON.stringify(e)));
  // Only a JSONata top level makes every `{% … %}` an expression (in a JSONPath state it is a literal).
  if ((definition as { QueryLanguage?: unknown } | null)?.QueryLanguage === 'JSONata') {
    const problems: string[] = [];
    jsonataExpressionProblems((definition as { States?: unknown }).States, '/States', problems);
    if (problems.length) return { valid: false, errors: [...problems, ...errors] };
  }
  return { valid: found.length === 0, errors };
}
