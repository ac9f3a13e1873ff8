// CPU-profile the scan of one file: node --cpu-prof --cpu-prof-dir=bench/.data/prof --import tsx
//   bench/profile-scan.ts [file] [runs]; then summarise with bench/summarize-profile.ts.
import { scanPaths } from '../src/scan/index.js';
import { dataPaths } from './lib/data.js';

const file = process.argv[2] ?? dataPaths.pickle;
const runs = Number(process.argv[3] ?? 5);
for (let run = 0; run < runs; run++) {
  const start = performance.now();
  const report = await scanPaths([file]);
  console.log(`run ${run + 1}: ${(performance.now() - start).toFixed(0)} ms, ${report.files[0]?.status}`);
}
