// What every bench script prints first: the machine, the versions and the command, so a figure
// can be compared with one measured elsewhere.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

function git(...args) {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Machine, versions and command as one object (also written into JSON reports). */
export function runInfo(extra = {}) {
  const cpus = os.cpus();
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const commit = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain') ? ' (with uncommitted changes)' : '';
  return {
    date: new Date().toISOString(),
    machine: `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}, load ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}`,
    node: process.version,
    hub: `${pkg.name} ${pkg.version}${commit ? ` @ ${commit}${dirty}` : ''}`,
    command: `node ${process.argv.slice(1).map((arg) => arg.replace(root, '')).join(' ')}`,
    ...extra,
  };
}

export function printRunInfo(info) {
  for (const [key, value] of Object.entries(info)) process.stdout.write(`${key.padEnd(10)} ${value}\n`);
  process.stdout.write('\n');
}

/** A bench's options: `--name value`, `--name=value`, and the flag `--quick`. */
export function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unknown argument: ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    args[name] = name === 'quick' ? true : (inline ?? argv[++i]);
  }
  return args;
}
