// The Ajv instance asl-validator validates definitions with. asl-validator 4.0.0 builds a new Ajv, and so compiles
// every schema again, on each call; here it gets one shared instance instead: the validation code that
// scripts/build-asl-schema.mjs generated into dist/ at build time when it is there (no schema compile at run time),
// else one real Ajv that compiles the schemas once.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCHEMA_ID = 'http://asl-validator.cloud/state-machine.json#';
const GENERATED = 'aslSchema.generated.cjs';
const GENERATED_FORMATS = 'aslSchemaFormats.generated.cjs';

type AjvLike = {
  addKeyword(def: unknown, ...rest: unknown[]): AjvLike;
  addFormat(name: string, format: unknown): AjvLike;
  getKeyword(name: string): unknown;
  validate(id: string, data: unknown): boolean;
  errors?: unknown;
};
type AjvClass = new (opts: unknown) => AjvLike;
type GeneratedValidate = ((data: unknown) => boolean) & { errors?: unknown };
interface GeneratedFormats {
  aslValidatorVersion: string;
  kinds: Record<string, string>;
  formats: Record<string, unknown>;
}

const validatorRequire = createRequire(createRequire(import.meta.url).resolve('asl-validator'));
const ajvModule = validatorRequire('ajv') as { default: AjvClass; __l2sShared?: boolean; __l2sReal?: AjvClass };
// Kept on the module object: a second copy of this module (a test runner's registry) must find the real class.
const RealAjv = (ajvModule.__l2sReal ??= ajvModule.default);

/** Where the generated code is looked for (null: compile at run time); tests point it elsewhere. */
let generatedDir: string | null = dirname(fileURLToPath(import.meta.url));
let shared: AjvLike | undefined;

/** Tests: validate with the code generated into `dir`, or (null) with schemas compiled at run time. */
export function useAslSchemaCode(dir: string | null): void {
  generatedDir = dir;
  shared = undefined;
}

/** Which one the last validation used. */
export function aslSchemaMode(): 'generated' | 'compiled' | undefined {
  return shared instanceof GeneratedAjv ? shared.mode() : shared ? 'compiled' : undefined;
}

/** One real Ajv; plugins run again on every call (ajv-formats adds its keywords): keywords already there are kept. */
function realAjv(opts: unknown): AjvLike {
  const instance = new RealAjv(opts);
  const addKeyword = instance.addKeyword.bind(instance);
  instance.addKeyword = (def: unknown, ...rest: unknown[]) => {
    const raw = typeof def === 'string' ? def : (def as { keyword?: string | string[] }).keyword;
    const names = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    return names.length > 0 && names.every((n) => instance.getKeyword(n)) ? instance : addKeyword(def, ...rest);
  };
  return instance;
}

function formatKind(f: unknown): string {
  if (typeof f === 'function') return 'function';
  if (f instanceof RegExp) return 'regexp';
  if (typeof f === 'string') return 'string';
  const v = (f as { validate?: unknown } | undefined)?.validate;
  return typeof v === 'function' ? 'object-function' : v instanceof RegExp ? 'object-regexp' : 'other';
}

/**
 * Stands for Ajv to asl-validator: takes the formats it registers into the table the generated code reads, and
 * validates with the generated function. Anything unexpected (another schema asked for, a format missing or of
 * another kind, another asl-validator version than the one the code was generated from) falls back to a real Ajv
 * built with the same options and registrations, so the answer never depends on which one ran.
 */
class GeneratedAjv implements AjvLike {
  readonly opts: { code: Record<string, unknown> } = { code: {} };
  errors: unknown = null;
  private readonly calls: Array<[keyof AjvLike, unknown[]]> = [];
  private generated: GeneratedValidate | undefined;
  private fallback: AjvLike | undefined;

  constructor(
    private readonly options: unknown,
    private readonly dir: string,
  ) {}

  mode(): 'generated' | 'compiled' | undefined {
    return this.generated ? 'generated' : this.fallback ? 'compiled' : undefined;
  }

  // asl-validator registers its formats again on every call: what the first call registered is what counts.
  addFormat(name: string, format: unknown): AjvLike {
    if (!this.generated) this.calls.push(['addFormat', [name, format]]);
    this.fallback?.addFormat(name, format);
    return this;
  }

  addKeyword(def: unknown, ...rest: unknown[]): AjvLike {
    if (!this.generated) this.calls.push(['addKeyword', [def, ...rest]]);
    this.fallback?.addKeyword(def, ...rest);
    return this;
  }

  getKeyword(name: string): unknown {
    return this.fallback?.getKeyword(name) ?? false;
  }

  validate(id: string, data: unknown): boolean {
    if (!this.generated && !this.fallback) this.generated = id === SCHEMA_ID ? this.loadGenerated() : undefined;
    if (!this.generated || id !== SCHEMA_ID) return this.viaFallback(id, data);
    const ok = this.generated(data);
    this.errors = ok ? null : this.generated.errors ?? null;
    return ok;
  }

  private viaFallback(id: string, data: unknown): boolean {
    if (!this.fallback) {
      this.generated = undefined;
      const real = realAjv(this.options);
      for (const [method, args] of this.calls) (real[method] as (...a: unknown[]) => unknown).apply(real, args);
      this.fallback = real;
    }
    const ok = this.fallback.validate(id, data);
    this.errors = this.fallback.errors ?? null;
    return ok;
  }

  private loadGenerated(): GeneratedValidate | undefined {
    try {
      const req = createRequire(join(this.dir, GENERATED));
      const table = req(`./${GENERATED_FORMATS}`) as GeneratedFormats;
      const installed = (validatorRequire('asl-validator/package.json') as { version: string }).version;
      if (table.aslValidatorVersion !== installed) return undefined;
      const registered = new Map<string, unknown>();
      for (const [method, args] of this.calls) if (method === 'addFormat') registered.set(args[0] as string, args[1]);
      // The code calls each format the way it was compiled (a function, a RegExp's test, an object's validate).
      for (const [name, kind] of Object.entries(table.kinds)) if (formatKind(registered.get(name)) !== kind) return undefined;
      for (const [name, format] of registered) table.formats[name] = typeof format === 'function' ? remembered(format as (value: string) => boolean) : format;
      return req(`./${GENERATED}`) as GeneratedValidate;
    } catch {
      return undefined;
    }
  }
}

/**
 * A format check that remembers its answers. asl-validator's checks (a JSONata parse, an ASL path grammar, an
 * ARN pattern) depend on the string alone, and its oneOf schemas try the same strings against them many times.
 */
function remembered(check: (value: string) => boolean): (value: string) => boolean {
  const answers = new Map<string, boolean>();
  return (value) => {
    let answer = answers.get(value);
    if (answer === undefined) {
      if (answers.size >= MAX_ANSWERS_KEPT) answers.clear();
      answers.set(value, (answer = check(value)));
    }
    return answer;
  };
}
const MAX_ANSWERS_KEPT = 20_000;

function SharedAjv(opts: unknown): AjvLike {
  if (!shared) {
    const dir = generatedDir;
    shared = dir !== null && existsSync(join(dir, GENERATED)) ? new GeneratedAjv(opts, dir) : realAjv(opts);
  }
  return shared;
}

/** asl-validator reads `require('ajv').default` at call time: that property is what is replaced, nothing else uses it. */
export function shareAslValidatorAjv(): void {
  if (ajvModule.__l2sShared) return;
  ajvModule.default = SharedAjv as unknown as AjvClass;
  ajvModule.__l2sShared = true;
}
