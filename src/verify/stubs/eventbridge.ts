// The EventBridge stub: PutEvents over JSON 1.1, with the service's per-entry validation.
import { jsonReply, type AwsRequest, type Json, type Reply } from './wire.js';

export function eventBridgeReply(r: AwsRequest, nextId: () => string): Reply {
  const type = 'application/x-amz-json-1.1';
  if (r.action !== 'PutEvents') return jsonReply(400, { __type: 'UnknownOperationException', message: `the stub answers PutEvents, not ${r.action}` }, type);
  const entries = r.params['Entries'];
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10)
    return jsonReply(400, { __type: 'ValidationException', message: "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10" }, type);
  let failed = 0;
  const out = (entries as Json[]).map((e) => {
    for (const field of ['Source', 'DetailType', 'Detail']) {
      if (typeof e?.[field] !== 'string' || e[field] === '') {
        failed++;
        return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
      }
    }
    try {
      const detail: unknown = JSON.parse(e['Detail'] as string);
      if (!detail || typeof detail !== 'object' || Array.isArray(detail)) throw new Error('not an object');
    } catch {
      failed++;
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    return { EventId: nextId() };
  });
  return jsonReply(200, { FailedEntryCount: failed, Entries: out }, type);
}
