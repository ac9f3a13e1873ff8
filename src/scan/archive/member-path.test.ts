import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanPaths } from '../index.js';
import { memberPathProblem } from './member-path.js';

const testdata = join(import.meta.dirname, 'testdata');
const rulesOf = async (file: string) => {
  const report = await scanPaths([join(testdata, file)]);
  return report.findings.map((finding) => `${finding.ruleId} ${finding.evidence}`);
};

describe('archive member names and types (testdata/generate.py)', () => {
  it('flags climbing, absolute, backslash, control-character and overlong names', async () => {
    expect((await rulesOf('climbing.tar')).join('\n')).toMatch(
      /unsafe-member-path .*\.\.\/\.\.\/etc\/cron\.d\/evil.*climbs out/,
    );
    expect((await rulesOf('absolute.tar')).join('\n')).toMatch(/unsafe-member-path .*\/etc\/passwd.*absolute/);
    expect((await rulesOf('slip.zip')).join('\n')).toMatch(/unsafe-member-path .*windows.*climbs out/);
    const controls = (await rulesOf('control-chars.zip')).join('\n');
    expect(controls).toMatch(/control character/);
    expect(controls).toMatch(/2004 characters long/);
  });

  it('flags links, devices and FIFOs in tar archives, and nothing in a clean one', async () => {
    const special = (await rulesOf('special.tar')).filter((line) => line.startsWith('archive.special-member'));
    expect(special.join('\n')).toMatch(/symbolic link → "\/etc\/shadow"/);
    expect(special.join('\n')).toMatch(/hard link/);
    expect(special.join('\n')).toMatch(/FIFO/);
    expect(special.join('\n')).toMatch(/character device/);
    expect((await rulesOf('special.tar')).join('\n')).toMatch(/unsafe-member-path .*\/etc\/shadow.*absolute/);
    expect(await rulesOf('clean.tar')).toEqual([]);
  });

  it('memberPathProblem', () => {
    expect(memberPathProblem('model/weights.bin')).toBeUndefined();
    expect(memberPathProblem('a\u0000b')).toMatch(/NUL/);
    expect(memberPathProblem('C:\\x')).toMatch(/absolute/);
    expect(memberPathProblem('a/../../b')).toMatch(/climbs/);
  });
});
