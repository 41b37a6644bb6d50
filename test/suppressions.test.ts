import { isSuppressed, parseSuppressions, type Suppressions } from '../src/config/suppressions.js';

const src = (...lines: string[]): string => lines.join('\n');

/** The line map as a plain sorted array, for readable assertions. */
const lines = (s: Suppressions) => [...s.lines.values()].sort((a, b) => a.line - b.line);

describe('parseSuppressions: ignore-next-line', () => {
  test('a bare directive covers the next line with every rule', () => {
    const s = parseSuppressions(src('const a = 1;', '// lambda2sfn-ignore-next-line', 'await ddb.send(cmd);'));
    expect(lines(s)).toEqual([{ line: 3, rules: [] }]);
    expect(s.file).toBeUndefined();
  });

  test('rule ids separated by commas and/or spaces, and a reason after " -- "', () => {
    const s = parseSuppressions(
      src(
        '// lambda2sfn-ignore-next-line route-switch, unsupported-construct -- legacy router, see JIRA-12',
        'switch (event.route) {}',
        '// lambda2sfn-ignore-next-line a b,c ,  d',
        'x();',
      ),
    );
    expect(lines(s)).toEqual([
      { line: 2, rules: ['route-switch', 'unsupported-construct'], reason: 'legacy router, see JIRA-12' },
      { line: 4, rules: ['a', 'b', 'c', 'd'] },
    ]);
  });

  test('a reason without rule ids covers every rule', () => {
    const s = parseSuppressions(src('// lambda2sfn-ignore-next-line -- generated', 'x();'));
    expect(lines(s)).toEqual([{ line: 2, rules: [], reason: 'generated' }]);
  });

  test('"--" must stand alone: rule ids containing "--" are not a reason separator', () => {
    const s = parseSuppressions(src('// lambda2sfn-ignore-next-line a--b -- why -- really', 'x();'));
    expect(lines(s)).toEqual([{ line: 2, rules: ['a--b'], reason: 'why -- really' }]);
  });

  test('skips blank lines and comment-only lines to reach the next code line', () => {
    const s = parseSuppressions(
      src(
        '// lambda2sfn-ignore-next-line route-switch',
        '',
        '   ',
        '// a note about the next statement',
        '/* a block',
        '   comment */',
        '  /* inline */ // and a line comment',
        '\tswitch (x) {}',
      ),
    );
    expect(lines(s)).toEqual([{ line: 8, rules: ['route-switch'] }]);
  });

  test('a trailing directive after code applies to the following line, not its own', () => {
    const s = parseSuppressions(src('foo(); // lambda2sfn-ignore-next-line', 'bar();'));
    expect(lines(s)).toEqual([{ line: 2, rules: [] }]);
  });

  test('a block-comment directive works, including a multi-line JSDoc-style one', () => {
    const s = parseSuppressions(
      src(
        '/* lambda2sfn-ignore-next-line r1 */',
        'a();',
        '/**',
        ' * lambda2sfn-ignore-next-line r2',
        ' *   -- spans lines',
        ' */',
        'b();',
      ),
    );
    expect(lines(s)).toEqual([
      { line: 2, rules: ['r1'] },
      { line: 7, rules: ['r2'], reason: 'spans lines' },
    ]);
  });

  test('code after a block directive on its own line does not count as the target', () => {
    const s = parseSuppressions(src('/* lambda2sfn-ignore-next-line */ a();', 'b();'));
    expect(lines(s)).toEqual([{ line: 2, rules: [] }]);
  });

  test('a directive with no code below it is dropped', () => {
    const s = parseSuppressions(src('x();', '// lambda2sfn-ignore-next-line', '', '// end'));
    expect(s.lines.size).toBe(0);
  });

  test('directives reaching the same line are merged', () => {
    const s = parseSuppressions(
      src(
        '// lambda2sfn-ignore-next-line a -- first',
        '// lambda2sfn-ignore-next-line b, a -- second',
        'x();',
        '// lambda2sfn-ignore-next-line a',
        '// lambda2sfn-ignore-next-line',
        'y();',
      ),
    );
    expect(lines(s)).toEqual([
      { line: 3, rules: ['a', 'b'], reason: 'first; second' },
      { line: 6, rules: [] },
    ]);
  });

  test('handles CRLF line endings', () => {
    const s = parseSuppressions('a();\r\n// lambda2sfn-ignore-next-line r -- why\r\n\r\nb();\r\n');
    expect(lines(s)).toEqual([{ line: 4, rules: ['r'], reason: 'why' }]);
  });
});

describe('parseSuppressions: ignore-file', () => {
  test('line form anywhere in the file, with rule ids and reason', () => {
    const s = parseSuppressions(src('import x from "y";', '', 'x();', '// lambda2sfn-ignore-file route-switch -- legacy'));
    expect(s.file).toEqual({ rules: ['route-switch'], reason: 'legacy' });
    expect(s.lines.size).toBe(0);
  });

  test('block form without arguments covers everything', () => {
    const s = parseSuppressions(src('/* lambda2sfn-ignore-file */', 'x();'));
    expect(s.file).toEqual({ rules: [] });
  });

  test('several file directives are merged', () => {
    const s = parseSuppressions(src('// lambda2sfn-ignore-file a -- one', 'x();', '// lambda2sfn-ignore-file b,c -- two'));
    expect(s.file).toEqual({ rules: ['a', 'b', 'c'], reason: 'one; two' });
  });
});

describe('parseSuppressions: what is not a directive', () => {
  test('directive text inside string and template literals is ignored', () => {
    const s = parseSuppressions(
      src(
        'const a = "// lambda2sfn-ignore-file";',
        "const b = '/* lambda2sfn-ignore-next-line */';",
        'const c = `',
        '// lambda2sfn-ignore-file',
        '${"x" + `// lambda2sfn-ignore-file`}',
        '`;',
        'const d = "escaped \\" // lambda2sfn-ignore-file";',
        'e();',
      ),
    );
    expect(s.file).toBeUndefined();
    expect(s.lines.size).toBe(0);
  });

  test('a comment after a string on the same line is still seen', () => {
    const s = parseSuppressions(src('call("a // b"); // lambda2sfn-ignore-next-line r', 'next();'));
    expect(lines(s)).toEqual([{ line: 2, rules: ['r'] }]);
  });

  test('comments after a template literal with nested braces are still seen', () => {
    const s = parseSuppressions(src('const t = `${ {a: 1}.a }`; // lambda2sfn-ignore-file'));
    expect(s.file).toEqual({ rules: [] });
  });

  test('the directive must start the comment and match the whole word', () => {
    const s = parseSuppressions(
      src(
        '// see lambda2sfn-ignore-file for details',
        '// lambda2sfn-ignore-next-lines r',
        '// lambda2sfn-ignore-filex',
        '// lambda2sfn-ignore r',
        'x();',
      ),
    );
    expect(s.file).toBeUndefined();
    expect(s.lines.size).toBe(0);
  });

  test('a string literal line between the directive and the code counts as code', () => {
    const s = parseSuppressions(src('// lambda2sfn-ignore-next-line', '"use strict";', 'x();'));
    expect(lines(s)).toEqual([{ line: 2, rules: [] }]);
  });

  test('lines inside a multi-line template literal count as code', () => {
    const s = parseSuppressions(src('const q = `', '// lambda2sfn-ignore-next-line', '`;', '// lambda2sfn-ignore-next-line', '', 'const t = `a', 'b`;'));
    expect(lines(s)).toEqual([{ line: 6, rules: [] }]);
  });
});

describe('isSuppressed', () => {
  const s = parseSuppressions(
    src(
      '// lambda2sfn-ignore-next-line',
      'a();', // 2: everything
      '// lambda2sfn-ignore-next-line route-switch, unsupported-construct -- legacy router',
      'b();', // 4: two rules
      'c();', // 5: nothing
    ),
  );

  test('a directive without rules covers any finding on its line', () => {
    expect(isSuppressed(s, 2, ['route-switch'])).toEqual({ suppressed: true });
    expect(isSuppressed(s, 2, [])).toEqual({ suppressed: true });
  });

  test('a directive with rules covers findings involving any listed rule and returns the reason', () => {
    expect(isSuppressed(s, 4, ['route-switch'])).toEqual({ suppressed: true, reason: 'legacy router' });
    expect(isSuppressed(s, 4, ['other', 'unsupported-construct'])).toEqual({ suppressed: true, reason: 'legacy router' });
  });

  test('a directive with rules does not cover other rules or findings without rule ids', () => {
    expect(isSuppressed(s, 4, ['dynamo-get'])).toEqual({ suppressed: false });
    expect(isSuppressed(s, 4, [])).toEqual({ suppressed: false });
  });

  test('lines without a directive are not suppressed', () => {
    expect(isSuppressed(s, 5, [])).toEqual({ suppressed: false });
    expect(isSuppressed(s, 3, [])).toEqual({ suppressed: false });
    expect(isSuppressed(s, 1, ['route-switch'])).toEqual({ suppressed: false });
  });

  test('a file directive covers every line, for its rules only', () => {
    const f = parseSuppressions(src('// lambda2sfn-ignore-file route-switch -- whole file', 'a();', 'b();'));
    expect(isSuppressed(f, 3, ['route-switch'])).toEqual({ suppressed: true, reason: 'whole file' });
    expect(isSuppressed(f, 99, ['route-switch'])).toEqual({ suppressed: true, reason: 'whole file' });
    expect(isSuppressed(f, 3, ['other'])).toEqual({ suppressed: false });
    const all = parseSuppressions('/* lambda2sfn-ignore-file */\na();');
    expect(isSuppressed(all, 2, [])).toEqual({ suppressed: true });
  });

  test('a line directive takes precedence over the file directive for the reason', () => {
    const f = parseSuppressions(
      src('// lambda2sfn-ignore-file -- file reason', '// lambda2sfn-ignore-next-line r -- line reason', 'a();', 'b();'),
    );
    expect(isSuppressed(f, 3, ['r'])).toEqual({ suppressed: true, reason: 'line reason' });
    expect(isSuppressed(f, 3, ['other'])).toEqual({ suppressed: true, reason: 'file reason' });
    expect(isSuppressed(f, 4, ['r'])).toEqual({ suppressed: true, reason: 'file reason' });
  });

  test('an empty Suppressions suppresses nothing', () => {
    expect(isSuppressed(parseSuppressions(''), 1, [])).toEqual({ suppressed: false });
  });
});
