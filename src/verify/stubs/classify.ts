// Which AWS service a request to the stub server is for (SNS, SQS, EventBridge), from its target header, its
// signature's credential scope or its query-protocol version; undefined for everything else.
import type http from 'node:http';
import { sqsQueryInput } from './sqs.js';
import { parseQueryProtocol, type AwsRequest, type Json } from './wire.js';

export function classify(req: http.IncomingMessage, raw: string): AwsRequest | undefined {
  const target = String(req.headers['x-amz-target'] ?? '');
  const scope = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''))?.[1];
  const json = (): Json => {
    try {
      const v: unknown = raw ? JSON.parse(raw) : {};
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
    } catch {
      return {};
    }
  };
  if (target.startsWith('AWSEvents.')) return { service: 'eventbridge', protocol: 'json', action: target.slice('AWSEvents.'.length), params: json() };
  if (target.startsWith('AmazonSQS.')) return { service: 'sqs', protocol: 'json', action: target.slice('AmazonSQS.'.length), params: json() };
  if (target) return undefined;
  const form = /application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? ''));
  if (!form && scope !== 'sns' && scope !== 'sqs') return undefined;
  const params = parseQueryProtocol(raw);
  const action = params['Action'];
  if (typeof action !== 'string') return undefined;
  const version = params['Version'];
  const service = scope === 'sns' || scope === 'sqs' ? scope : version === '2010-03-31' ? 'sns' : version === '2012-11-05' ? 'sqs' : undefined;
  if (!service) return undefined;
  delete params['Action'];
  delete params['Version'];
  return { service, protocol: 'query', action, params: service === 'sqs' ? sqsQueryInput(params) : params };
}
