// Parses one EDIFACT file with the npm package `edifact` (streaming Parser, events as methods: its documented fast path)
// and prints "npm-edifact <MB/s> <seconds> <CPU MB/s> <CPU seconds> segments=<n> components=<n>".
// With a third argument, a folder holding table.json and definitions.json (from the benchmark's `npm-definitions`
// mode: the engine's own tables in npm's formats), it runs the job npm offers for checking messages, as its README
// describes: a Validator (element and component counts and formats) and a Tracker (the segment table, reset at each
// UNH), and prints "npm-edifact-validating ..." with the count of findings each raised.
// Usage: node edifact-bench.mjs <node_modules dir> <file> [definitions dir]
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [modules, file, definitions] = process.argv.slice(2);
const require = createRequire(path.join(modules, 'noop.js'));
const Parser = require('edifact/parser.js');
const Validator = require('edifact/validator.js');
const Tracker = require('edifact/tracker.js');
const table = definitions ? JSON.parse(readFileSync(path.join(definitions, 'table.json'), 'utf8')) : null;
const defined = definitions ? JSON.parse(readFileSync(path.join(definitions, 'definitions.json'), 'utf8')) : null;

function run() {
  return new Promise((resolve, reject) => {
    let validator;
    if (defined) {
      validator = new Validator();
      validator.define(defined);
    }
    const parser = new Parser(validator);
    parser.encoding('UNOC'); // the generated interchange declares UNOC
    let segments = 0;
    let components = 0;
    let findings = 0;
    if (table) {
      // The Tracker rewinds and goes on after an error it reports; the Validator throws, so a finding is counted and
      // the parser would stop (the generated file has none it can see: its findings are code-list ones).
      const tracker = new Tracker(table);
      tracker.on('error', () => { findings++; });
      let inMessage = false;
      parser.onopensegment = (segment) => {
        segments++;
        if (segment === 'UNH') {
          tracker.reset();
          inMessage = true;
        }
        if (inMessage) {
          tracker.accept(segment);
        }
        if (segment === 'UNT') {
          inMessage = false;
        }
      };
    } else {
      parser.onopensegment = () => { segments++; };
    }
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
        resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (used.user + used.system) / 1e6, segments, components, findings });
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
const { seconds, cpuSeconds, segments, components, findings } = best;
console.log(`npm-edifact${table ? '-validating' : ''} ${(bytes / 1e6 / seconds).toFixed(1)} ${seconds.toFixed(3)} ${(bytes / 1e6 / cpuSeconds).toFixed(1)} ${cpuSeconds.toFixed(3)} segments=${segments} components=${components}${table ? ` findings=${findings}` : ''}`);
