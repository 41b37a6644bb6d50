// Every rule, in the order `lambda2sfn rules` lists them. Rule modules are tiny: importing them is cheap.
import { rule as v2Document } from '../../rules/dynamodb-v2-document-client/index.js';
import { rule as v2Low } from '../../rules/dynamodb-v2-low-level/index.js';
import { rule as v3Send } from '../../rules/dynamodb-v3-lib-send/index.js';
import { rule as v3Methods } from '../../rules/dynamodb-v3-document-methods/index.js';
import { rule as v3Low } from '../../rules/dynamodb-v3-low-level/index.js';
import { rule as tableNameEnv } from '../../rules/table-name-env/index.js';
import { rule as uuid } from '../../rules/intrinsic-uuid/index.js';
import { rule as timestamp } from '../../rules/intrinsic-timestamp/index.js';
import { rule as format } from '../../rules/intrinsic-template-format/index.js';
import { rule as json } from '../../rules/intrinsic-json/index.js';
import { rule as guard } from '../../rules/guard-choice/index.js';
import { rule as response } from '../../rules/proxy-response/index.js';
import { rule as tryCatch } from '../../rules/try-catch/index.js';
import { rule as callback } from '../../rules/callback-handler/index.js';
import { rule as helper } from '../../rules/pure-helper-inline/index.js';
import { rule as routeSwitch } from '../../rules/route-switch/index.js';
import { rule as middy } from '../../rules/middy-wrapper/index.js';
import { rule as residual } from '../../rules/residual-lambda/index.js';
import { rule as sns } from '../../rules/sns-publish/index.js';
import { rule as eventBridge } from '../../rules/eventbridge-put-events/index.js';
import { rule as sqs } from '../../rules/sqs-send-message/index.js';
import { rule as lambdaInvoke } from '../../rules/lambda-invoke/index.js';
import { rule as mapLoop } from '../../rules/map-loop/index.js';
import { rule as httpTask } from '../../rules/http-task/index.js';
import { rule as sleepWait } from '../../rules/sleep-wait/index.js';
import { rule as bedrockInvoke } from '../../rules/bedrock-invoke-model/index.js';
import { rule as awsSdk } from '../../rules/aws-sdk-integration/index.js';
import type { DynamoCallRule } from './dynamoCall.js';
import type { RuleMeta } from './types.js';

export const DYNAMO_CALL_RULES: readonly DynamoCallRule[] = [v2Document, v2Low, v3Send, v3Methods, v3Low];

export const ALL_RULES: readonly RuleMeta[] = [
  ...DYNAMO_CALL_RULES.map((r) => r.meta),
  tableNameEnv.meta, uuid.meta, timestamp.meta, format.meta, json.meta, guard.meta, response.meta, tryCatch.meta,
  callback.meta, helper.meta, routeSwitch.meta, middy.meta, residual.meta, sns.meta, eventBridge.meta, sqs.meta, lambdaInvoke.meta, mapLoop.meta, httpTask.meta, sleepWait.meta,
  bedrockInvoke.meta, awsSdk.meta,
];

/** Blockers that no rule owns use this id. */
export const UNSUPPORTED = 'unsupported-construct';

export function ruleById(id: string): RuleMeta | undefined {
  return ALL_RULES.find((r) => r.id === id);
}
