// The router's features of a query (DESIGN §3.1), copied out of its reused buffers into the plain
// sparse vector effort/'s length predictor reads (effort/ may not import router/). One extraction is
// a single pass over at most MAX_SCAN characters, cheap beside a model call.
import type { SparseFeatures } from '../core/run/features';
import type { RunRequest } from '../core/run/request';
import { createFeatureVector, extractFeatures } from '../router/features';
import { routeContextOf } from '../router/router';

const scratch = createFeatureVector();

/** The features the router reads for `request` (its query and context). */
export function requestFeatures(request: RunRequest): SparseFeatures {
  return copy(extractFeatures(request.query, routeContextOf(request), scratch));
}

/** The features of a bare goal (a spawned child's subtask, the sidebar's draft). */
export function textFeatures(text: string): SparseFeatures {
  return copy(extractFeatures(text, {}, scratch));
}

function copy(fv: ReturnType<typeof createFeatureVector>): SparseFeatures {
  return { index: Array.from(fv.index.subarray(0, fv.length)), value: Array.from(fv.value.subarray(0, fv.length)) };
}
