// The SQS stub: SendMessage, SendMessageBatch and GetQueueUrl, over JSON 1.0 or the query protocol.
import { createHash } from 'node:crypto';
import { STUB_ACCOUNT } from './types.js';
import { entriesToMap, jsonReply, SQS_NS, sequenceNumber, xmlError, xmlEscape, xmlReply, type AwsRequest, type Json, type Reply } from './wire.js';

interface MessageAttribute {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: string | Uint8Array;
}

/** SQS's MD5 of message attributes (what MD5OfMessageAttributes holds): sorted by name, length-prefixed fields. */
export function sqsMessageAttributesMd5(attrs: Record<string, MessageAttribute>): string {
  const parts: Buffer[] = [];
  const put = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    parts.push(len, b);
  };
  for (const name of Object.keys(attrs).sort()) {
    const a = attrs[name]!;
    put(Buffer.from(name, 'utf8'));
    put(Buffer.from(a.DataType ?? '', 'utf8'));
    if (a.BinaryValue !== undefined && a.BinaryValue !== null) {
      parts.push(Buffer.from([2]));
      put(typeof a.BinaryValue === 'string' ? Buffer.from(a.BinaryValue, 'base64') : Buffer.from(a.BinaryValue));
    } else {
      parts.push(Buffer.from([1]));
      put(Buffer.from(a.StringValue ?? '', 'utf8'));
    }
  }
  return md5(Buffer.concat(parts));
}

/** A FIFO sequence number (20 digits) for a made-up message id. */

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

/** SQS query-protocol parameters in the JSON (SendMessageCommand) input shape. */

function sqsSendResult(m: Json, id: string): Json {
  const body = m['MessageBody'];
  const attrs = m['MessageAttributes'] as Record<string, MessageAttribute> | undefined;
  const system = m['MessageSystemAttributes'] as Record<string, MessageAttribute> | undefined;
  return {
    MessageId: id,
    MD5OfMessageBody: md5(typeof body === 'string' ? body : ''),
    ...(attrs && Object.keys(attrs).length ? { MD5OfMessageAttributes: sqsMessageAttributesMd5(attrs) } : {}),
    ...(system && Object.keys(system).length ? { MD5OfMessageSystemAttributes: sqsMessageAttributesMd5(system) } : {}),
    ...(m['MessageGroupId'] !== undefined ? { SequenceNumber: sequenceNumber(id) } : {}),
  };
}

/** The query protocol's flattened input in the shape of the SDK command input. */
export function sqsQueryInput(params: Json): Json {
  const entry = (p: Json): Json => {
    const out: Json = {};
    for (const [k, v] of Object.entries(p)) {
      if (k === 'Action' || k === 'Version') continue;
      if (k === 'MessageAttribute' || k === 'MessageSystemAttribute') out[`${k}s`] = entriesToMap(Array.isArray(v) ? v : [v]);
      else if (k === 'SendMessageBatchRequestEntry') out['Entries'] = (Array.isArray(v) ? v : [v]).map((e) => entry(e as Json));
      else if (k === 'DelaySeconds' && typeof v === 'string' && /^\d+$/.test(v)) out[k] = Number(v);
      else out[k] = v;
    }
    return out;
  };
  return entry(params);
}

/** `url`: the stub server's own, for the queue URLs GetQueueUrl makes up. */
export function sqsReply(r: AwsRequest, nextId: () => string, url: string): Reply {
  const p = r.params;
  const json = r.protocol === 'json';
  const error = (code: string, message: string) =>
    json ? { ...jsonReply(400, { __type: `com.amazonaws.sqs#${code}`, message }, 'application/x-amz-json-1.0'), headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `AWS.SimpleQueueService.${code};Sender` } } : xmlError(SQS_NS, code, message);
  const ok = (result: Json, xml: string) => (json ? jsonReply(200, result, 'application/x-amz-json-1.0') : xmlReply(200, SQS_NS, r.action, xml));
  const tag = (k: string, v: unknown) => (v === undefined ? '' : `<${k}>${xmlEscape(String(v))}</${k}>`);
  const resultXml = (o: Json) => Object.entries(o).map(([k, v]) => tag(k, v)).join('');
  if (r.action === 'SendMessage') {
    if (typeof p['QueueUrl'] !== 'string') return error('MissingParameter', 'The request must contain the parameter QueueUrl.');
    if (typeof p['MessageBody'] !== 'string') return error('MissingParameter', 'The request must contain the parameter MessageBody.');
    const result = sqsSendResult(p, nextId());
    return ok(result, resultXml(result));
  }
  if (r.action === 'SendMessageBatch') {
    const entries = p['Entries'];
    if (typeof p['QueueUrl'] !== 'string') return error('MissingParameter', 'The request must contain the parameter QueueUrl.');
    if (!Array.isArray(entries) || entries.length === 0) return error('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
    const results = (entries as Json[]).map((e) => ({ Id: e['Id'], ...sqsSendResult(e, nextId()) }));
    return ok({ Successful: results, Failed: [] }, results.map((x) => `<SendMessageBatchResultEntry>${resultXml(x)}</SendMessageBatchResultEntry>`).join(''));
  }
  if (r.action === 'GetQueueUrl') {
    const name = p['QueueName'];
    if (typeof name !== 'string') return error('MissingParameter', 'The request must contain the parameter QueueName.');
    const queueUrl = `${url}/${typeof p['QueueOwnerAWSAccountId'] === 'string' ? p['QueueOwnerAWSAccountId'] : STUB_ACCOUNT}/${name}`;
    return ok({ QueueUrl: queueUrl }, tag('QueueUrl', queueUrl));
  }
  return error('InvalidAction', `The action ${r.action} is not valid for this endpoint (the stub answers SendMessage, SendMessageBatch and GetQueueUrl)`);
}
