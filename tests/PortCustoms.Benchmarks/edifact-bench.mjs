// Parses one EDIFACT file with the npm package `edifact` (streaming Parser, events as methods: its documented fast path)
// and prints "npm-edifact <MB/s> <seconds> segments=<n>". Usage: node edifact-bench.mjs <node_modules dir> <file>
import { createReadStream, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [modules, file] = process.argv.slice(2);
const require = createRequire(path.join(modules, 'noop.js'));
const Parser = require('edifact/parser.js');

function run() {
  return new Promise((resolve, reject) => {
    const parser = new Parser();
    parser.encoding('UNOC'); // the generated interchange declares UNOC
    let segments = 0;
    let components = 0;
    parser.onopensegment = () => { segments++; };
    parser.onclosesegment = () => {};
    parser.onelement = () => {};
    parser.oncomponent = () => { components++; };
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    createReadStream(file, { encoding: 'latin1', highWaterMark: 1024 * 1024 })
      .on('data', (chunk) => parser.write(chunk))
      .on('error', reject)
      .on('end', () => {
        parser.end();
        const used = process.cpuUsage(cpu);
        resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (used.user + used.system) / 1e6, segments, components });
      });
  });
}

const bytes = statSync(file).size;
// Best of three runs (node needs no separate warm-up: its JIT is warm within the first megabytes).
let best = null;
for (let i = 0; i < 3; i++) {
  const r = await run();
  best = best === null ? r : { ...r, seconds: Math.min(best.seconds, r.seconds), cpuSeconds: Math.min(best.cpuSeconds, r.cpuSeconds) };
}
const { seconds, cpuSeconds, segments, components } = best;
console.log(`npm-edifact ${(bytes / 1e6 / seconds).toFixed(1)} ${seconds.toFixed(3)} ${(bytes / 1e6 / cpuSeconds).toFixed(1)} ${cpuSeconds.toFixed(3)} segments=${segments} components=${components}`);
