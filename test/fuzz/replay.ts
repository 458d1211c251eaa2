// Replays one saved fuzz input in its own process, for inputs that hung: the
// caller can kill it. Usage: node --import tsx test/fuzz/replay.ts <hash> [budget-ms]
// Prints the failures as JSON.
import { checkInput, signature } from './oracle';
import { loadRegressions } from './regressions';

const [hash, budget] = process.argv.slice(2);
const r = loadRegressions().find((x) => x.hash === hash);
if (!r) throw new Error(`no fuzz regression ${hash}`);
const { failures } = checkInput(r.dockerfile, r.ignore, { budgetMs: Number(budget ?? 2000) });
process.stdout.write(JSON.stringify(failures.map((f) => `${signature(f)} — ${f.where}: ${f.message.split('\n')[0]}`)));
