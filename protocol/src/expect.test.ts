import { describe, expect, it } from 'vitest';
import { unmetExpectation } from './expect';

describe('unmetExpectation', () => {
  it('holds exit codes, nonzero exits and stops', () => {
    expect(unmetExpectation({ exit: 0 }, { code: 0, output: '' })).toBeUndefined();
    expect(unmetExpectation({ exit: 0 }, { code: 1, output: '' })).toBe('expected exit 0, got 1');
    expect(unmetExpectation({ exit: 'nonzero' }, { code: 3, output: '' })).toBeUndefined();
    expect(unmetExpectation({ exit: 'nonzero' }, { code: 0, output: '' })).toMatch(/got 0/);
    expect(unmetExpectation({ exit: 'nonzero' }, { code: null, reason: 'time-limit', output: '' })).toMatch(
      /time-limit/,
    );
    expect(
      unmetExpectation({ stopped: 'time-limit' }, { code: null, reason: 'time-limit', output: '' }),
    ).toBeUndefined();
    expect(unmetExpectation({ stopped: 'time-limit' }, { code: 0, output: '' })).toMatch(
      /exited with code 0/,
    );
  });

  it('matches the output as a regular expression, ignoring colours', () => {
    const run = { code: 0, output: 'answered in \x1b[33m830\x1b[39m ms\n' };
    expect(unmetExpectation({ exit: 0, output: 'answered in \\d+ ms' }, run)).toBeUndefined();
    expect(unmetExpectation({ exit: 0, output: '^never$' }, run)).toMatch(/match/);
  });
});
