// The shape of a pagination loop over LastEvaluatedKey, read from the syntax alone (the lifter checks the values).
import type * as t from '@babel/types';
import { propName, unwrapTs } from './syntax.js';

export interface PaginationLoop {
  /** The variable the loop tests and sets to each page's LastEvaluatedKey. */
  keyName: string;
  /** The variable each page is stored in. */
  pageName: string;
  /** The fetch of a page, as a declarator (`page = await …` is read as one). */
  fetch: t.VariableDeclarator;
  /** The page goes into a variable declared before the loop (it holds the last page after it). */
  assigned: boolean;
  /** The list the items are added to. */
  accName: string;
}

/**
 * `do { const page = await <query or scan>; items.push(...page.Items); key = page.LastEvaluatedKey; } while (key)`.
 * The page may be assigned to a `let` declared before (`page = await …`); the key update and the accumulation may
 * come in either order; the items are added by `items.push(...page.Items)` (`...(page.Items ?? [])`, or inside
 * `if (page.Items)`), `items = items.concat(page.Items)` or `items = [...items, ...page.Items]`; the test is the key
 * or `key !== undefined`. `shadowed`: is a name bound locally (then `undefined` is not the global).
 */
export function paginationLoop(stmt: t.DoWhileStatement, shadowed: (name: string) => boolean): PaginationLoop | undefined {
  const body = stmt.body.type === 'BlockStatement' ? stmt.body.body : [];
  const test = unwrapTs(stmt.test);
  const keyNode = test.type === 'BinaryExpression' && test.operator === '!==' && test.right.type === 'Identifier' && test.right.name === 'undefined' && !shadowed('undefined') ? unwrapTs(test.left) : test;
  if (body.length !== 3 || keyNode.type !== 'Identifier') return undefined;
  const keyName = keyNode.name;
  const [fetch, ...rest] = body as [t.Statement, t.Statement, t.Statement];
  // The fetch, as a declarator: `const page = await …`, or `page = await …` into a let declared before the loop.
  let d: t.VariableDeclarator | undefined;
  let assigned = false;
  if (fetch.type === 'VariableDeclaration' && fetch.declarations.length === 1) d = fetch.declarations[0];
  else if (fetch.type === 'ExpressionStatement' && fetch.expression.type === 'AssignmentExpression' && fetch.expression.operator === '=' && fetch.expression.left.type === 'Identifier') {
    const e = fetch.expression;
    d = { ...e, type: 'VariableDeclarator', id: e.left as t.Identifier, init: e.right, definite: false } as t.VariableDeclarator;
    assigned = true;
  }
  if (!d || d.id.type !== 'Identifier' || !d.init) return undefined;
  const pageName = d.id.name;
  const isPageField = (n: t.Node | undefined, field: string) => {
    const m = n && unwrapTs(n);
    return !!m && m.type === 'MemberExpression' && unwrapTs(m.object).type === 'Identifier' && (unwrapTs(m.object) as t.Identifier).name === pageName && propName(m) === field;
  };
  const isItems = (n: t.Node): boolean => {
    const m = unwrapTs(n);
    const orEmpty = m.type === 'LogicalExpression' && (m.operator === '??' || m.operator === '||') && unwrapTs(m.right).type === 'ArrayExpression' && (unwrapTs(m.right) as t.ArrayExpression).elements.length === 0;
    return isPageField(orEmpty ? m.left : m, 'Items');
  };
  const isKeyUpdate = (s: t.Statement) => s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression' && s.expression.operator === '=' && s.expression.left.type === 'Identifier' && s.expression.left.name === keyName && isPageField(s.expression.right, 'LastEvaluatedKey');
  // The list the items are added to, or undefined when `s` is not one of the accumulations above.
  const accumulated = (s: t.Statement): string | undefined => {
    if (s.type === 'IfStatement' && !s.alternate && isPageField(s.test, 'Items')) {
      const inner = s.consequent.type === 'BlockStatement' && s.consequent.body.length === 1 ? s.consequent.body[0]! : s.consequent;
      return inner.type === 'BlockStatement' ? undefined : accumulated(inner);
    }
    if (s.type !== 'ExpressionStatement') return undefined;
    const e = s.expression;
    if (e.type === 'CallExpression') {
      const callee = unwrapTs(e.callee);
      if (callee.type !== 'MemberExpression' || propName(callee) !== 'push' || unwrapTs(callee.object).type !== 'Identifier' || e.arguments.length !== 1 || e.arguments[0]!.type !== 'SpreadElement') return undefined;
      return isItems(e.arguments[0].argument) ? (unwrapTs(callee.object) as t.Identifier).name : undefined;
    }
    if (e.type !== 'AssignmentExpression' || e.operator !== '=' || e.left.type !== 'Identifier') return undefined;
    const acc = e.left.name;
    const r = unwrapTs(e.right);
    const isAcc = (x: t.Node) => unwrapTs(x).type === 'Identifier' && (unwrapTs(x) as t.Identifier).name === acc;
    if (r.type === 'CallExpression' && r.callee.type === 'MemberExpression' && isAcc(r.callee.object) && propName(r.callee) === 'concat' && r.arguments.length === 1 && r.arguments[0]!.type !== 'SpreadElement' && isItems(r.arguments[0]!)) return acc;
    if (r.type === 'ArrayExpression' && r.elements.length === 2 && r.elements[0]?.type === 'SpreadElement' && isAcc(r.elements[0].argument) && r.elements[1]?.type === 'SpreadElement' && isItems(r.elements[1].argument)) return acc;
    return undefined;
  };
  const keyAt = rest.findIndex(isKeyUpdate);
  const accName = keyAt < 0 ? undefined : accumulated(rest[1 - keyAt]!);
  if (!accName) return undefined;
  return { keyName, pageName, fetch: d, assigned, accName };
}
