// A rule's messages: templates keyed by message id in the rule's meta, with {{name}} placeholders. Rules fill them
// through the RuleContext the lifter gives their hooks; the core fills a rule's message by rule id and message id.
import type * as t from '@babel/types';
import { LiftFailure } from './context.js';
import { line } from './syntax.js';

export type MessageData = Readonly<Record<string, string | number>>;

/** What ruleMessage needs of a rule. */
export interface MessageSource {
  meta: { id: string; messages: Readonly<Record<string, string>> };
}

/** Message `messageId` of the rule `meta`, every {{placeholder}} filled from `data` (a missing one is a bug). */
export function formatMessage(meta: MessageSource['meta'], messageId: string, data: MessageData = {}): string {
  const template = Object.hasOwn(meta.messages, messageId) ? meta.messages[messageId] : undefined;
  if (template === undefined) throw new Error(`rule ${meta.id} has no message '${messageId}'`);
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!Object.hasOwn(data, name)) throw new Error(`message '${messageId}' of rule ${meta.id} needs {{${name}}}`);
    return String(data[name]);
  });
}

/** Message `messageId` of the rule `ruleId` among `rules`. */
export function ruleMessage(rules: readonly MessageSource[], ruleId: string, messageId: string, data?: MessageData): string {
  const rule = rules.find((r) => r.meta.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId} for message '${messageId}'`);
  return formatMessage(rule.meta, messageId, data);
}

/** What the lifter gives one rule's hooks: the rule's own messages, filled in. */
export interface RuleContext<M extends string = string> {
  readonly id: string;
  message(messageId: M, data?: MessageData): string;
  /** The rule's blocker `messageId` at `at`'s line, to throw; residualizable when a small Lambda may keep the code. */
  failure(messageId: M, at: t.Node | null | undefined, data?: MessageData, residualizable?: boolean): LiftFailure;
}

export function ruleContext(meta: MessageSource['meta']): RuleContext {
  return {
    id: meta.id,
    message: (messageId, data) => formatMessage(meta, messageId, data),
    failure: (messageId, at, data, residualizable = false) => new LiftFailure(formatMessage(meta, messageId, data), line(at), meta.id, residualizable),
  };
}
