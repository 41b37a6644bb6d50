// A method decorator in the style of tracing libraries: it wraps the handler and only records timing.
// Works as a legacy (experimentalDecorators) and as a standard decorator, as such libraries do.
type Method = (...args: unknown[]) => Promise<unknown>;

function timed(method: Method, name: string): Method {
  return async function (this: unknown, ...args: unknown[]) {
    const started = Date.now();
    try {
      return await method.apply(this, args);
    } finally {
      console.debug(`${name} took ${Date.now() - started} ms`);
    }
  };
}

export function traced() {
  return function (...args: unknown[]): unknown {
    if (typeof args[0] === 'function') {
      const [method, context] = args as [Method, { name: string | symbol }];
      return timed(method, String(context.name));
    }
    const [, name, descriptor] = args as [object, string, PropertyDescriptor];
    descriptor.value = timed(descriptor.value as Method, name);
    return descriptor;
  };
}
