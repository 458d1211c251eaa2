// A function of a text computed once per text: a bounded memo, emptied when
// full, for what is asked again on every keystroke about texts that mostly did
// not change (a RUN script, an ignore-file line, a path). Its answers are
// shared: callers must not change them.

export function perText<T>(compute: (text: string) => T, max = 512): (text: string) => T {
  const kept = new Map<string, T>();
  return (text) => {
    if (kept.has(text)) return kept.get(text) as T;
    const value = compute(text);
    if (kept.size >= max) kept.clear();
    kept.set(text, value);
    return value;
  };
}
