import { parseArgs } from 'node:util';
import { answersFrom, Interrupted } from './configure/answers.ts';
import { AwsCallFailed, configureStripe, stripeQuestionsHelp } from './configure/stripe.ts';
import { defaultOutputsFile, OperatorError } from './stack-outputs.ts';

const usage = `Usage: npm run configure -- stripe [--secret-id ARN] [--outputs FILE]

Puts the Stripe keys into the deployed stack's Stripe secret, keeping its other fields. At a
terminal it asks for each without showing what you type or paste; piped, it reads one line each, in
this order (an empty answer keeps the current value, if valid):
${stripeQuestionsHelp.join('\n')}
Values are never taken from the command line, where they would stay in your shell history.

  --secret-id ARN   The secret (its ARN or name): the stack output StripeSecretArn
  --outputs FILE    Where to find that output otherwise (default ${defaultOutputsFile}, which cdk deploy writes)

AWS credentials and region come from the usual settings (AWS_PROFILE, AWS_REGION, …); the region of
an ARN is used when none is set. The caller needs secretsmanager:GetSecretValue and PutSecretValue.

Exit status: 0 stored, 2 wrong command line or a value of the wrong shape (nothing changed),
3 the secret could not be read or written, 130 interrupted.`;

const exitCodes = { ok: 0, usage: 2, failed: 3, interrupted: 130 } as const;

function fail(message: string, code: number): number {
  process.stderr.write(`${message}\n`);
  return code;
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return fail(`Error: ${(error as Error).message}\n\n${usage}`, exitCodes.usage);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return exitCodes.ok;
  }
  if (positionals.length !== 1 || positionals[0] !== 'stripe') return fail(usage, exitCodes.usage);
  try {
    await configureStripe(
      {
        ...(values['secret-id'] ? { secretId: values['secret-id'] } : {}),
        ...(values.outputs ? { outputsFile: values.outputs } : {}),
      },
      answersFrom(process.stdin, process.stderr),
      process.stdout,
    );
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof OperatorError) return fail(`Error: ${error.message}`, exitCodes.usage);
    if (error instanceof AwsCallFailed) return fail(`Error: ${error.message}`, exitCodes.failed);
    if (error instanceof Interrupted) return fail('Interrupted; nothing was changed.', exitCodes.interrupted);
    throw error;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      'secret-id': { type: 'string' },
      outputs: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
}

process.exitCode = await main(process.argv.slice(2));
