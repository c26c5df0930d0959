// The embedding-drift command line: the same core as the extension, headless.
const HELP = `embedding-drift: compare two embedding configurations on your own corpus

Usage: embedding-drift <command> [options]

Commands:
  compare     run a comparison and write report.json and report.html
  --help      show this help
`;

function main(argv: string[]): number {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  process.stderr.write(`embedding-drift: unknown command "${argv[0]}" (see --help)\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
