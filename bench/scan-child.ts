// Peak-RSS fallback when /usr/bin/time is missing: `node --import tsx bench/scan-child.ts <paths...>` scans
// in a fresh process and prints one JSON line with its own peak RSS (process.resourceUsage, in KiB).
import { scanPaths } from '../src/scan/index.js';

const report = await scanPaths(process.argv.slice(2));
const summary = { maxRssKiB: process.resourceUsage().maxRSS, files: report.files };
process.stdout.write(`${JSON.stringify(summary)}\n`);
