// parse/limits.ts: what cachelens will not parse, found without running dockerfile-ast.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  longestInstruction,
  tooLargeToAnalyse,
  MAX_INSTRUCTION_CHARS,
  MAX_DOCUMENT_CHARS,
} from '../../server/src/parse/limits';
import { lint } from '../../server/src/engine/lint';

describe('longestInstruction', () => {
  it('measures one-line instructions from their first character to the end of the line', () => {
    assert.deepEqual(longestInstruction('FROM a\nRUN echo hello\n'), { line: 1, chars: 'RUN echo hello'.length });
  });
  it('joins continuation lines, with comment and empty lines inside the continuation', () => {
    const text = 'FROM a\nRUN a \\\n# note\n\n  && b \\\n  && c\nCMD x\n';
    assert.deepEqual(longestInstruction(text), { line: 1, chars: 'RUN a \\\n# note\n\n  && b \\\n  && c'.length });
  });
  it('honours the escape directive', () => {
    const text = '# escape=`\nFROM a\nRUN a `\n  && b\nRUN c \\\n';
    assert.deepEqual(longestInstruction(text), { line: 2, chars: 'RUN a `\n  && b'.length });
  });
  it('counts heredoc bodies up to their terminator (<<- allows leading tabs)', () => {
    const text = 'FROM a\nRUN <<EOF\none\ntwo\nthree\nEOF\nCOPY <<-"X" /f\n\tbody\n\tX\nCMD y\n';
    assert.deepEqual(longestInstruction(text), { line: 1, chars: 'RUN <<EOF\none\ntwo\nthree\nEOF'.length });
    assert.deepEqual(longestInstruction('FROM a\nCOPY <<-"X" /f\n\tbody\n\tX\nCMD y\n'), {
      line: 1,
      chars: 'COPY <<-"X" /f\n\tbody\n\tX'.length,
    });
  });
  it('an unterminated heredoc runs to the end of the file, as dockerfile-ast reads it', () => {
    const text = 'FROM a\nRUN <<EOF\none\nCMD two\n';
    assert.deepEqual(longestInstruction(text), { line: 1, chars: 'RUN <<EOF\none\nCMD two\n'.length });
  });
  it('`<<` in an instruction that takes no heredoc is text', () => {
    assert.deepEqual(longestInstruction('LABEL a=<<X\nCMD y\n'), { line: 0, chars: 'LABEL a=<<X'.length });
  });
});

describe('tooLargeToAnalyse', () => {
  it('accepts ordinary files, long ones included', () => {
    assert.equal(tooLargeToAnalyse('FROM a\n' + 'RUN echo x\n'.repeat(20_000)), undefined);
  });
  it('refuses one physical line over the limit, naming the line', () => {
    const why = tooLargeToAnalyse('FROM a\n\nRUN ' + 'echo a && '.repeat(MAX_INSTRUCTION_CHARS / 10) + 'true\n');
    assert.match(why ?? '', /the instruction on line 3 has [\d,]+ characters, more than the 65,536 cachelens analyses/);
  });
  it('refuses an instruction over the limit made of short continuation lines', () => {
    assert.match(
      tooLargeToAnalyse('FROM a\nRUN true \\\n' + '  && echo a \\\n'.repeat(6000) + '  && true\n') ?? '',
      /line 2/,
    );
  });
  it('refuses a heredoc body over the limit', () => {
    assert.match(tooLargeToAnalyse('FROM a\nRUN <<EOF\n' + 'echo a\n'.repeat(10_000) + 'EOF\n') ?? '', /line 2/);
  });
  it('refuses a document over the size limit', () => {
    assert.match(
      tooLargeToAnalyse('RUN x\n'.repeat(MAX_DOCUMENT_CHARS / 6 + 1)) ?? '',
      /more than the 1,048,576 cachelens analyses/,
    );
  });
  it('asking again about the same text gives the same answer; another text gets its own', () => {
    const huge = 'FROM a\nRUN ' + 'echo a && '.repeat(10_000) + 'true\n';
    const fine = 'FROM a\n' + 'RUN echo x\n'.repeat(10_000);
    assert.match(tooLargeToAnalyse(huge) ?? '', /line 2/);
    assert.match(tooLargeToAnalyse(huge) ?? '', /line 2/);
    assert.equal(tooLargeToAnalyse(fine), undefined);
    assert.match(tooLargeToAnalyse(huge) ?? '', /line 2/);
  });
  it('lint() of a refused text returns no findings and says why, quickly', () => {
    const text = 'FROM node:20\nCOPY . .\nRUN ' + 'npm ci && '.repeat(30_000) + 'true\n';
    const r = lint({ path: '/ws/Dockerfile', text });
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.model.instructions, []);
    assert.match(r.skipped ?? '', /line 3/);
  });
});
