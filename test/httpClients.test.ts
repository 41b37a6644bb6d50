// The URL joining and auth recognition the HTTP Task conversion relies on, checked against the real libraries:
// axios's own buildFullPath (lib/core/buildFullPath.js) for baseURL + path, and Node's Buffer for basic auth.
import { describe, expect, test } from '@jest/globals';
import { parseExpression } from '@babel/parser';
import type { ValueExpr } from '../src/model/workflow.js';
import { basicAuthParts, clientCredentialsGrant, joinBaseUrl } from '../rules/http-task/httpClients.js';
import { connectionAuthHeader } from '../src/model/workflow.js';

// axios ships its helpers as ES modules; buildFullPath is what axios calls for every request.
const { default: buildFullPath } = (await import('../node_modules/axios/lib/core/buildFullPath.js' as string)) as { default: (base: string, url: string, allowAbsolute?: boolean) => string };

const lit = (value: string): ValueExpr => ({ kind: 'literal', value });

describe('joinBaseUrl joins constant URLs as axios does', () => {
  const cases: Array<[string, string]> = [
    ['https://api.example.com', '/tickets'],
    ['https://api.example.com/', '/tickets'],
    ['https://api.example.com//', 'tickets'],
    ['https://api.example.com/v2', '//tickets/1'],
    ['https://api.example.com/v2/', ''],
    ['https://api.example.com', 'https://other.example.com/x'],
  ];
  test.each(cases)('%s + %s', (base, path) => {
    const joined = joinBaseUrl(lit(base), lit(path));
    expect(joined).toEqual(lit(buildFullPath(base, path)));
  });

  test('an environment base and a template path keep their values in one format', () => {
    const env: ValueExpr = { kind: 'env', envVar: 'API_URL', substitution: 'ApiUrl' };
    const id: ValueExpr = { kind: 'event', path: ['id'], type: { kind: 'string' } };
    expect(joinBaseUrl(env, { kind: 'format', quasis: ['/tickets/', ''], args: [id] })).toEqual({ kind: 'format', quasis: ['', '/tickets/', ''], args: [env, id] });
    // A path that starts with a value could be an absolute URL: not joined.
    expect(joinBaseUrl(env, { kind: 'format', quasis: ['', '/x'], args: [id] })).toBeUndefined();
  });
});

describe('basic auth forms', () => {
  const forms = [
    'Basic ${Buffer.from(`${process.env.U}:${process.env.P}`).toString("base64")}',
    '"Basic " + Buffer.from(process.env.U + ":" + process.env.P).toString("base64")',
    '`Basic ${btoa(`${process.env.U}:${process.env.P}`)}`',
    '`Basic ${Buffer.from(`${process.env.U}:${process.env.P}`, "utf8").toString("base64")}`',
  ].map((f) => (f.startsWith('Basic') ? `\`${f}\`` : f));
  test.each(forms)('%s', (code) => {
    const parts = basicAuthParts(parseExpression(code));
    expect(parts && [code.slice(parts.user.start!, parts.user.end!), code.slice(parts.password.start!, parts.password.end!)]).toEqual(['process.env.U', 'process.env.P']);
  });

  test('other encodings and other schemes are not basic auth', () => {
    expect(basicAuthParts(parseExpression('`Basic ${Buffer.from(`${a}:${b}`).toString("hex")}`'))).toBeUndefined();
    expect(basicAuthParts(parseExpression('`Bearer ${process.env.T}`'))).toBeUndefined();
  });

  test('the connection sends what the code sent (RFC 7617 base64 of user:password)', () => {
    const env = { U: 'lambda', P: 'pa:ss word' };
    const header = connectionAuthHeader({ substitution: 'X', endpoint: 'u', authorization: 'BASIC', basic: { username: { envVar: 'U' }, passwordEnvVar: 'P' } }, env);
    expect(header).toEqual({ name: 'authorization', value: 'Basic bGFtYmRhOnBhOnNzIHdvcmQ=' });
    expect(header!.value).toBe(`Basic ${btoa('lambda:pa:ss word')}`);
  });
});

test('an OAuth client-credentials grant is recognised in objects and form strings', () => {
  expect(clientCredentialsGrant(parseExpression('fetch(u, { body: new URLSearchParams({ grant_type: "client_credentials", client_id: x }) })'))).toBe(true);
  expect(clientCredentialsGrant(parseExpression('fetch(u, { body: `grant_type=client_credentials&client_id=${x}` })'))).toBe(true);
  expect(clientCredentialsGrant(parseExpression('fetch(u, { body: JSON.stringify({ grant_type: "password" }) })'))).toBe(false);
});
