export function describe(args: readonly string[]): string {
  return args.length === 0 ? 'no arguments' : `${args.length} argument(s): ${args.join(', ')}`;
}
