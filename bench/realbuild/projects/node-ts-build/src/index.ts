import pino from 'pino';
import { describe } from './describe';

const log = pino();
const banner: string = 'node-ts-build v1'; // BENCH-EDIT: the benchmark edits this line

log.info({ banner, summary: describe(process.argv.slice(2)) }, 'started');
