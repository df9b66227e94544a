// Builds the front-end bundle into internal/web/static/dist.
//
//   node build.mjs           build app.js and app.css, and the respondent
//                            page's respondent.js, respondent.css and
//                            respondent-sw.js; print sizes
//   node build.mjs --check   build into a temporary folder and fail if the
//                            committed dist files differ from a fresh build
//
// Output is deterministic: same sources + same lock file = same bytes.

import { build } from 'esbuild';
import { mkdtemp, readFile, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const distDir = join(repo, 'internal', 'web', 'static', 'dist');
const check = process.argv.includes('--check');

// First-load budget for app.js + app.css after gzip.
const BUDGET_GZIP = 250 * 1024;

// First-load budget of the respondent page (respondent.js +
// respondent.css) after gzip; the service worker loads apart.
const RESPONDENT_BUDGET_GZIP = 600 * 1024;

const OUTPUTS = ['app.js', 'app.css', 'respondent.js', 'respondent.css', 'respondent-sw.js'];

const shared = {
  absWorkingDir: here,
  bundle: true,
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  charset: 'utf8',
  write: true,
};

async function buildInto(outDir) {
  await mkdir(outDir, { recursive: true });
  await build({
    ...shared,
    entryPoints: [join(here, 'src', 'app.js')],
    outfile: join(outDir, 'app.js'),
    format: 'iife',
    platform: 'browser',
    target: ['es2018'],
    treeShaking: true,
    define: { 'process.env.NODE_ENV': '"production"', __DEV__: 'false' },
  });
  await build({
    ...shared,
    entryPoints: [join(here, 'src', 'app.css')],
    outfile: join(outDir, 'app.css'),
    target: ['chrome80', 'firefox78', 'safari13', 'edge88'],
    external: ['*.svg', '*.png', '*.woff2'],
  });
  await build({
    ...shared,
    entryPoints: [join(here, 'src', 'respondent', 'index.js')],
    outfile: join(outDir, 'respondent.js'),
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    treeShaking: true,
  });
  await build({
    ...shared,
    entryPoints: [join(here, 'src', 'respondent', 'respondent.css')],
    outfile: join(outDir, 'respondent.css'),
    target: ['chrome80', 'firefox78', 'safari13', 'edge88'],
  });
  await build({
    ...shared,
    entryPoints: [join(here, 'src', 'respondent', 'sw.js')],
    outfile: join(outDir, 'respondent-sw.js'),
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
  });
}

function kb(n) {
  return (n / 1024).toFixed(1) + ' KB';
}

async function report(dir) {
  let totalGz = 0;
  const lines = [];
  for (const name of ['app.js', 'app.css']) {
    const buf = await readFile(join(dir, name));
    const gz = gzipSync(buf, { level: 9 }).length;
    totalGz += gz;
    lines.push(`  ${name.padEnd(8)} ${kb(buf.length).padStart(10)} raw  ${kb(gz).padStart(9)} gzip`);
  }
  lines.push(`  total    ${kb(totalGz).padStart(25)} gzip (budget ${kb(BUDGET_GZIP)})`);
  console.log(lines.join('\n'));
  if (totalGz > BUDGET_GZIP) {
    console.error(`error: first load is ${kb(totalGz)} gzipped, over the ${kb(BUDGET_GZIP)} budget`);
    process.exitCode = 1;
  }
  await reportRespondent(dir);
}

// reportRespondent checks the respondent page's own budget.
async function reportRespondent(dir) {
  let totalGz = 0;
  const lines = [];
  for (const name of ['respondent.js', 'respondent.css', 'respondent-sw.js']) {
    const buf = await readFile(join(dir, name));
    const gz = gzipSync(buf, { level: 9 }).length;
    if (name !== 'respondent-sw.js') totalGz += gz;
    lines.push(`  ${name.padEnd(16)} ${kb(buf.length).padStart(10)} raw  ${kb(gz).padStart(9)} gzip`);
  }
  lines.push(`  respondent page  ${kb(totalGz).padStart(25)} gzip (budget ${kb(RESPONDENT_BUDGET_GZIP)})`);
  console.log(lines.join('\n'));
  if (totalGz > RESPONDENT_BUDGET_GZIP) {
    console.error(`error: the respondent page's first load is ${kb(totalGz)} gzipped, over the ${kb(RESPONDENT_BUDGET_GZIP)} budget`);
    process.exitCode = 1;
  }
}

async function main() {
  if (!check) {
    await buildInto(distDir);
    console.log(`built ${relative(repo, distDir)}/: ${OUTPUTS.join(', ')}`);
    await report(distDir);
    return;
  }

  const tmp = await mkdtemp(join(tmpdir(), 'observatory-dist-'));
  try {
    await buildInto(tmp);
    const stale = [];
    for (const name of OUTPUTS) {
      const fresh = await readFile(join(tmp, name));
      let committed = null;
      try {
        committed = await readFile(join(distDir, name));
      } catch {
        committed = null;
      }
      if (!committed || !committed.equals(fresh)) stale.push(name);
    }
    await report(tmp);
    if (stale.length) {
      console.error(
        `error: ${stale.map((n) => relative(repo, join(distDir, n))).join(', ')} ` +
          'not up to date with frontend/src.\n' +
          'Run "cd frontend && npm run build" and commit the result.'
      );
      process.exitCode = 1;
    } else {
      console.log('dist is up to date');
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
