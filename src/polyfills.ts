// Node 20 lacks Promise.withResolvers (added in Node 22); aws-local-stepfunctions@3 uses it.
// Import this module before anything that needs it (ESM evaluates imports in order).
type WithResolvers = <T>() => {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
};

const P = Promise as unknown as PromiseConstructor & { withResolvers?: WithResolvers };

if (typeof P.withResolvers !== 'function') {
  Object.defineProperty(P, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export {};
