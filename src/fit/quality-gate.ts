// Refuse to size from a fit whose held-out error is above what the user accepts.
import {badInput} from '../errors/errors.js';
import type {FittedModel} from './types.js';

/**
 * Whether the model's cross-validated MAPE is within `boundPercent`. Outside it this throws (exit 3) unless
 * `force`, in which case it returns false so the caller can warn that the fit is being used anyway.
 */
export function checkFitQuality(model: FittedModel, boundPercent: number, force = false): boolean {
  if (model.quality.cvMape <= boundPercent) return true;
  if (force) return false;
  throw badInput(
    `The ${model.form} fit has a cross-validated MAPE of ${model.quality.cvMape.toFixed(1)}%, above the ${boundPercent}% bound (${model.quality.points} points).`,
    'Profile more points where the fit is least certain, raise the bound, or pass --force to use this fit anyway.',
    'E_FIT_QUALITY',
  );
}
