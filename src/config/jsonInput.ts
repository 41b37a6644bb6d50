// Reading a JSON file the user wrote (configuration, verify's events/tables/env/stubs): every problem is one
// UsageError naming the file, the line and column, and what is wrong, in words.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { UsageError } from '../errors.js';

export interface Position {
  line: number;
  column: number;
}

/** 1-based line and column of a character offset. */
export function positionOf(text: string, offset: number): Position {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

const SYNTAX_WORDS: Record<string, string> = {
  InvalidSymbol: 'a character that cannot start a JSON value',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a property name in double quotes is expected',
  ValueExpected: 'a value is expected',
  ColonExpected: 'a colon is expected',
  CommaExpected: 'a comma is expected',
  CloseBraceExpected: 'a closing } is expected',
  CloseBracketExpected: 'a closing ] is expected',
  EndOfFileExpected: 'the file should end here',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'a comment is not closed',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut short',
  InvalidUnicode: 'an invalid \\u escape',
  InvalidEscapeCharacter: 'an invalid escape character',
  InvalidCharacter: 'a control character inside a string',
};

/** Where strict JSON first goes wrong, in words; undefined when the text is valid JSON. */
export function jsonSyntaxError(text: string): (Position & { message: string }) | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return undefined;
  const code = printParseErrorCode(first.error);
  return { ...positionOf(text, first.offset), message: SYNTAX_WORDS[code] ?? code };
}

/** Line and column of the value a JSON pointer (`/0/TableName`, as Ajv's instancePath) names, when the text has it. */
export function positionOfPointer(text: string, pointer: string): Position | undefined {
  const tree = parseTree(text);
  if (!tree) return undefined;
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path = segments.map((s, i) => {
    const parent = findNodeAtLocation(tree, segments.slice(0, i).map((p) => (/^\d+$/.test(p) ? Number(p) : p)));
    return parent?.type === 'array' && /^\d+$/.test(s) ? Number(s) : s;
  });
  const node = findNodeAtLocation(tree, path);
  return node ? positionOf(text, node.offset) : undefined;
}

/** A value for a message: short, and never an object's full text. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One Ajv error in words: where (a JSON pointer, `(root)` for the whole file), what it must be, what it is. */
export function schemaErrorInWords(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(root)' : e.instancePath;
  switch (e.keyword) {
    case 'required':
      return `${where} must have the property ${JSON.stringify((e.params as { missingProperty: string }).missingProperty)}`;
    case 'additionalProperties':
      return `${where} must NOT have additional property ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}`;
    case 'enum':
      return `${where} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')} (got ${describeValue(e.data)})`;
    case 'type':
      return `${where} must be ${article((e.params as { type: string }).type)} (got ${describeValue(e.data)})`;
    default:
      return `${where} ${e.message ?? 'is invalid'} (got ${describeValue(e.data)})`;
  }
}

function article(type: string): string {
  const words: Record<string, string> = { array: 'a list', object: 'an object', string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false', null: 'null' };
  return type.split(',').map((t) => words[t] ?? t).join(' or ');
}

const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });

/**
 * Reads and parses a JSON file and checks it against `schema`. `what` names the file's role in messages ("events
 * file"). Errors: `file:line:column: the events file ...`, only the first schema problem (and how many more).
 */
export function readJsonInput<T>(file: string, what: string, schema?: object): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`cannot read the ${what} ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.code ?? err.message}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const at = jsonSyntaxError(text);
    if (at) throw new UsageError(`${file}:${at.line}:${at.column}: the ${what} is not valid JSON: ${at.message}`);
    throw new UsageError(`${file}: the ${what} is not valid JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (schema) {
    const validate = ajv.compile(schema);
    if (!validate(value)) {
      const errors = pickErrors(validate.errors ?? []);
      const first = errors[0]!;
      const at = positionOfPointer(text, first.instancePath);
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
      throw new UsageError(`${file}${at ? `:${at.line}:${at.column}` : ''}: the ${what} has the wrong shape: ${schemaErrorInWords(first)}${more}`);
    }
  }
  return value as T;
}

/** The errors worth showing: for a failed `oneOf`/`anyOf`, the branch's own errors say more than "must match a schema". */
function pickErrors(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  // Of a union's branches, keep the deepest complaints: they are about the value the user most likely meant.
  const deepest = Math.max(...specific.map((e) => e.instancePath.split('/').length), 0);
  const kept = specific.filter((e) => e.instancePath.split('/').length === deepest);
  return kept.length ? kept : errors;
}
