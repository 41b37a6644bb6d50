// The stub of the allow-listed AWS SDK commands: canned answers from stubs.json `aws`.
import type http from 'node:http';
import { SDK_COMMANDS } from '../../lift/services/sdkIntegrations.js';
import type { RecordedCall, StubAnswer, StubRoute, StubsFile } from './types.js';
import { jsonReply, type Reply } from './wire.js';

export function sdkCommandStub(stubs: StubRoute[] | StubsFile) {
const awsActions = (stubs && !Array.isArray(stubs) ? stubs.aws ?? [] : []).map((a) => ({ service: a.service, action: a.action, responses: a.responses ?? [], used: 0 }));
const awsCall = (service: RecordedCall['service'], action: string, input: unknown): { call: RecordedCall; answer: StubAnswer } => {
  const entry = awsActions.find((a) => a.service === service && a.action === action);
  const r = entry && entry.responses.length ? entry.responses[Math.min(entry.used++, entry.responses.length - 1)]! : undefined;
  const answer: StubAnswer = r?.error ? { ok: false, error: r.error } : { ok: true, value: r?.result ?? {} };
  return { call: { service, action, input }, answer };
};
/**
 * Requests of the allow-listed SDK commands, answered from stubs.json `aws`: JSON protocol (X-Amz-Target) or a
 * REST-JSON POST whose body is the whole input (SESv2 SendEmail).
 */
const sdkJson = (req: http.IncomingMessage, raw: string): { call: RecordedCall; reply: Reply } | undefined => {
  const target = String(req.headers['x-amz-target'] ?? '');
  const pathname = new URL(req.url ?? '/', 'http://stub').pathname;
  const command = SDK_COMMANDS.find((c) => ('target' in c.wire ? c.wire.target === target : req.method === 'POST' && !target && c.wire.restPost === pathname));
  if (!command) return undefined;
  let input: unknown = {};
  try {
    input = raw ? JSON.parse(raw) : {};
  } catch {
    /* recorded as {} */
  }
  const r = awsCall(command.recordService, command.apiAction, input);
  if ('restPost' in command.wire) {
    const reply = r.answer.ok ? jsonReply(200, r.answer.value, 'application/json') : jsonReply(400, { message: r.answer.error.message ?? r.answer.error.name }, 'application/json');
    if (!r.answer.ok) reply.headers['x-amzn-errortype'] = r.answer.error.name;
    return { call: r.call, reply };
  }
  const type = String(req.headers['content-type'] ?? 'application/x-amz-json-1.1');
  return { call: r.call, reply: r.answer.ok ? jsonReply(200, r.answer.value, type) : jsonReply(400, { __type: r.answer.error.name, message: r.answer.error.message ?? r.answer.error.name }, type) };
};
  return { call: awsCall, http: sdkJson };
}
