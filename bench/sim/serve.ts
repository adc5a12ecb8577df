// `node dist/simulator.js [--port P] [--speed S] [--seed N] [--demo]`: runs the DESIGN §8 simulator
// until stopped, printing its URL as the first line of stdout (npm run demo reads it). --demo streams
// at the demo's brisk pace (DEMO_PACE) instead of §8's 50 tokens/s; the replies are the same.
import { parseArgs } from 'node:util';
import { DEMO_PACE } from './model';
import { startSimulator } from './simulator';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, speed: { type: 'string' }, seed: { type: 'string' }, demo: { type: 'boolean' } },
    strict: true,
  });
  const num = (v: string | undefined, name: string, fallback: number) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} takes a number`);
    return n;
  };
  const sim = await startSimulator({ port: num(values.port, 'port', 0), speed: num(values.speed, 'speed', 1), seed: num(values.seed, 'seed', 1), ...(values.demo ? { pace: DEMO_PACE } : {}) });
  process.stdout.write(`${sim.url}\n`);
  process.stderr.write(
    `simulator: a simulated OpenAI-compatible server (not a language model) at ${sim.url}; models sim-instant, sim-reasoning, sim-agentic; ` +
      `pace ${sim.pace.tokensPerSecond} tokens/s, first token after ${sim.pace.firstTokenMs} ms${values.demo ? ' (demo pace)' : ''}\n`,
  );
  const stop = () => void sim.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  process.stderr.write(`simulator: ${e instanceof Error ? e.message : e}\n`);
  process.exit(2);
});
