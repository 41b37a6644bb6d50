// Normalisation shared by both sides of a comparison (../shared/examples/README.md "Normalisation"):
// generated UUIDs → "<uuid>", current timestamps → "<timestamp>", today's date → "<date>";
// JSON documents held in strings are normalised as JSON so they stay comparable. Types stay strict.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g;

export interface NormalizeOptions {
  /** Strings that already appear in the inputs stay as they are. */
  keep?: Set<string>;
  /** Epoch values within this window (ms) count as "now". */
  now?: number;
}

const UUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/gi;

function normalizeString(s: string, opts: NormalizeOptions): unknown {
  if (opts.keep?.has(s)) return s;
  const trimmed = s.trim();
  if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
    try {
      return JSON.stringify(normalizeValue(JSON.parse(s), opts));
    } catch {
      /* not JSON: treat as text */
    }
  }
  if (UUID.test(s)) return '<uuid>';
  if (s === new Date().toISOString().slice(0, 10)) return '<date>';
  return s.replace(ISO, (m) => (opts.keep?.has(m) ? m : isoTime(m, opts.now))).replace(UUID_ANYWHERE, (m) => (opts.keep?.has(m) ? m : '<uuid>'));
}

const HOUR = 3_600_000;
const TEN_YEARS = 10 * 365 * 24 * HOUR;

/**
 * An epoch time in milliseconds or seconds near now: `<timestamp>` within an hour of it, else the offset from now
 * in seconds, to the nearest 10 (`<timestamp+604800s>`: a TTL a week ahead), as both sides compute it a moment
 * apart. Seconds and milliseconds stay apart (`<timestamp-s…>`).
 */
function epochTime(v: number, now: number): string | undefined {
  if (!Number.isInteger(v)) return undefined;
  for (const [scale, unit] of [[1, ''], [1000, '-s']] as const) {
    const offset = v * scale - now;
    if (Math.abs(offset) < HOUR) return `<timestamp${unit}>`;
    if (Math.abs(offset) < TEN_YEARS) {
      const seconds = Math.round(offset / 10_000) * 10;
      return `<timestamp${unit}${seconds < 0 ? '-' : '+'}${Math.abs(seconds)}s>`;
    }
  }
  return undefined;
}

/** An ISO 8601 time: `<timestamp>`, or its offset from now as epochTime gives it (an expiry a week ahead). */
function isoTime(iso: string, now: number | undefined): string {
  const ms = Date.parse(iso);
  return now && Number.isInteger(ms) ? epochTime(ms, now) ?? '<timestamp>' : '<timestamp>';
}

export function normalizeValue(v: unknown, opts: NormalizeOptions = {}): unknown {
  if (typeof v === 'string') return normalizeString(v, opts);
  if (typeof v === 'number' && opts.now) {
    const epoch = epochTime(v, opts.now);
    if (epoch) return epoch;
  }
  if (Array.isArray(v)) return v.map((x) => normalizeValue(x, opts));
  // A DynamoDB number attribute holding the current epoch time (Date.now() written to a table): { "N": "<timestamp>" }.
  if (v && typeof v === 'object' && Object.keys(v).length === 1 && typeof (v as { N?: unknown }).N === 'string' && /^\d{10,13}$/.test((v as { N: string }).N)) {
    const n = normalizeValue(Number((v as { N: string }).N), opts);
    if (typeof n === 'string' && n.startsWith('<timestamp')) return { N: n };
  }
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalizeValue(x, opts)]));
  return v;
}

/** An API Gateway proxy response in comparable form: lower-case header names, body parsed as JSON when it is JSON. */
export function comparableResponse(r: unknown, opts: NormalizeOptions = {}): unknown {
  if (!r || typeof r !== 'object') return normalizeValue(r, opts);
  const { statusCode, headers, body, ...rest } = r as { statusCode?: unknown; headers?: Record<string, unknown>; body?: unknown };
  let parsedBody: unknown = body;
  if (typeof body === 'string') {
    try {
      parsedBody = { json: JSON.parse(body) };
    } catch {
      parsedBody = { text: body };
    }
  }
  return normalizeValue(
    {
      statusCode,
      ...(headers ? { headers: Object.fromEntries(Object.entries(headers).map(([k, x]) => [k.toLowerCase(), x])) } : {}),
      body: parsedBody,
      ...rest,
    },
    opts,
  );
}

/** Object keys sorted recursively: DynamoDB gives no attribute order, so comparisons must not depend on it. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

/** Every string in the inputs (events, seed items): such values are not generated and are never normalised. */
export function inputStrings(...docs: unknown[]): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  docs.forEach(walk);
  return out;
}
