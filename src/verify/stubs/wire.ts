// The AWS wire protocols the stubs speak: the query protocol (SNS, older SQS), JSON and XML replies, and which
// service a request is for.

export type Json = Record<string, unknown>;

type Tree = { [k: string]: string | Tree };

function fold(node: string | Tree): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length && keys.every((k) => /^\d+$/.test(k))) return keys.sort((a, b) => Number(a) - Number(b)).map((k) => fold(node[k]!));
  if (keys.length === 1 && keys[0] === 'member') {
    const list = fold(node['member']!);
    return Array.isArray(list) ? list : [list];
  }
  if (keys.length === 1 && keys[0] === 'entry') {
    const list = fold(node['entry']!);
    return entriesToMap(Array.isArray(list) ? list : [list]);
  }
  return Object.fromEntries(keys.map((k) => [k, fold(node[k]!)]));
}

/** `[{Name, Value}]` (or `key`/`value`) as a map. */
export function entriesToMap(list: unknown[]): Json {
  const out: Json = {};
  for (const e of list) {
    if (!e || typeof e !== 'object') continue;
    const o = e as Json;
    const name = o['Name'] ?? o['name'] ?? o['Key'] ?? o['key'];
    if (typeof name === 'string') out[name] = o['Value'] ?? o['value'];
  }
  return out;
}

/**
 * A query-protocol body (`Action=Publish&Version=...&TopicArn=...`) as the API input: `X.member.N` become lists,
 * `X.entry.N.Name` / `X.entry.N.Value.*` become maps (`MessageAttributes` → `{ name: { DataType, StringValue } }`),
 * flattened `X.N` lists become lists. Values stay strings, as sent.
 */
export function parseQueryProtocol(text: string): Record<string, unknown> {
  const root: Tree = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const path = k.split('.');
    let node = root;
    for (const seg of path.slice(0, -1)) {
      const next = node[seg];
      if (typeof next !== 'object') node[seg] = {};
      node = node[seg] as Tree;
    }
    const last = path[path.length - 1]!;
    // "List=" marks an empty list; members, when they come, win.
    if (typeof node[last] !== 'object') node[last] = v;
  }
  return fold(root) as Record<string, unknown>;
}

/** SNS and SQS (FIFO) sequence numbers: digits derived from the message id. */
export const sequenceNumber = (id: string) => `1${BigInt(`0x${id.slice(-12)}`).toString().padStart(19, '0')}`;

export const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

export type Reply = { status: number; headers: Record<string, string>; body: string };

export const jsonReply = (status: number, body: unknown, contentType: string): Reply => ({ status, headers: { 'content-type': contentType, 'x-amzn-requestid': 'stub-request' }, body: JSON.stringify(body) });

export function xmlReply(status: number, namespace: string, action: string, result: string): Reply {
  const body =
    status === 200
      ? `<?xml version="1.0"?>\n<${action}Response xmlns="${namespace}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>stub-request</RequestId></ResponseMetadata></${action}Response>`
      : `<?xml version="1.0"?>\n<ErrorResponse xmlns="${namespace}">${result}<RequestId>stub-request</RequestId></ErrorResponse>`;
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': 'stub-request' }, body };
}

export const xmlError = (namespace: string, code: string, message: string, status = 400): Reply =>
  xmlReply(status, namespace, '', `<Error><Type>Sender</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error>`);

export const SNS_NS = 'http://sns.amazonaws.com/doc/2010-03-31/';
export const SQS_NS = 'http://queue.amazonaws.com/doc/2012-11-05/';

export function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface AwsRequest {
  service: 'sns' | 'sqs' | 'eventbridge';
  protocol: 'json' | 'query';
  action: string;
  params: Json;
}
