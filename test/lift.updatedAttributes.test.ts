// What an UpdateItem certainly returns in Attributes (ALL_NEW / UPDATED_NEW): the attributes its SET and ADD write.
import { describe, expect, test } from '@jest/globals';
import { updatedAttributes } from '../src/lift/schemaSources.js';
import type { DynamoCall, Json } from '../src/model/workflow.js';

function update(params: Record<string, Json>): DynamoCall {
  return {
    kind: 'dynamo', op: 'updateItem', result: 'update1', line: 1, rule: 'dynamodb-v3-lib-send', table: { name: 'T', key: 'T' },
    params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, { value: { kind: 'literal', value: v } }])),
  } as DynamoCall;
}

describe('updatedAttributes', () => {
  test('SET and ADD targets, # names resolved, commas inside functions ignored', () => {
    expect(updatedAttributes(update({
      UpdateExpression: 'SET #s = :s, visits = if_not_exists(visits, :zero) + :one ADD tags :t REMOVE draft',
      ExpressionAttributeNames: { '#s': 'status' },
      ReturnValues: 'UPDATED_NEW',
    }))).toEqual(['status', 'visits', 'tags']);
  });

  test('lower-case keywords and ALL_NEW', () => {
    expect(updatedAttributes(update({ UpdateExpression: 'set balance = balance - :a', ReturnValues: 'ALL_NEW' }))).toEqual(['balance']);
  });

  test('nothing certain: other return values, REMOVE only, nested paths', () => {
    expect(updatedAttributes(update({ UpdateExpression: 'SET a = :a', ReturnValues: 'ALL_OLD' }))).toBeUndefined();
    expect(updatedAttributes(update({ UpdateExpression: 'REMOVE a', ReturnValues: 'ALL_NEW' }))).toBeUndefined();
    expect(updatedAttributes(update({ UpdateExpression: 'SET profile.name = :n, items[0] = :i', ReturnValues: 'UPDATED_NEW' }))).toBeUndefined();
    expect(updatedAttributes(update({ UpdateExpression: 'SET #x = :x', ReturnValues: 'UPDATED_NEW' }))).toBeUndefined();
  });
});
