// The functions Step Functions adds to JSONata, and the one it takes away ($eval).
// Argument failures throw ExpressionFailure, which the executor reports as States.QueryEvaluationError.
import { createHash, randomUUID } from 'node:crypto';
import { NotSupportedByExecutor } from './errors.js';

/** A failure inside an expression: becomes States.QueryEvaluationError. */
export class ExpressionFailure extends Error {
  override readonly name = 'ExpressionFailure';
}

const HASH_ALGORITHMS: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

const isInteger = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);

export function partition(array: unknown, size: unknown): unknown[][] {
  if (!Array.isArray(array)) throw new ExpressionFailure('$partition: the first argument must be an array');
  if (!isInteger(size) || size <= 0) throw new ExpressionFailure('$partition: the size must be a positive integer');
  const out: unknown[][] = [];
  for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
  return out;
}

/** Inclusive, like States.ArrayRange: $range(0, 10, 2) is [0,2,4,6,8,10]. */
export function range(start: unknown, end: unknown, step: unknown): number[] {
  if (!isInteger(start) || !isInteger(end) || !isInteger(step)) throw new ExpressionFailure('$range: start, end and step must be integers');
  if (step === 0) throw new ExpressionFailure('$range: step must not be 0');
  const out: number[] = [];
  for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
    // States.ArrayRange stops at 1,000 items; what $range does beyond that is not documented.
    if (out.length === 1000) throw new NotSupportedByExecutor('$range producing more than 1,000 items (the documented limit of States.ArrayRange; $range\'s is not documented)');
    out.push(v);
  }
  return out;
}

/** Hex digest, as States.Hash returns it. */
export function hash(value: unknown, algorithm: unknown): string {
  if (typeof value !== 'string') throw new ExpressionFailure('$hash: the value must be a string');
  const alg = typeof algorithm === 'string' ? HASH_ALGORITHMS[algorithm] : undefined;
  if (!alg) throw new ExpressionFailure(`$hash: the algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
  return createHash(alg).update(value, 'utf8').digest('hex');
}

export function random(seed?: unknown): number {
  // AWS does not document the seeded generator, so a seeded call cannot be reproduced.
  if (seed !== undefined) throw new NotSupportedByExecutor('$random with a seed (AWS\'s seeded sequence is not documented)');
  return Math.random();
}

export function uuid(): string {
  return randomUUID();
}

export function parse(text: unknown): unknown {
  if (typeof text !== 'string') throw new ExpressionFailure('$parse: the argument must be a string');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ExpressionFailure(`$parse: ${(e as Error).message}`);
  }
}

function evalRemoved(): never {
  throw new ExpressionFailure('$eval is not available in Step Functions (use $parse)');
}

/** Bound into every expression; a binding of the same name shadows JSONata's built-in ($eval). */
export const SFN_FUNCTIONS: Record<string, (...args: never[]) => unknown> = { partition, range, hash, random, uuid, parse, eval: evalRemoved };
