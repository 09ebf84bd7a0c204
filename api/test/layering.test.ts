import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import { ESLint } from 'eslint';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CODE = ['api/src', 'web', 'scripts', 'seeds', 'bench'];

function describeViolation(v: IViolation): string {
  const via = v.cycle && v.cycle.length > 0 ? ` (via ${v.cycle.map((step) => step.name).join(' → ')})` : '';
  return `${v.rule.name}: ${v.from} → ${v.to}${via}`;
}

describe('the code base layering and file rules', function () {
  this.timeout(120_000);

  it('when the source tree is cruised with .dependency-cruiser.cjs, then no layering rule is broken', async () => {
    const previous = process.cwd();
    process.chdir(ROOT);
    try {
      const { default: config } = (await import(path.join(ROOT, '.dependency-cruiser.cjs'))) as {
        default: { forbidden: NonNullable<ICruiseOptions['ruleSet']>['forbidden']; options: ICruiseOptions };
      };
      const result = await cruise(CODE, { ...config.options, ruleSet: { forbidden: config.forbidden } });
      const output = result.output as ICruiseResult;
      expect(output.summary.totalCruised, 'modules cruised').to.be.greaterThan(100);
      expect(output.summary.violations.map(describeViolation), 'broken layering rules').to.deep.equal([]);
    } finally {
      process.chdir(previous);
    }
  });

  it('when ESLint checks every source and test file, then it reports no problem (max-lines 400 for source among them)', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const results = await eslint.lintFiles(['.']);
    expect(results.length, 'files linted').to.be.greaterThan(100);
    const problems = results.flatMap((r) => r.messages.map((m) => `${path.relative(ROOT, r.filePath)}:${m.line} ${m.ruleId ?? 'parse'}: ${m.message}`));
    expect(problems, 'ESLint problems').to.deep.equal([]);
  });
});
