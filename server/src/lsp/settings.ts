// Settings pulled per resource with workspace/configuration and cached per URI,
// cleared on didChangeConfiguration (as in the lsp-sample).
import type { Connection } from 'vscode-languageserver/node';
import type { RuleSetting } from '../engine/lint';
import type { ContextMapping } from '../context/resolve';

export interface Settings {
  enable: boolean;
  run: 'onType' | 'onSave';
  rules: Record<string, RuleSetting>;
  contexts: ContextMapping[];
  trace: 'off' | 'messages' | 'verbose';
  /** fix-all also applies fixes that change what is built (a new builder stage) */
  unsafeFixes: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  run: 'onType',
  rules: {},
  contexts: [],
  trace: 'off',
  unsafeFixes: false,
};
const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);

export function normalizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const rules: Record<string, RuleSetting> = {};
  if (r.rules && typeof r.rules === 'object') {
    for (const [id, v] of Object.entries(r.rules as Record<string, unknown>))
      if (typeof v === 'string' && SEVERITIES.has(v)) rules[id.toUpperCase()] = v as RuleSetting;
  }
  const contexts = Array.isArray(r.contexts)
    ? (r.contexts as unknown[]).filter(
        (c): c is ContextMapping =>
          !!c &&
          typeof (c as ContextMapping).dockerfile === 'string' &&
          typeof (c as ContextMapping).context === 'string',
      )
    : [];
  return {
    enable: r.enable !== false,
    run: r.run === 'onSave' ? 'onSave' : 'onType',
    rules,
    contexts,
    trace: r.trace === 'messages' || r.trace === 'verbose' ? r.trace : 'off',
    unsafeFixes: r.unsafeFixes === true,
  };
}

export class SettingsCache {
  private cache = new Map<string, Promise<Settings>>();
  constructor(
    private connection: Connection,
    private supported: () => boolean,
  ) {}

  get(uri: string): Promise<Settings> {
    if (!this.supported()) return Promise.resolve(DEFAULT_SETTINGS);
    let s = this.cache.get(uri);
    if (!s) {
      s = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'cachelens' })
        .then(normalizeSettings, () => DEFAULT_SETTINGS);
      this.cache.set(uri, s);
    }
    return s;
  }

  clear(uri?: string): void {
    if (uri) this.cache.delete(uri);
    else this.cache.clear();
  }
}
