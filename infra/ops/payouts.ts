import { runCli } from './payouts/cli.ts';

/** The finance CLI for payout runs: `npm run --silent payouts -- --help`. */
const interrupted = new AbortController();
// The first Ctrl-C stops what the CLI waits for (a watch stops, the run goes on); a second one kills it.
process.once('SIGINT', () => interrupted.abort());
process.exitCode = await runCli(process.argv.slice(2), { signal: interrupted.signal });
