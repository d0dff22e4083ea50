// Spectral with the OpenAPI and OWASP rulesets on the served document: no errors; warnings listed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { assert, base, check, finish, results } from './harness.mjs';

const file = path.join(results, 'openapi.json');
fs.writeFileSync(file, Buffer.from(await (await fetch(`${base}/openapi.json`)).arrayBuffer()));
fs.writeFileSync(path.join(results, 'openapi.yaml'), Buffer.from(await (await fetch(`${base}/openapi.yaml`)).arrayBuffer()));

function lint(target) {
  let out;
  try {
    out = execFileSync(path.resolve('../node_modules/.bin/spectral'), ['lint', target, '--ruleset', path.resolve('spectral.yaml'), '-f', 'json', '--fail-severity', 'error', '-q'],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    out = error.stdout;
  }
  return JSON.parse(out || '[]');
}

for (const target of [file, path.join(results, 'openapi.yaml')]) {
  await check(`spectral: no errors in ${path.basename(target)}`, async () => {
    const findings = lint(target);
    const errors = findings.filter((f) => f.severity === 0);
    const warnings = findings.filter((f) => f.severity === 1);
    const byRule = {};
    for (const w of warnings) byRule[w.code] = (byRule[w.code] ?? 0) + 1;
    console.log(`  ${errors.length} errors, ${warnings.length} warnings ${JSON.stringify(byRule)}`);
    fs.writeFileSync(path.join(results, `spectral-${path.basename(target)}.txt`),
      findings.map((f) => `${['error', 'warn', 'info', 'hint'][f.severity]} ${f.code} ${f.path.join('.')}: ${f.message}`).join('\n') + '\n');
    assert(errors.length === 0, errors.map((e) => `${e.code} at ${e.path.join('.')}: ${e.message}`).join('\n'));
  });
}

finish('lint');
