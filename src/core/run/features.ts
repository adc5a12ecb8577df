// A query's features as a plain sparse vector (DESIGN §3.2): the router computes them (router/), the
// effort predictor learns from them (effort/), and neither may import the other, so the shape they
// share lives here. Indices are the router's feature indices; the engine and the editor copy them out
// of the router's reused buffers.
export interface SparseFeatures {
  readonly index: readonly number[];
  readonly value: readonly number[];
}
