#!/usr/bin/env node
// Shows the PR comment of a project as GitHub would: comment github --dry-run → GFM HTML (marked) → every mermaid
// block rendered to SVG by mermaid itself in headless Chromium (every <details> opened) → a full-page screenshot.
// Writes OUT (details folded, as a reviewer first sees it) and OUT-open.png (all open). Not part of npm test. usage: node --import tsx scripts/comment-screenshot.mjs [project=fixtures/demo] [out=/tmp/comment.png]
// Needs a Chromium (Debian: apt-get install -y chromium; CHROMIUM=/path to use another).
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const project = resolve(process.argv[2] ?? join(root, 'fixtures', 'demo'));
const out = resolve(process.argv[3] ?? '/tmp/comment.png');
const { run } = await import('../src/cli.ts');

const chunks = [];
const io = { stdout: (s) => chunks.push(s), stderr: (s) => process.stderr.write(s), isTTY: false, cwd: project, env: {} };
const scanned = join(dirname(out), 'comment-report.json');
await run(['node', 'lambda2sfn', 'scan', '.', '--format', 'json', '--diff', '--output', scanned], { ...io, stdout: () => undefined });
const verify = join(dirname(out), 'comment-verify.json');
const verified = [];
if ((await run(['node', 'lambda2sfn', 'verify', '.', '--format', 'json'], { ...io, stdout: (s) => verified.push(s) })) <= 1) writeFileSync(verify, verified.join(''));
await run(['node', 'lambda2sfn', 'comment', 'github', '--report', scanned, ...(verified.length ? ['--verify-report', verify] : []), '--dry-run', '--repo', 'acme/shop', '--commit', '0123abc'], io);
const markdown = chunks.join('');
writeFileSync(out.replace(/\.png$/, '.md'), markdown);

const body = marked.parse(markdown, { gfm: true }).replace(/<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g, '<pre class="mermaid">$1</pre>');
const html = `<!doctype html><html><head><meta charset="utf-8"><style>
body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; max-width: 980px; margin: 24px auto; }
.comment { border: 1px solid #d1d9e0; border-radius: 6px; padding: 16px 24px; }
table { border-collapse: collapse; margin: 12px 0; display: block; overflow: auto; } th, td { border: 1px solid #d1d9e0; padding: 6px 13px; } tr:nth-child(2n) { background: #f6f8fa; }
code { background: #eff1f3; border-radius: 6px; padding: .2em .4em; font-size: 85%; } pre { background: #f6f8fa; padding: 16px; overflow: auto; border-radius: 6px; font-size: 85%; } pre code { background: none; padding: 0; }
pre.mermaid { background: none; text-align: center; } details { margin: 8px 0; } summary { cursor: pointer; font-weight: 600; }
blockquote { border-left: .25em solid #d1d9e0; color: #59636e; margin: 0; padding: 0 1em; } a { color: #0969da; text-decoration: none; }
</style></head><body><div class="comment">${body}</div></body></html>`;
const page_html = out.replace(/\.png$/, '.html');
writeFileSync(page_html, html);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await page.goto(`file://${page_html}`);
  // As a reviewer first sees it: every <details> folded.
  await page.screenshot({ path: out, fullPage: true });
  await page.addScriptTag({ path: join(root, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js') });
  // Open every <details> first: mermaid measures text, which needs the block to be visible.
  const errors = await page.evaluate(async () => {
    for (const d of document.querySelectorAll('details')) d.open = true;
    globalThis.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    const failures = [];
    await globalThis.mermaid.run({ querySelector: 'pre.mermaid', suppressErrors: true, postRenderCallback: () => undefined }).catch((e) => failures.push(String(e)));
    for (const pre of document.querySelectorAll('pre.mermaid')) if (!pre.querySelector('svg')) failures.push(pre.textContent.slice(0, 80));
    return failures;
  });
  if (errors.length) console.error(`mermaid could not render:\n${errors.join('\n')}`);
  const open = out.replace(/\.png$/, '-open.png');
  await page.screenshot({ path: open, fullPage: true });
  console.log(`${out}, ${open} (${markdown.length} characters of markdown; ${await page.locator('pre.mermaid svg').count()} flowcharts rendered; page ${page_html})`);
} finally {
  await browser.close();
}
