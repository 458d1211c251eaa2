// Every rule, in id order. Adding a rule is a new file plus one line here.
import type { Rule } from './rule';
import CL001 from './CL001-source-copied-before-install';
import CL002 from './CL002-install-after-unrelated-copy';
import CL901 from './CL901-unknown-suppression';
import CL902 from './CL902-unused-suppression';
import CL003 from './CL003-volatile-arg-early';
import CL004 from './CL004-package-index-update-alone';
import CL201 from './CL201-missing-cache-mount';
import CL203 from './CL203-non-reproducible-install';
import CL301 from './CL301-build-tools-in-final-image';
import CL302 from './CL302-build-after-production-install';
import CL202 from './CL202-cache-cleanup-with-mount';
import CL204 from './CL204-permission-change-layer';
import CL006 from './CL006-floating-base-image';
import CL005 from './CL005-unpinned-remote-input';

export const RULES: readonly Rule[] = [CL001, CL002, CL901, CL902, CL003, CL004, CL201, CL203, CL301, CL302, CL202, CL204, CL006, CL005].sort((a, b) => a.id.localeCompare(b.id));

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id.toUpperCase());
}
