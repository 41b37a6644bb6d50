// Reads one source file as text, refusing (with a one-line reason) files that are too large,
// binary, not decodable, or minified. Never throws.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export type SourceRead = { ok: true; text: string } | { ok: false; message: string };

export const DEFAULT_MAX_BYTES = 1_000_000;
/** A line longer than this, in a file whose average line is over MINIFIED_AVERAGE_LINE, means minified. */
export const MINIFIED_LONG_LINE = 5_000;
export const MINIFIED_AVERAGE_LINE = 500;
/** How much of the file is inspected for NUL bytes. */
const BINARY_SNIFF_BYTES = 8 * 1024;

/**
 * Synchronous on purpose: a scan reads thousands of small files one after the other, and each asynchronous
 * open/stat/read/close is a round trip through the thread pool that costs more than the read itself.
 */
export function readSource(path: string, limits?: { maxBytes?: number }): SourceRead {
  const maxBytes = limits?.maxBytes ?? DEFAULT_MAX_BYTES;
  let bytes: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      const st = fstatSync(fd);
      if (st.isDirectory()) return { ok: false, message: 'EISDIR: is a directory' };
      if (!st.isFile()) return { ok: false, message: 'not a regular file' };
      if (st.size > maxBytes) return { ok: false, message: tooLarge(st.size, maxBytes) };
      bytes = readAll(fd, st.size, maxBytes);
    } finally {
      try {
        closeSync(fd);
      } catch {
        /* already closed: nothing to release */
      }
    }
  } catch (err) {
    return { ok: false, message: errnoMessage(err) };
  }
  // The file may have grown between stat and read.
  if (bytes.length > maxBytes) return { ok: false, message: tooLarge(bytes.length, maxBytes) };

  const decoded = decode(bytes);
  if (!decoded.ok) return decoded;

  const longest = longestLine(decoded.text);
  if (longest.length > MINIFIED_LONG_LINE && decoded.text.length / longest.lines > MINIFIED_AVERAGE_LINE) {
    return { ok: false, message: `looks minified (a line of ${longest.length} characters); skipped` };
  }
  return decoded;
}

/**
 * One buffer, grown as needed, receives every file: the bytes only live until they are decoded, and a fresh buffer
 * per file is garbage the collector has to chase through twenty thousand files.
 */
let scratch = Buffer.allocUnsafe(64 * 1024);

/** The file's bytes up to its end, or up to one byte over `maxBytes` (it may have grown since its size was read). */
function readAll(fd: number, size: number, maxBytes: number): Buffer {
  const cap = maxBytes + 1;
  let length = 0;
  for (;;) {
    if (length === scratch.length) {
      if (length >= cap) break;
      const bigger = Buffer.allocUnsafe(Math.min(Math.max(scratch.length * 2, size + 1), cap));
      scratch.copy(bigger, 0, 0, length);
      scratch = bigger;
    }
    const want = Math.min(scratch.length, cap) - length;
    const n = readSync(fd, scratch, length, want, null);
    if (n === 0) break;
    length += n;
    if (length >= cap) break;
    // A regular file answers short only at its end: no second call just to be told so (a file a scan reads is
    // most often smaller than the buffer, so this is one read instead of two).
    if (n < want && length >= size) break;
  }
  return scratch.subarray(0, length);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decode(bytes: Buffer): SourceRead {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return decodeUtf8(bytes.subarray(3), 3);
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes, 'utf-16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes, 'utf-16be');
  const sniff = bytes.subarray(0, BINARY_SNIFF_BYTES);
  if (sniff.includes(0)) return { ok: false, message: 'binary file' };
  return decodeUtf8(bytes, 0);
}

function decodeUtf8(bytes: Uint8Array, offsetBase: number): SourceRead {
  try {
    // ignoreBOM: the caller already removed a leading BOM; keep any other U+FEFF as text.
    return { ok: true, text: UTF8.decode(bytes) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    if (at < 0) return { ok: false, message: 'not valid UTF-8 text; skipped' };
    let line = 1;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
    const byte = bytes[at]!.toString(16).toUpperCase().padStart(2, '0');
    return {
      ok: false,
      message: `not valid UTF-8 text (byte 0x${byte} at offset ${at + offsetBase}, line ${line}; save it as UTF-8); skipped`,
    };
  }
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): SourceRead {
  try {
    // The default ignoreBOM: false makes TextDecoder drop the BOM.
    return { ok: true, text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, message: `not valid ${encoding === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE'} text; skipped` };
  }
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  const cont = (j: number, lo = 0x80, hi = 0xbf): boolean => j < n && bytes[j]! >= lo && bytes[j]! <= hi;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
    } else if (b >= 0xc2 && b <= 0xdf) {
      if (!cont(i + 1)) return i;
      i += 2;
    } else if (b >= 0xe0 && b <= 0xef) {
      const lo = b === 0xe0 ? 0xa0 : 0x80;
      const hi = b === 0xed ? 0x9f : 0xbf;
      if (!cont(i + 1, lo, hi) || !cont(i + 2)) return i;
      i += 3;
    } else if (b >= 0xf0 && b <= 0xf4) {
      const lo = b === 0xf0 ? 0x90 : 0x80;
      const hi = b === 0xf4 ? 0x8f : 0xbf;
      if (!cont(i + 1, lo, hi) || !cont(i + 2) || !cont(i + 3)) return i;
      i += 4;
    } else {
      return i;
    }
  }
  return -1;
}

function longestLine(text: string): { length: number; lines: number } {
  let lines = 1;
  let longest = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      longest = Math.max(longest, i - start);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
      lines++;
    }
  }
  longest = Math.max(longest, text.length - start);
  return { length: longest, lines };
}

function tooLarge(size: number, limit: number): string {
  let shown = formatSize(size);
  const limitShown = formatSize(limit);
  if (shown === limitShown) shown = `${size.toLocaleString('en-US')} bytes`;
  return `file is ${shown}, over the ${limitShown} limit (probably generated or bundled); skipped`;
}

function formatSize(bytes: number): string {
  const fmt = (n: number): string => String(Math.round(n * 10) / 10);
  if (bytes >= 1_000_000) return `${fmt(bytes / 1_000_000)} MB`;
  if (bytes >= 1_000) return `${fmt(bytes / 1_000)} KB`;
  return `${bytes} bytes`;
}

function errnoMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  const m = /^(\w+): ([^,]+)/.exec(e?.message ?? '');
  if (m) return `${m[1]}: ${m[2]}`;
  if (e?.code) return `${e.code}: ${e.message}`;
  return String(e?.message ?? err);
}
