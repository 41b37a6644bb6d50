// The SNS stub: Publish and PublishBatch over the query protocol.
import { SNS_NS, sequenceNumber, xmlError, xmlEscape, xmlReply, type AwsRequest, type Json, type Reply } from './wire.js';

/** Why SNS rejects a Publish request, if it does: the same check for the SDK's calls and the state machine's. */
export function publishRejected(p: Record<string, unknown>): { code: 'ValidationError' | 'InvalidParameter'; message: string } | undefined {
  if (typeof p['Message'] !== 'string') return { code: 'ValidationError', message: "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null" };
  if (p['TopicArn'] === undefined && p['TargetArn'] === undefined && p['PhoneNumber'] === undefined) return { code: 'InvalidParameter', message: 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter' };
  return undefined;
}

export function snsReply(r: AwsRequest, nextId: () => string): Reply {
  const p = r.params;
  if (r.action === 'Publish') {
    const rejected = publishRejected(p);
    if (rejected) return xmlError(SNS_NS, rejected.code, rejected.message);
    const id = nextId();
    const seq = p['MessageGroupId'] !== undefined ? `<SequenceNumber>${sequenceNumber(id)}</SequenceNumber>` : '';
    return xmlReply(200, SNS_NS, 'Publish', `<MessageId>${id}</MessageId>${seq}`);
  }
  if (r.action === 'PublishBatch') {
    const entries = p['PublishBatchRequestEntries'];
    if (typeof p['TopicArn'] !== 'string') return xmlError(SNS_NS, 'ValidationError', "1 validation error detected: Value null at 'topicArn' failed to satisfy constraint: Member must not be null");
    if (!Array.isArray(entries) || entries.length === 0) return xmlError(SNS_NS, 'EmptyBatchRequest', 'The batch request doesn\'t contain any entries');
    if (entries.length > 10) return xmlError(SNS_NS, 'TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible');
    const members = (entries as Json[])
      .map((e) => `<member><Id>${xmlEscape(String(e['Id'] ?? ''))}</Id><MessageId>${nextId()}</MessageId></member>`)
      .join('');
    return xmlReply(200, SNS_NS, 'PublishBatch', `<Successful>${members}</Successful><Failed/>`);
  }
  return xmlError(SNS_NS, 'InvalidAction', `The action ${r.action} is not valid for this web service (the stub answers Publish and PublishBatch)`);
}
