// The calls the stub server saw, in arrival order: each request takes a slot when it arrives, and its call appears
// once every earlier request is settled (with its call, or with none for lookups and aborted requests).
import type { RecordedCall } from './types.js';

export interface CallRecorder {
  calls: RecordedCall[];
  /** A slot for a request that has just arrived. */
  arrive(): number;
  settle(slot: number, call: RecordedCall | null): void;
  /** A call made in process (the machine side): recorded at once. */
  record(call: RecordedCall): void;
}

export function createRecorder(): CallRecorder {
  const calls: RecordedCall[] = [];
  let arrived = 0;
  let settledUpTo = 0;
  const settled = new Map<number, RecordedCall | null>();
  return {
    calls,
    arrive: () => arrived++,
    settle(slot, call) {
      if (settled.has(slot) || slot < settledUpTo) return;
      settled.set(slot, call);
      while (settled.has(settledUpTo)) {
        const c = settled.get(settledUpTo);
        settled.delete(settledUpTo);
        if (c) calls.push(c);
        settledUpTo++;
      }
    },
    record: (call) => void calls.push(call),
  };
}
