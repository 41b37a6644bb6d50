// Every rule, in the order `lambda2sfn rules` lists them and the lifter asks them (the first rule whose hook lifts
// a construct wins). A caller may add rules of its own (ruleList), e.g. a rule module kept outside this folder.
import { rule as v2Document } from './dynamodb-v2-document-client/index.js';
import { rule as v2Low } from './dynamodb-v2-low-level/index.js';
import { rule as v3Send } from './dynamodb-v3-lib-send/index.js';
import { rule as v3Methods } from './dynamodb-v3-document-methods/index.js';
import { rule as v3Low } from './dynamodb-v3-low-level/index.js';
import { rule as tableNameEnv } from './table-name-env/index.js';
import { rule as uuid } from './intrinsic-uuid/index.js';
import { rule as timestamp } from './intrinsic-timestamp/index.js';
import { rule as format } from './intrinsic-template-format/index.js';
import { rule as json } from './intrinsic-json/index.js';
import { rule as logging } from './logging-drop/index.js';
import { rule as guard } from './guard-choice/index.js';
import { rule as response } from './proxy-response/index.js';
import { rule as tryCatch } from './try-catch/index.js';
import { rule as callback } from './callback-handler/index.js';
import { rule as helper } from './pure-helper-inline/index.js';
import { rule as asyncHelper } from './async-helper-inline/index.js';
import { rule as routeSwitch } from './route-switch/index.js';
import { rule as middy } from './middy-wrapper/index.js';
import { rule as residual } from './residual-lambda/index.js';
import { rule as sns } from './sns-publish/index.js';
import { rule as eventBridge } from './eventbridge-put-events/index.js';
import { rule as sqs } from './sqs-send-message/index.js';
import { rule as lambdaInvoke } from './lambda-invoke/index.js';
import { rule as mapLoop } from './map-loop/index.js';
import { rule as httpTask } from './http-task/index.js';
import { rule as sleepWait } from './sleep-wait/index.js';
import { rule as bedrockInvoke } from './bedrock-invoke-model/index.js';
import { rule as awsSdk } from './aws-sdk-integration/index.js';
import type { Rule } from '../src/rules/createRule.js';
import type { RuleMeta } from '../src/rules/types.js';

const BUILT_IN: readonly Rule[] = [
  v2Document, v2Low, v3Send, v3Methods, v3Low,
  tableNameEnv, uuid, timestamp, format, json, logging, guard, response, tryCatch,
  callback, helper, routeSwitch, middy, residual, sns, eventBridge, sqs, lambdaInvoke, mapLoop, httpTask, sleepWait,
  bedrockInvoke, awsSdk,
];

/**
 * The rules the lifter asks, `extra` ones after the built-in rules (which keep the constructs they lift) and before
 * async-helper-inline: a call another rule recognises (sleep, fetch, a Map loop, an extra rule's call) is that
 * rule's, not a helper to inline. An extra rule may not reuse a rule id.
 */
export function ruleList(extra: readonly Rule[] = []): readonly Rule[] {
  const ids = new Set([...BUILT_IN, asyncHelper].map((r) => r.meta.id));
  for (const r of extra) {
    if (ids.has(r.meta.id)) throw new Error(`rule id ${r.meta.id} is already taken`);
    ids.add(r.meta.id);
  }
  return [...BUILT_IN, ...extra, asyncHelper];
}

export const RULES: readonly Rule[] = ruleList();

export const ALL_RULES: readonly RuleMeta[] = RULES.map((r) => r.meta);
