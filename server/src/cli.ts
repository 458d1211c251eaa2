// The `cachelens` command: check (text, JSON, SARIF, CI formats), fix, report,
// build-log, forecast, explain. Each command is a file in cli/; all run on one
// engine Session, as the language server does.

import { renderRuleDocs, renderRulesMarkdown } from './engine/docs';
import { Session } from './engine/session';
import { RULES, ruleById } from './rules/registry';
import { InputError, IoError, USAGE, UsageError, VERSION, parseArgs, type Flags, type Out } from './cli/args';
import { check } from './cli/check';
import { fix } from './cli/fix';
import { buildLogCommand, forecast, report } from './cli/reports';

export { MAX_DOCKERFILE_BYTES, dockerfilesServedBy } from './cli/targets';

function explain(args: string[], out: Out): number {
  const rule = ruleById(args[0] ?? '');
  if (!rule)
    throw new UsageError(
      args[0]
        ? `no rule ${args[0]}; \`cachelens rules\` lists them`
        : 'explain needs a rule id, e.g. cachelens explain CL001',
    );
  out(renderRuleDocs(rule));
  return 0;
}

function command(name: string, flags: Flags, args: string[], out: Out): number {
  const session = new Session();
  switch (name) {
    case 'check':
      return check(flags, args, out, session);
    case 'fix':
      return fix(flags, args, out, session);
    case 'report':
      return report(flags, args, out, session);
    case 'build-log':
      return buildLogCommand(flags, args, out);
    case 'forecast':
      return forecast(flags, args, out, session);
    case 'explain':
      return explain(args, out);
    case 'rules':
      for (const r of RULES) out(`${r.id}  ${r.name.padEnd(34)} ${r.defaultSeverity.padEnd(8)} ${r.title}`);
      return 0;
    case 'docs':
      out(renderRulesMarkdown());
      return 0;
    default:
      throw new UsageError(`unknown command ${name}`);
  }
}

export function main(argv: string[], out: Out = (s) => process.stdout.write(s + '\n')): number {
  try {
    const [name, ...rest] = argv;
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      out(USAGE);
      return name ? 0 : 2;
    }
    if (name === '--version' || name === '-v') {
      out(VERSION);
      return 0;
    }
    const { flags, positionals } = parseArgs(rest);
    return command(name, flags, positionals, out);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`cachelens: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof IoError || e instanceof InputError) {
      process.stderr.write(`cachelens: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`cachelens: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    return 2;
  }
}

/**
 * The process entry (bin/cachelens): a reader that closes the pipe early
 * (`cachelens check . | head -3`) ends the run quietly with the exit code
 * already decided, as command-line tools do.
 */
export function run(argv: string[]): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit();
      throw e;
    });
  }
  process.exitCode = main(argv);
}

if (require.main === module) run(process.argv.slice(2));
