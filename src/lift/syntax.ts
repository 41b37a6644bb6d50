import type * as t from '@babel/types';
import { patternBindings } from '../analyze/moduleIndex.js';

export const line = (n: t.Node | null | undefined): number => n?.loc?.start.line ?? 0;

export function pascal(envVar: string): string {
  return envVar.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/**
 * The DefinitionSubstitutions key of an environment variable: its name in PascalCase, unless that is empty
 * (`process.env.$`) or already stands for something else (`A_B` and `AB` are both `AB`): then numbered apart.
 */
export function substitutionKey(envVar: string, taken: Readonly<Record<string, string>>): string {
  const base = pascal(envVar) || 'EnvVar';
  let key = base;
  for (let n = 2; Object.hasOwn(taken, key) && taken[key] !== `process.env.${envVar}`; n++) key = `${base}${n}`;
  return key;
}

export function unwrapTs(node: t.Node): t.Node {
  let n = node;
  for (;;) {
    if (n.type === 'TSNonNullExpression' || n.type === 'TSAsExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'TSTypeAssertion' || n.type === 'ParenthesizedExpression' || n.type === 'TypeCastExpression') n = n.expression;
    else return n;
  }
}

export function propName(node: t.MemberExpression | t.OptionalMemberExpression): string | undefined {
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.property.type === 'StringLiteral') return node.property.value;
  if (node.property.type === 'NumericLiteral') return String(node.property.value);
  return undefined;
}

export function keyName(key: t.Node): string | undefined {
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'StringLiteral') return key.value;
  if (key.type === 'NumericLiteral') return String(key.value);
  return undefined;
}

export function terminates(s: t.Statement): boolean {
  if (s.type === 'ReturnStatement' || s.type === 'ThrowStatement') return true;
  if (s.type === 'BlockStatement') return s.body.some(terminates);
  if (s.type === 'IfStatement') return !!s.alternate && terminates(s.consequent) && terminates(s.alternate);
  if (s.type === 'ExpressionStatement' && s.expression.type === 'CallExpression' && s.expression.callee.type === 'Identifier' && /^(callback|cb|done|next)$/.test(s.expression.callee.name)) return true;
  if (s.type === 'TryStatement') return terminates(s.block) && (!s.handler || terminates(s.handler.body));
  if (s.type === 'SwitchStatement') return s.cases.some((c) => !c.test) && s.cases.every((c) => c.consequent.some(terminates));
  return false;
}

/** The assumption every dropped log call states. */
export const LOGGING_DROPPED = 'log calls are dropped: Step Functions records each state\'s input and output in the execution history (enable logging on the state machine to keep it in CloudWatch)';

export function isConsoleCall(s: t.Statement): boolean {
  return s.type === 'ExpressionStatement' && s.expression.type === 'CallExpression' && s.expression.callee.type === 'MemberExpression' && s.expression.callee.object.type === 'Identifier' && s.expression.callee.object.name === 'console';
}

/** The bytes `new TextDecoder().decode(b)` or `Buffer.from(b).toString()` (utf-8) decodes to text. */
export function decodedBytes(node: t.Node): t.Node | undefined {
  const n = unwrapTs(node);
  if (n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression') return undefined;
  const method = propName(n.callee);
  const obj = unwrapTs(n.callee.object);
  if (method === 'decode' && obj.type === 'NewExpression' && obj.callee.type === 'Identifier' && obj.callee.name === 'TextDecoder' && n.arguments.length === 1) return n.arguments[0];
  if (method === 'toString' && obj.type === 'CallExpression' && obj.callee.type === 'MemberExpression' && propName(obj.callee) === 'from' && unwrapTs(obj.callee.object).type === 'Identifier' && (unwrapTs(obj.callee.object) as t.Identifier).name === 'Buffer' && obj.arguments.length === 1 && (n.arguments.length === 0 || (n.arguments[0]!.type === 'StringLiteral' && /^utf-?8$/i.test(n.arguments[0].value)))) return obj.arguments[0];
  return undefined;
}

/** The `return`, `break` and `continue` statements of `stmts` that leave them (not those of nested functions, loops or switches). */
export function loopJumps(stmts: t.Statement[]): string[] {
  const found: string[] = [];
  // `break` of a nested loop or switch, and `continue` of a nested loop, stay inside it.
  const visit = (n: unknown, inFunction: boolean, breakStays: boolean, continueStays: boolean): void => {
    if (!n || typeof n !== 'object') return;
    const node = n as t.Node;
    if ((node.type === 'ReturnStatement' && !inFunction) || (!inFunction && ((node.type === 'BreakStatement' && !breakStays) || (node.type === 'ContinueStatement' && !continueStays)))) {
      found.push(node.type.replace('Statement', '').toLowerCase());
      return;
    }
    const fn = inFunction || node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration' || node.type === 'ObjectMethod';
    const loop = ['ForStatement', 'ForOfStatement', 'ForInStatement', 'WhileStatement', 'DoWhileStatement'].includes(node.type);
    const b = breakStays || loop || node.type === 'SwitchStatement';
    const c = continueStays || loop;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'loc' || k === 'leadingComments' || k === 'trailingComments') continue;
      if (Array.isArray(v)) v.forEach((x) => visit(x, fn, b, c));
      else if (v && typeof v === 'object' && 'type' in v) visit(v, fn, b, c);
    }
  };
  stmts.forEach((s) => visit(s, false, false, false));
  return found;
}

/** `x++`, `++x`, `x += 1`, `x = x + 1`: the name of x. */
export function incrementedName(expr: t.Expression): string | undefined {
  const e = unwrapTs(expr);
  if (e.type === 'UpdateExpression' && e.operator === '++' && e.argument.type === 'Identifier') return e.argument.name;
  if (e.type !== 'AssignmentExpression' || e.left.type !== 'Identifier') return undefined;
  const one = (n: t.Node) => n.type === 'NumericLiteral' && n.value === 1;
  if (e.operator === '+=' && one(e.right)) return e.left.name;
  const r = unwrapTs(e.right);
  const name = e.left.name;
  if (e.operator === '=' && r.type === 'BinaryExpression' && r.operator === '+' && ((r.left.type === 'Identifier' && r.left.name === name && one(r.right)) || (r.right.type === 'Identifier' && r.right.name === name && one(r.left)))) return name;
  return undefined;
}

/** Every node under `root` (itself included), parents before children. */
function eachNode(root: t.Node, visit: (node: t.Node) => void): void {
  const go = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    const node = n as t.Node;
    visit(node);
    for (const [k, v] of Object.entries(node)) {
      if (k === 'loc' || k === 'leadingComments' || k === 'trailingComments') continue;
      if (Array.isArray(v)) v.forEach(go);
      else if (v && typeof v === 'object' && 'type' in v) go(v);
    }
  };
  go(root);
}

/** The name an assignment (=, +=, ++) of a plain variable changes. */
function assignedName(node: t.Node): string | undefined {
  if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier') return node.left.name;
  if (node.type === 'UpdateExpression' && node.argument.type === 'Identifier') return node.argument.name;
  return undefined;
}

/** The variables assigned (=, +=, ++) in `stmts` but declared outside them, in order. */
export function outerAssignments(stmts: t.Statement[]): string[] {
  const declared = new Set<string>();
  const assigned: string[] = [];
  for (const stmt of stmts) {
    eachNode(stmt, (node) => {
      if (node.type === 'VariableDeclarator') for (const b of patternBindings(node.id)) declared.add(b.name);
      const name = assignedName(node);
      if (name) assigned.push(name);
    });
  }
  return assigned.filter((a) => !declared.has(a));
}

/** `terminates`, or a jump out of the current pass of a loop (`break`/`continue`): statements after it do not run. */
export function leavesBlock(s: t.Statement): boolean {
  if (s.type === 'BreakStatement' || s.type === 'ContinueStatement') return true;
  if (s.type === 'BlockStatement') return s.body.some(leavesBlock);
  if (s.type === 'IfStatement') return !!s.alternate && leavesBlock(s.consequent) && leavesBlock(s.alternate);
  return terminates(s);
}

/**
 * Assignments (=, +=, ++) to a name this function declares `const`: the assignment throws a TypeError when it runs.
 * A name also declared with let/var elsewhere in it is reported too: which binding each assignment reaches is not
 * resolved here.
 */
export function constAssignments(fn: t.Function): Array<{ name: string; line: number }> {
  const consts = new Set<string>();
  const assigned: Array<{ name: string; line: number }> = [];
  eachNode(fn.body, (node) => {
    if (node.type === 'VariableDeclaration' && node.kind === 'const') for (const d of node.declarations) for (const b of patternBindings(d.id)) consts.add(b.name);
    const name = assignedName(node);
    if (name) assigned.push({ name, line: line(node) });
  });
  return assigned.filter((a) => consts.has(a.name));
}
