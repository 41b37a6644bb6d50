// The progress line of a long scan on an interactive standard error: files read (with a bar, the total being known),
// then candidates parsed and handlers found. Drawn in place with \r; cleared when the scan ends, so the report and
// the diagnostics that follow start on a clean line.
import type { ScanProgress } from '../scan/scanProject.js';

export interface ProgressOptions {
  write: (s: string) => void;
  /** Milliseconds; injectable so that tests need no real clock. */
  now: () => number;
  /** Nothing is drawn before the scan has run this long: short scans stay silent. */
  delayMs?: number;
  /** Redraw at most this often. */
  intervalMs?: number;
  /** Terminal width; the line is cut to fit. */
  columns?: number;
}

export interface ProgressLine {
  update: (p: ScanProgress) => void;
  /** Clears the line if anything was drawn. */
  done: () => void;
}

const BAR_WIDTH = 20;
const count = (n: number): string => n.toLocaleString('en-US');

export function formatProgress(p: ScanProgress): string {
  if (p.candidates === undefined) {
    const filled = p.files > 0 ? Math.round((BAR_WIDTH * p.filesRead) / p.files) : BAR_WIDTH;
    return `lambda2sfn: [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] read ${count(p.filesRead)}/${count(p.files)} files`;
  }
  return `lambda2sfn: ${count(p.files)} files read, analysing ${count(p.candidates)} candidate${p.candidates === 1 ? '' : 's'}: ${count(p.handlers)} handler${p.handlers === 1 ? '' : 's'} so far`;
}

export function createProgressLine(options: ProgressOptions): ProgressLine {
  const delay = options.delayMs ?? 1000;
  const interval = options.intervalMs ?? 100;
  const start = options.now();
  let lastDrawn: number | undefined;
  let drawnText = '';
  return {
    update(p) {
      const t = options.now();
      if (t - start < delay) return;
      if (lastDrawn !== undefined && t - lastDrawn < interval) return;
      let text = formatProgress(p);
      if (options.columns && text.length > options.columns - 1) text = text.slice(0, Math.max(0, options.columns - 1));
      if (text === drawnText) return;
      lastDrawn = t;
      drawnText = text;
      options.write(`\r\x1b[K${text}`);
    },
    done() {
      if (lastDrawn !== undefined) options.write('\r\x1b[K');
    },
  };
}
