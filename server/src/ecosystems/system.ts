// OS package managers as data (apt, apk, dnf…): how they refresh their index,
// which commands read it, where they keep downloads. Separate from the
// language ecosystems because their installs are not dependency installs of
// the project (no manifests, not part of the CL001/CL002 ordering).

import type { CacheCleanups, CommandPattern } from './table';
import type { SimpleCommand } from '../parse/shell';
import { matchesCommand } from './match';

export interface CacheMount {
  target: string;
  sharing?: 'locked' | 'shared' | 'private';
}

export interface SystemPackageManager {
  id: string;
  name: string;
  /** refreshes the package index */
  indexUpdate: CommandPattern[];
  /** shell that deletes the downloaded index (a later install cannot rely on it then) */
  indexRemoved?: RegExp;
  /**
   * vendor repository-setup scripts that add their repository and refresh the index themselves, when piped
   * to a shell (`curl -fsSL https://deb.nodesource.com/setup_20.x | bash -`): matched against the URL
   */
  indexUpdateScripts?: RegExp;
  /** commands that read the index: they need a fresh one in the same RUN */
  usesIndex: CommandPattern[];
  /** commands that download packages (CL201) */
  downloads: CommandPattern[];
  /** where downloads and the index live, for `--mount=type=cache` (CL201) */
  cacheMounts?: CacheMount[];
  /** shell that makes the manager keep its downloads so the cache mount fills (base images delete them) */
  keepDownloads?: string;
  /** what deletes or bypasses what the cache mount holds (CL202); `rm` of a mounted path always counts */
  cacheCleanups?: CacheCleanups;
}

const apt = ['apt-get', 'apt'];

export const SYSTEM_PACKAGE_MANAGERS: SystemPackageManager[] = [
  {
    id: 'apt',
    name: 'APT',
    indexUpdate: [{ tools: apt, subcommands: ['update'] }],
    // NodeSource's setup_N.x and packagecloud's script.deb.sh run `apt-get update` after adding their repository
    indexUpdateScripts:
      /^https?:\/\/(deb\.nodesource\.com\/setup_|packagecloud\.io\/install\/repositories\/.*\/script\.deb\.sh)/,
    usesIndex: [
      {
        tools: apt,
        subcommands: [
          'install',
          'upgrade',
          'dist-upgrade',
          'full-upgrade',
          'build-dep',
          'source',
          'download',
          'satisfy',
        ],
      },
    ],
    downloads: [{ tools: apt, subcommands: ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep'] }],
    cacheMounts: [
      { target: '/var/cache/apt', sharing: 'locked' },
      { target: '/var/lib/apt', sharing: 'locked' },
    ],
    indexRemoved: /rm\s+(-\w+\s+)*\/var\/lib\/apt\/lists/,
    keepDownloads: `rm -f /etc/apt/apt.conf.d/docker-clean; echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache`,
    cacheCleanups: { commands: [{ tools: apt, subcommands: ['clean', 'autoclean'] }] },
  },
  {
    id: 'apk',
    name: 'apk',
    // `apk add --update` (-U, --update-cache) refreshes the index before installing
    indexUpdate: [
      { tools: ['apk'], subcommands: ['update'] },
      { tools: ['apk'], subcommands: ['add', 'upgrade'], requireFlagsAnyOf: ['--update', '-U', '--update-cache'] },
    ],
    usesIndex: [{ tools: ['apk'], subcommands: ['add', 'upgrade', 'fix', 'fetch'], notFlags: ['--no-cache'] }],
    downloads: [],
  },
  {
    id: 'dnf',
    name: 'DNF / Yum',
    indexUpdate: [{ tools: ['dnf', 'yum', 'microdnf', 'tdnf'], subcommands: ['makecache'] }],
    usesIndex: [
      {
        tools: ['dnf', 'yum', 'microdnf', 'tdnf'],
        subcommands: ['install', 'update', 'upgrade', 'groupinstall', 'reinstall', 'builddep'],
      },
    ],
    downloads: [],
  },
  {
    id: 'zypper',
    name: 'zypper',
    indexUpdate: [{ tools: ['zypper'], subcommands: ['refresh', 'ref'] }],
    usesIndex: [{ tools: ['zypper'], subcommands: ['install', 'in', 'update', 'up', 'dist-upgrade', 'dup'] }],
    downloads: [],
  },
];

export function systemManagerFor(
  command: SimpleCommand,
  pick: (m: SystemPackageManager) => CommandPattern[],
): SystemPackageManager | undefined {
  return SYSTEM_PACKAGE_MANAGERS.find((m) => pick(m).some((p) => matchesCommand(p, command)));
}

/** The RUN pipes a known repository-setup script of this manager into a shell, which refreshes the index. */
export function runsIndexUpdateScript(commands: readonly SimpleCommand[], manager: SystemPackageManager): boolean {
  const re = manager.indexUpdateScripts;
  if (!re) return false;
  return commands.some(
    (c, i) =>
      (c.argv[0] === 'curl' || c.argv[0] === 'wget') &&
      c.argv.some((w) => re.test(w)) &&
      ['bash', 'sh', 'sudo'].includes(commands[i + 1]?.argv[0] ?? ''),
  );
}
