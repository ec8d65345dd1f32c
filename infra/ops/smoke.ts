import { parseArgs } from 'node:util';
import { type CheckResult, runChecks } from './smoke/checks.ts';
import { defaultOutputsFile, OperatorError, stackOutput } from './stack-outputs.ts';

const usage = `Usage: npm run smoke -- [--api URL] [--token TOKEN] [--origin ORIGIN] [--outputs FILE]

Checks a deployed (or local) API after a deploy, one line per check: health and its settings, the
OpenAPI document, a CORS preflight, an anonymous search, that protected routes refuse anonymous
callers, that the Stripe webhook verifies signatures, and with a token that a signed-in user reads
their orders.

  --api URL        The API (default: env MARKETPLACE_API_URL, else the ApiUrl output in --outputs)
  --token TOKEN    A signed-in buyer's ID token (default: env MARKETPLACE_TOKEN, which keeps it out
                   of your shell history and the process list); without one those checks are skipped
  --origin ORIGIN  The Origin of the preflight, one of the stack's corsAllowOrigins (default
                   https://smoke-check.example, allowed when corsAllowOrigins is *)
  --outputs FILE   The outputs cdk deploy wrote (default ${defaultOutputsFile})

Exit status: 0 every check passed, 1 a check failed, 2 wrong command line.`;

const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

async function apiUrl(given: string | undefined, outputsFile: string | undefined): Promise<string> {
  const value = given ?? (process.env.MARKETPLACE_API_URL || (await stackOutput('ApiUrl', outputsFile)));
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new OperatorError(`--api ${value} is not an http(s) URL`);
  }
  return value.replace(/\/+$/, '');
}

const line = ({ name, passed, reason }: CheckResult) => `${passed ? 'pass' : 'FAIL'}  ${name}: ${reason}\n`;

async function main(argv: readonly string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: {
        api: { type: 'string' },
        token: { type: 'string' },
        origin: { type: 'string' },
        outputs: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(`${usage}\n`);
      return exitCodes.ok;
    }
    if (positionals.length > 0) throw new OperatorError(`unexpected ${positionals.join(' ')}`);
    const api = await apiUrl(values.api, values.outputs);
    const token = values.token ?? (process.env.MARKETPLACE_TOKEN || undefined);
    process.stdout.write(`Smoke checks of ${api}${token ? '' : ' (no token: signed-in checks skipped)'}\n`);
    const results = await runChecks(
      { api, origin: values.origin ?? 'https://smoke-check.example', ...(token ? { token } : {}) },
      (result) => process.stdout.write(line(result)),
    );
    const failed = results.filter((result) => !result.passed).length;
    process.stdout.write(
      failed === 0
        ? `All ${results.length} checks passed.\n`
        : `${failed} of ${results.length} checks failed.\n`,
    );
    return failed === 0 ? exitCodes.ok : exitCodes.failed;
  } catch (error) {
    if (
      !(error instanceof OperatorError) &&
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') !== true
    ) {
      throw error;
    }
    process.stderr.write(`Error: ${(error as Error).message}\n\n${usage}\n`);
    return exitCodes.usage;
  }
}

process.exitCode = await main(process.argv.slice(2));
