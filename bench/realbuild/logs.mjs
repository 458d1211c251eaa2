#!/usr/bin/env node
// Produces real build logs for `cachelens build-log`'s tests: builds sample
// projects with the real-build harness's dockerd (bench/realbuild/setup.sh
// first) and saves each build's `--progress plain` output under
// test/fixtures/build-logs/<project>/:
//   cold.log         builder cache pruned
//   warm.log         the same again, nothing changed
//   source-edit.log  a source file edited (the project's BENCH-EDIT line / `edit` file)
//   lockfile-edit.log the lockfile edited (whitespace at its end: same packages)
//   build-arg.log    a build argument given another value
//   error.log        (multi-stage only) a build argument that makes a RUN fail
// Each project is built from a copy under bench/.work/realbuild/logs/, so the
// fixtures' sources stay as committed; the Dockerfile built is saved beside the logs.
//
//   node bench/realbuild/logs.mjs [--project NAME]…

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const WORK = process.env.CACHELENS_REALBUILD_WORK ?? join(REPO, 'bench/.work/realbuild');
const DOCKER = '/usr/bin/docker';
const DOCKER_HOST = process.env.DOCKER_HOST ?? `unix://${join(WORK, 'docker/docker.sock')}`;
const OUT = join(REPO, 'test/fixtures/build-logs');

const PROJECTS = {
  'node-express-api': {
    dir: join(HERE, 'projects/node-express-api'),
    edit: 'src/server.js',
    lock: 'package-lock.json',
    arg: null,
  },
  'node-fastify-argtop': {
    dir: join(HERE, 'projects/node-fastify-argtop'),
    edit: 'index.js',
    lock: 'package-lock.json',
    arg: 'GIT_SHA',
  },
  'multi-stage': {
    dir: join(OUT, 'projects/multi-stage'),
    edit: 'index.js',
    lock: 'package-lock.json',
    arg: 'GREETING',
    fail: 'fail',
  },
};

function docker(args, allowFail = false) {
  const r = spawnSync(DOCKER, args, { env: { ...process.env, DOCKER_HOST, DOCKER_BUILDKIT: '1' }, maxBuffer: 1 << 30 });
  if (r.error) throw new Error(`cannot run ${DOCKER}: ${r.error.message} (run bench/realbuild/setup.sh)`);
  if (r.status !== 0 && !allowFail) throw new Error(`docker ${args.join(' ')} failed:\n${r.stderr}`);
  return r;
}

function build(dir, tag, args, allowFail = false) {
  const argv = ['build', '--progress', 'plain', '--network', 'none', '-t', tag];
  for (const [k, v] of Object.entries(args)) argv.push('--build-arg', `${k}=${v}`);
  argv.push(dir);
  const r = docker(argv, true);
  const log = r.stderr.toString() + r.stdout.toString();
  if (r.status !== 0 && !allowFail) throw new Error(`build failed:\n${log.slice(-3000)}`);
  return log;
}

const { values } = parseArgs({ options: { project: { type: 'string', multiple: true } } });
const names = values.project ?? Object.keys(PROJECTS);
for (const name of names) {
  const p = PROJECTS[name];
  if (!p) throw new Error(`no project ${name}`);
  const work = join(WORK, 'logs', name);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(dirname(work), { recursive: true });
  cpSync(p.dir, work, { recursive: true });
  const out = join(OUT, name);
  mkdirSync(out, { recursive: true });
  const tag = `cachelens-logs-${name}`;
  docker(['rmi', '-f', tag], true);
  docker(['builder', 'prune', '-af']);
  const args = p.arg ? { [p.arg]: 'one' } : {};
  const save = (file, log) => {
    writeFileSync(join(out, file), log);
    console.log(`${name}/${file}: ${log.split('\n').length} lines`);
  };
  writeFileSync(join(out, 'Dockerfile'), readFileSync(join(work, 'Dockerfile')));
  save('cold.log', build(work, tag, args));
  save('warm.log', build(work, tag, args));
  appendFileSync(join(work, p.edit), '\n// edited for the source-edit build\n');
  save('source-edit.log', build(work, tag, args));
  appendFileSync(join(work, p.lock), '\n');
  save('lockfile-edit.log', build(work, tag, args));
  if (p.arg) save('build-arg.log', build(work, tag, { [p.arg]: 'two' }));
  if (p.fail) save('error.log', build(work, tag, { [p.arg]: p.fail }, true));
  if (!existsSync(join(out, 'Dockerfile'))) throw new Error('lost the Dockerfile');
}
