// Only model.ts requires this, lazily. The static JSON import is what makes tsc copy weights.json
// next to the compiled code and lets esbuild inline it in the bundles.
import weights from './weights.json';

// Typed as WeightsFile by model.ts, which requires this file (importing the type here would be a cycle).
export default weights as unknown;
