// The router's public surface (DESIGN §3.1). Importing it has no side effects beyond building
// small lookup tables; the model's weights load on the first decision.
export { decide, explainRoute, clampEffort, costWeight, expectedSuccess, MODE_COST, WEAK_SUCCESS, LAMBDA_AT_DEFAULT, EFFORT_EXPONENT } from './decide';
export type { DecideOptions, RouteExplanation, Contribution } from './decide';
export { LocalRouter, routeContextOf, countLines } from './router';
export type { RouterOptionsSource } from './router';
export { extractFeatures, createFeatureVector, firedSignals, signalLabel, SIGNALS, HASH_SIZE, DIM } from './features';
export type { RouteContext, RouteSource, FeatureVector, FeatureExplanation, HashedToken } from './features';
export { MODES, shippedModel } from './model';
