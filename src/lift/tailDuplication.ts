// `let body; if (c) body = a; else body = b; return { body }`: the statements after an if, a switch or a try whose
// branches assign a variable they read are copied into every way out of it, so each branch returns with its
// own value and no values need merging. Only when those statements end in a return or throw: then control never
// goes on past the copies, and each copy runs exactly when the original would have.
import type * as t from '@babel/types';
import { loopJumps } from './syntax.js';

const MAX_COPIED_CHARS = 20_000;
const SKIP_KEYS = new Set(['loc', 'start', 'end', 'leadingComments', 'trailingComments', 'innerComments', 'extra', 'range']);

function children(n: t.Node): t.Node[] {
  const out: t.Node[] = [];
  for (const [k, v] of Object.entries(n)) {
    if (SKIP_KEYS.has(k)) continue;
    if (Array.isArray(v)) for (const x of v) { if (x && typeof x === 'object' && 'type' in x) out.push(x as t.Node); }
    else if (v && typeof v === 'object' && 'type' in v) out.push(v as t.Node);
  }
  return out;
}

function isFunction(n: t.Node): boolean {
  return n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression' || n.type === 'ObjectMethod' || n.type === 'ClassMethod' || n.type === 'ClassPrivateMethod';
}

/** Every name the statements mention (an over-approximation of what they read). */
function namesIn(nodes: t.Node[]): Set<string> {
  const names = new Set<string>();
  const visit = (n: t.Node): void => {
    if (n.type === 'Identifier') names.add(n.name);
    for (const [k, v] of Object.entries(n)) {
      if (SKIP_KEYS.has(k)) continue;
      // `a.b` and `{ b: 1 }` do not mention b.
      if (k === 'property' && (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') && !n.computed) continue;
      if (k === 'key' && (n.type === 'ObjectProperty' || n.type === 'ObjectMethod') && !n.computed) continue;
      if (Array.isArray(v)) for (const x of v) { if (x && typeof x === 'object' && 'type' in x) visit(x as t.Node); }
      else if (v && typeof v === 'object' && 'type' in v) visit(v as t.Node);
    }
  };
  nodes.forEach(visit);
  return names;
}

/** Names assigned (`x = …`, `x += …`, `x++`) outside nested functions, and names declared anywhere inside. */
function assignedAndDeclared(stmt: t.Node): { assigned: Set<string>; declared: Set<string>; labelled: boolean } {
  const assigned = new Set<string>();
  const declared = new Set<string>();
  let labelled = false;
  const visit = (n: t.Node, inFunction: boolean): void => {
    if (!inFunction && n.type === 'AssignmentExpression' && n.left.type === 'Identifier') assigned.add(n.left.name);
    if (!inFunction && n.type === 'UpdateExpression' && n.argument.type === 'Identifier') assigned.add(n.argument.name);
    if (n.type === 'VariableDeclarator') for (const name of namesIn([n.id])) declared.add(name);
    if ((n.type === 'FunctionDeclaration' || n.type === 'ClassDeclaration') && n.id) declared.add(n.id.name);
    if (n.type === 'CatchClause' && n.param) for (const name of namesIn([n.param])) declared.add(name);
    if (n.type === 'LabeledStatement' || ((n.type === 'BreakStatement' || n.type === 'ContinueStatement') && n.label)) labelled = true;
    for (const c of children(n)) visit(c, inFunction || isFunction(n));
  };
  visit(stmt, false);
  return { assigned, declared, labelled };
}

function clone<T>(n: T): T {
  if (Array.isArray(n)) return n.map(clone) as T;
  if (!n || typeof n !== 'object') return n;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(n)) out[k] = k === 'loc' ? v : clone(v);
  return out as T;
}

function block(stmts: t.Statement[], like: t.Node): t.BlockStatement {
  return { type: 'BlockStatement', body: stmts, directives: [], loc: like.loc, start: like.start, end: like.end } as t.BlockStatement;
}

const leaves = (s: t.Statement | undefined): boolean => s?.type === 'ReturnStatement' || s?.type === 'ThrowStatement';

/** The `break` statements that leave `sw` (not a nested loop or switch), or undefined when one sits in a try. */
function switchBreaks(sw: t.SwitchStatement): t.BreakStatement[] | undefined {
  const found: t.BreakStatement[] = [];
  let inTry = false;
  const visit = (n: t.Node, tryDepth: number): void => {
    if (isFunction(n) || n.type === 'SwitchStatement' || n.type === 'ForStatement' || n.type === 'ForInStatement' || n.type === 'ForOfStatement' || n.type === 'WhileStatement' || n.type === 'DoWhileStatement') return;
    if (n.type === 'BreakStatement') {
      if (tryDepth > 0) inTry = true;
      found.push(n);
      return;
    }
    for (const c of children(n)) visit(c, tryDepth + (n.type === 'TryStatement' ? 1 : 0));
  };
  for (const c of sw.cases) for (const s of c.consequent) visit(s, 0);
  return inTry ? undefined : found;
}

/** A copy of `n` with every statement in `targets` replaced by `stmts()` (spliced into a list, else as a block). */
function replacing(n: t.Node, targets: Set<t.Node>, stmts: () => t.Statement[]): t.Node {
  if (targets.has(n)) return block(stmts(), n);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(n)) {
    if (k === 'loc') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.flatMap((x) => (targets.has(x) ? stmts() : x && typeof x === 'object' && 'type' in x ? [replacing(x as t.Node, targets, stmts)] : [clone(x)]));
    else if (v && typeof v === 'object' && 'type' in v) out[k] = replacing(v as t.Node, targets, stmts);
    else out[k] = clone(v);
  }
  return out as unknown as t.Node;
}

function intoIf(stmt: t.IfStatement, rest: t.Statement[]): t.IfStatement {
  const withRest = (branch: t.Statement | null | undefined): t.BlockStatement => {
    if (!branch) return block(clone(rest), stmt);
    const body = branch.type === 'BlockStatement' ? branch.body : [branch];
    return block([...body, ...clone(rest)], branch);
  };
  return { ...stmt, consequent: withRest(stmt.consequent), alternate: withRest(stmt.alternate) };
}

function intoSwitch(stmt: t.SwitchStatement, rest: t.Statement[], breaks: t.BreakStatement[]): t.SwitchStatement {
  const replaced = replacing(stmt, new Set<t.Node>(breaks), () => clone(rest)) as t.SwitchStatement;
  const cases = replaced.cases.map((c) => ({ ...c }));
  const last = cases[cases.length - 1];
  if (last && !leaves(last.consequent[last.consequent.length - 1])) last.consequent = [...last.consequent, ...clone(rest)];
  // No case matching goes on after the switch: a default that does the same.
  if (!cases.some((c) => !c.test)) cases.push({ type: 'SwitchCase', test: null, consequent: clone(rest), loc: stmt.loc, start: stmt.end, end: stmt.end } as t.SwitchCase);
  return { ...replaced, cases };
}

/**
 * Can the expression not throw? Names, constants, object and array literals, templates, JSON.stringify, and
 * operators that never throw on such values. A member read can (of undefined), and so can any other call.
 */
function cannotThrow(e: t.Node | null | undefined): boolean {
  if (!e) return true;
  switch (e.type) {
    case 'Identifier': case 'StringLiteral': case 'NumericLiteral': case 'BooleanLiteral': case 'NullLiteral': return true;
    case 'TemplateLiteral': return e.expressions.every(cannotThrow);
    case 'ObjectExpression': return e.properties.every((p) => p.type === 'ObjectProperty' && !p.computed && cannotThrow(p.value));
    case 'ArrayExpression': return e.elements.every((x) => x !== null && x.type !== 'SpreadElement' && cannotThrow(x));
    case 'UnaryExpression': return ['!', 'typeof', 'void'].includes(e.operator) && cannotThrow(e.argument);
    case 'LogicalExpression': return cannotThrow(e.left) && cannotThrow(e.right);
    case 'ConditionalExpression': return cannotThrow(e.test) && cannotThrow(e.consequent) && cannotThrow(e.alternate);
    case 'BinaryExpression': return ['===', '!=='].includes(e.operator) && e.left.type !== 'PrivateName' && cannotThrow(e.left) && cannotThrow(e.right);
    case 'CallExpression': {
      const c = e.callee;
      return c.type === 'MemberExpression' && c.object.type === 'Identifier' && c.object.name === 'JSON' && !c.computed && c.property.type === 'Identifier' && c.property.name === 'stringify' && e.arguments.length === 1 && cannotThrow(e.arguments[0]);
    }
    default: return false;
  }
}

/** Statements that only set local names from values that cannot throw (and, with `returning`, return one). */
function onlySafeAssignments(stmts: t.Statement[], returning: boolean): boolean {
  return stmts.every((s, i) => {
    if (s.type === 'ExpressionStatement') return s.expression.type === 'AssignmentExpression' && s.expression.operator === '=' && s.expression.left.type === 'Identifier' && cannotThrow(s.expression.right);
    if (s.type === 'VariableDeclaration') return s.declarations.every((d) => d.id.type === 'Identifier' && cannotThrow(d.init));
    return returning && i === stmts.length - 1 && s.type === 'ReturnStatement' && cannotThrow(s.argument);
  });
}

/**
 * `try { T } catch (e) { C } finally { F } rest`, where rest ends in a return: `try { T; F; rest } catch (e) { C; F; rest }`.
 * Copying rest into the try puts it under the catch, so rest (and F) may only set local names from values that
 * cannot throw and return one. Then each way out returns with its own values, and a finally that only sets
 * names runs where the original would (its effect is lost only where the original's was unobservable: after a
 * return or an uncaught throw).
 */
function intoTry(stmt: t.TryStatement, rest: t.Statement[]): t.TryStatement | undefined {
  const handler = stmt.handler;
  const finalizer = stmt.finalizer?.body ?? [];
  if (!handler || rest[rest.length - 1]?.type !== 'ReturnStatement' || !onlySafeAssignments(rest, true) || !onlySafeAssignments(finalizer, false)) return undefined;
  // A break or continue leaving the try would skip the copies where the original ran the finally and went on.
  if ([...loopJumps(stmt.block.body), ...loopJumps(handler.body.body)].some((j) => j !== 'return')) return undefined;
  const tail = [...finalizer, ...rest];
  const { assigned, declared, labelled } = assignedAndDeclared({ ...stmt, finalizer: null });
  const read = namesIn(tail);
  if (labelled || (!finalizer.length && ![...assigned].some((n) => read.has(n))) || [...declared].some((n) => read.has(n))) return undefined;
  const withTail = (b: t.BlockStatement) => block([...b.body, ...clone(tail)], b);
  return { ...stmt, block: withTail(stmt.block), handler: { ...handler, body: withTail(handler.body) }, finalizer: null };
}

/** `stmts` with the statements after the first if/switch/try that needs it copied into its ways out. */
export function duplicateTails(stmts: t.Statement[]): t.Statement[] {
  for (let i = 0; i < stmts.length - 1; i++) {
    const stmt = stmts[i]!;
    const rest = stmts.slice(i + 1);
    if (stmt.type === 'TryStatement') {
      const merged = intoTry(stmt, rest);
      if (merged) return [...stmts.slice(0, i), merged];
      continue;
    }
    if (stmt.type !== 'IfStatement' && stmt.type !== 'SwitchStatement') continue;
    if (!leaves(rest[rest.length - 1])) return stmts;
    const { assigned, declared, labelled } = assignedAndDeclared(stmt);
    const read = namesIn(rest);
    if (labelled || ![...assigned].some((n) => read.has(n)) || [...declared].some((n) => read.has(n))) continue;
    const restChars = rest.reduce((sum, s) => sum + ((s.end ?? 0) - (s.start ?? 0)), 0);
    if (stmt.type === 'IfStatement') {
      if (restChars * 2 > MAX_COPIED_CHARS) return stmts;
      return [...stmts.slice(0, i), intoIf(stmt, rest)];
    }
    const breaks = switchBreaks(stmt);
    if (!breaks || restChars * (breaks.length + 2) > MAX_COPIED_CHARS) return stmts;
    return [...stmts.slice(0, i), intoSwitch(stmt, rest, breaks)];
  }
  return stmts;
}
