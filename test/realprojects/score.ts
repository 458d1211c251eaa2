// Precision and recall per rule from the labels of the real-project suite.
import type { WarningLabel } from './harness';

export interface RuleScore {
  rule: string;
  right: number;
  wrong: number;
  debatable: number;
  missed: number;
  fired: number;
  /** right / fired (debatable counts against) */
  precision: number;
  /** right / (right + missed) */
  recall: number;
}

function score(rule: string, ls: readonly WarningLabel[]): RuleScore {
  const n = (v: string) => ls.filter((l) => l.verdict === v).length;
  const right = n('right');
  const wrong = n('wrong');
  const debatable = n('debatable');
  const missed = n('missed');
  const fired = right + wrong + debatable;
  return {
    rule,
    right,
    wrong,
    debatable,
    missed,
    fired,
    precision: fired ? right / fired : 1,
    recall: right + missed ? right / (right + missed) : 1,
  };
}

export function scoreLabels(labels: readonly WarningLabel[]): { rules: RuleScore[]; total: RuleScore } {
  const rules = [...new Set(labels.map((l) => l.rule))].sort().map((r) =>
    score(
      r,
      labels.filter((l) => l.rule === r),
    ),
  );
  return { rules, total: score('all', labels) };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function formatScores(s: { rules: RuleScore[]; total: RuleScore }): string {
  const rows = [...s.rules, s.total].map(
    (r) =>
      `| ${r.rule} | ${r.fired} | ${r.right} | ${r.wrong} | ${r.debatable} | ${r.missed} | ${pct(r.precision)} | ${pct(r.recall)} |`,
  );
  return [
    '| rule | fired | right | wrong | debatable | missed | precision | recall |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
