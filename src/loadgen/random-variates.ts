// Continuous random variates drawn from a seeded uniform source (src/util/hash.ts), so arrival schedules are
// reproducible from a seed.

/** Standard normal variates by Box-Muller; each pair of uniforms yields two variates, the second kept for the next call. */
export function normalSampler(uniform: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    // 1 - u lies in (0, 1], keeping the logarithm finite.
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/**
 * Gamma(shape, scale = 1) variates by Marsaglia and Tsang's squeeze method (2000). Shapes below 1 draw
 * Gamma(shape + 1) and multiply by U^(1/shape), the standard boost, since the method itself needs shape >= 1.
 */
export function gammaSampler(uniform: () => number, shape: number): () => number {
  if (!(shape > 0 && Number.isFinite(shape))) throw new RangeError(`gamma shape must be positive and finite, got ${shape}`);
  const normal = normalSampler(uniform);
  const boosted = shape < 1;
  const d = (boosted ? shape + 1 : shape) - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  const atLeastOne = (): number => {
    for (;;) {
      const x = normal();
      const root = 1 + c * x;
      if (root <= 0) continue;
      const v = root * root * root;
      const u = 1 - uniform();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  };
  if (!boosted) return atLeastOne;
  return () => atLeastOne() * (1 - uniform()) ** (1 / shape);
}
