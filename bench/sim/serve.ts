// `node dist/simulator.js [--port P] [--speed S] [--seed N]`: runs the DESIGN §8 simulator until
// stopped, printing its URL as the first line of stdout (npm run demo reads it).
import { parseArgs } from 'node:util';
import { startSimulator } from './simulator';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, speed: { type: 'string' }, seed: { type: 'string' } },
    strict: true,
  });
  const num = (v: string | undefined, name: string, fallback: number) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} takes a number`);
    return n;
  };
  const sim = await startSimulator({ port: num(values.port, 'port', 0), speed: num(values.speed, 'speed', 1), seed: num(values.seed, 'seed', 1) });
  process.stdout.write(`${sim.url}\n`);
  process.stderr.write(`simulator: a simulated OpenAI-compatible server (not a language model) at ${sim.url}; models sim-instant, sim-reasoning, sim-agentic\n`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  process.stderr.write(`simulator: ${e instanceof Error ? e.message : e}\n`);
  process.exit(2);
});
