// Preloaded into a benchmarked node child when /usr/bin/time is missing: writes its peak RSS (KB) on exit.
'use strict';
const file = process.env.L2S_BENCH_RSS_FILE;
if (file) process.on('exit', () => require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS)));
