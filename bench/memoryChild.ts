// Child process of the memory figure when the built CLI cannot run: one compare() of a
// configuration file, printing the chunk counts as JSON. Usage: memoryChild.ts CONFIG CACHE_DIR
import { loadConfig } from '../src/core/config';
import { compare } from '../src/core/pipeline/compare';

async function main(): Promise<void> {
  const [configFile, cacheDir] = process.argv.slice(2);
  if (!configFile || !cacheDir) throw new Error('usage: memoryChild.ts CONFIG CACHE_DIR');
  const session = await compare(await loadConfig(configFile), { cacheDir, allowNetwork: false });
  console.log(JSON.stringify({ chunks: session.report.chunks, timings: session.report.timings }));
  await session.dispose();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
