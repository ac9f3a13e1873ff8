import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { exitCodes } from '../../contracts/index.js';
import { CliError } from '../errors.js';
import { RegistryClient } from '../http.js';
import { type Io, versionTarget } from './shared.js';
import { readText } from './sign.js';

interface ComplianceFlags {
  readonly server: string;
  readonly tokenEnv: string;
  readonly alias: string;
  readonly policy?: string[];
  readonly format: string;
  readonly output?: string;
  readonly pdf?: string;
  readonly chromium: string;
}

export function registerReport(program: Command, io: Io): void {
  const report = program.command('report').description('reports for auditors: compliance of a registry version');

  report
    .command('compliance')
    .description('map a version’s evidence to OWASP, MITRE ATLAS, NIST AI RMF and EU AI Act controls')
    .argument('<model@version>', 'the registry version to report on')
    .requiredOption('--server <url>', 'the registry server')
    .option('--token-env <var>', 'environment variable holding the API token', 'MLSECOPS_TOKEN')
    .option('--alias <name>', 'the alias the version is gated for', 'production')
    .option('--policy <files...>', 'policies to evaluate besides the shipped packs (file or pack:<name>)')
    .option('--format <format>', 'html or json', 'html')
    .option('--output <file>', 'write the report here (default: standard output)')
    .option('--pdf <file>', 'also print the HTML report to PDF with Chromium')
    .option('--chromium <path>', 'Chromium for --pdf', process.env.MLSECOPS_CHROMIUM ?? '/usr/bin/chromium')
    .action(async (target: string, flags: ComplianceFlags) => {
      if (flags.format !== 'html' && flags.format !== 'json') {
        throw new CliError('BAD_ARGUMENTS', `--format takes html or json, not ${flags.format}`);
      }
      const [{ assembleCompliance }, { renderComplianceHtml }, { loadPolicy, PolicyError }] = await Promise.all([
        import('../compliance/assemble.js'),
        import('../render/compliance-html.js'),
        import('../../policy/index.js'),
      ]);
      const parsed = versionTarget(target);
      if (!parsed) throw new CliError('BAD_ARGUMENTS', `expected <model>@<version>, got ${target}`);
      const extra = await Promise.all(
        (flags.policy ?? []).map((reference) =>
          loadPolicy(reference).catch((error: unknown) => {
            if (error instanceof PolicyError) throw new CliError('BAD_ARGUMENTS', error.message);
            throw error;
          }),
        ),
      );
      const client = RegistryClient.fromFlags(flags, io.env);
      const data = await assembleCompliance(client, parsed, { alias: flags.alias, extra });
      const html = renderComplianceHtml(data);
      const text = flags.format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : html;
      if (flags.output) await writeFile(flags.output, text);
      else io.stdout.write(text);
      if (flags.pdf) await printPdf(html, flags.pdf, flags.chromium);
      const unmet = data.frameworks.reduce((sum, framework) => sum + framework.counts['not-met'], 0);
      for (const { id, counts } of data.frameworks) {
        io.stderr.write(`${id}: ${counts.met} met, ${counts['not-met']} not met, ${counts.gap} without evidence\n`);
      }
      io.setExitCode(unmet > 0 ? exitCodes.findings : exitCodes.clean);
    });

  report
    .command('verify')
    .description('check a compliance report offline against the audit log it quotes')
    .argument('<file>', 'a compliance report (HTML or JSON)')
    .option('--key <pem>', 'the audit checkpoint public key, obtained out of band')
    .action(async (file: string, flags: { key?: string }) => {
      const [{ readComplianceData }, { verifyCompliance }] = await Promise.all([
        import('../render/compliance-html.js'),
        import('../compliance/verify.js'),
      ]);
      let data: unknown;
      try {
        data = readComplianceData(await readFile(file, 'utf8'));
      } catch (error) {
        throw new CliError('BAD_ARGUMENTS', `${file} is not a compliance report: ${(error as Error).message}`);
      }
      if (!isComplianceReport(data)) throw new CliError('BAD_ARGUMENTS', `${file} is not a compliance report`);
      const verdict = verifyCompliance(data, flags.key ? await readText(flags.key) : undefined);
      for (const line of verdict.checked) io.stdout.write(`ok: ${line}\n`);
      for (const line of verdict.problems) io.stdout.write(`FAILED: ${line}\n`);
      io.stdout.write(verdict.ok ? 'verified\n' : 'NOT VERIFIED\n');
      io.setExitCode(verdict.ok ? exitCodes.clean : exitCodes.findings);
    });
}

function isComplianceReport(value: unknown): value is import('../compliance/assemble.js').ComplianceReport {
  const report = value as { kind?: unknown; audit?: { entries?: unknown }; records?: unknown; decisions?: unknown };
  return (
    typeof value === 'object' &&
    value !== null &&
    report.kind === 'compliance' &&
    Array.isArray(report.audit?.entries) &&
    Array.isArray(report.records) &&
    Array.isArray(report.decisions)
  );
}

/** Prints the page with headless Chromium (no network: the page is self-contained). */
async function printPdf(html: string, out: string, chromium: string): Promise<void> {
  const { chromium: launcher } = await import('playwright-core').catch(() => {
    throw new CliError('BAD_ARGUMENTS', '--pdf needs the playwright-core package');
  });
  const browser = await launcher
    .launch({
      executablePath: chromium,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
    .catch((error: Error) => {
      throw new CliError(
        'BAD_ARGUMENTS',
        `cannot start Chromium at ${chromium} for --pdf: ${error.message.split('\n')[0]}`,
      );
    });
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent(html, { waitUntil: 'load' });
    await page.pdf({
      path: out,
      format: 'A4',
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    });
  } finally {
    await browser.close();
  }
}
