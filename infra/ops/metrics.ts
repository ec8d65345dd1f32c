import { runMetricsCli } from './metrics/cli.ts';

/** The operator metrics as a table: `npm run --silent metrics -- --help`. */
process.exitCode = await runMetricsCli(process.argv.slice(2));
