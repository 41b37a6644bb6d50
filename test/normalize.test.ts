import { describe, expect, test } from '@jest/globals';
import { comparableResponse, normalizeValue } from '../src/verify/normalize.js';

describe('normalizeValue', () => {
  test('generated UUIDs and ISO timestamps become placeholders, also inside strings and JSON strings', () => {
    const v = { id: '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed', at: '2026-11-28T13:00:00.123Z', key: '2026-11-28T13:00:00.123Z#1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed', body: '{"id":"1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed","n":1}' };
    expect(normalizeValue(v)).toEqual({ id: '<uuid>', at: '<timestamp>', key: '<timestamp>#<uuid>', body: '{"id":"<uuid>","n":1}' });
  });

  test('values that appear in the inputs are kept', () => {
    const id = '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed';
    expect(normalizeValue({ id }, { keep: new Set([id]) })).toEqual({ id });
  });

  test('epoch times further from now keep their offset from now, to 10 s, in their own unit', () => {
    const now = Date.now();
    const week = 7 * 24 * 3600;
    const ttl = (at: number) => Math.floor(at / 1000) + week;
    expect(normalizeValue({ ttl: ttl(now - 2000) }, { now })).toEqual({ ttl: `<timestamp-s+${week}s>` });
    expect(normalizeValue({ ttl: ttl(now) + 60 }, { now })).toEqual({ ttl: `<timestamp-s+${week + 60}s>` });
    expect(normalizeValue({ at: now + week * 1000 }, { now })).toEqual({ at: `<timestamp+${week}s>` });
    expect(normalizeValue({ cutoff: now - 24 * 3600 * 1000 }, { now })).toEqual({ cutoff: '<timestamp-86400s>' });
    expect(normalizeValue({ n: 1.5, big: 2 ** 52 }, { now })).toEqual({ n: 1.5, big: 2 ** 52 });
  });

  test('ISO times further from now keep their offset from now, to 10 s', () => {
    const now = Date.now();
    const week = 7 * 24 * 3600;
    const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();
    expect(normalizeValue({ soon: at(-1500), expires: at(week * 1000 - 3000), key: `job#${at(week * 1000)}` }, { now })).toEqual({ soon: '<timestamp>', expires: `<timestamp+${week}s>`, key: `job#<timestamp+${week}s>` });
    expect(normalizeValue({ expires: at(week * 1000) }, { now })).not.toEqual(normalizeValue({ expires: at(2 * week * 1000) }, { now }));
  });

  test('numbers and numeric strings stay distinct; epoch values near now become <timestamp>', () => {
    const now = Date.now();
    expect(normalizeValue({ a: 42, b: '42', t: now - 5, s: Math.floor(now / 1000) }, { now })).toEqual({ a: 42, b: '42', t: '<timestamp>', s: '<timestamp-s>' });
  });
});

describe('comparableResponse', () => {
  test('header names are case-insensitive and JSON bodies compare structurally', () => {
    const a = comparableResponse({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"a":1,"b":2}' });
    const b = comparableResponse({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"b":2,"a":1}' });
    expect(a).toEqual(b);
  });

  test('a number and its string form in a body are different', () => {
    expect(comparableResponse({ statusCode: 200, body: '{"n":1}' })).not.toEqual(comparableResponse({ statusCode: 200, body: '{"n":"1"}' }));
  });
});
