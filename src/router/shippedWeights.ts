// Only model.ts requires this, lazily. The static JSON import is what makes tsc copy weights.json
// next to the compiled code and lets esbuild inline it in the bundles.
import weights from './weights.json';
import type { WeightsFile } from './model';

export default weights as unknown as WeightsFile;
