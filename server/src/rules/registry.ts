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
import CL101 from './CL101-missing-dockerignore';
import CL102 from './CL102-context-includes-volatile-path';
import CL103 from './CL103-root-anchored-pattern';
import CL104 from './CL104-copy-source-ignored';
import CL105 from './CL105-manifest-ignored';
import CL106 from './CL106-pattern-matches-nothing';
import CL107 from './CL107-ignore-syntax-trap';
import CL108 from './CL108-ignore-file-shadowed';
import CL109 from './CL109-copy-source-missing';
import CL304 from './CL304-cross-stage-copy-without-link';
import CL303 from './CL303-copy-whole-stage';

export const RULES: readonly Rule[] = [
  CL001,
  CL002,
  CL901,
  CL902,
  CL003,
  CL004,
  CL201,
  CL203,
  CL301,
  CL302,
  CL202,
  CL204,
  CL006,
  CL005,
  CL101,
  CL102,
  CL103,
  CL104,
  CL105,
  CL106,
  CL107,
  CL108,
  CL109,
  CL304,
  CL303,
  // code-point order: the ids are CL and three digits (localeCompare would wake ICU at start)
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id.toUpperCase());
}
