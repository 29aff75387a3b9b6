/**
 * A seeded pseudo-random number generator, so that a forecast band and a
 * generated history are the same on every run with the same seed. The generator
 * is xoshiro128**, seeded through splitmix32: fast and fit for simulation, and
 * not for cryptography.
 */

export interface Random {
  /** A uniform number in [0, 1). */
  next(): number;
  /** A whole number from 0 to `count - 1`. */
  integer(count: number): number;
  /** A standard normal draw (mean 0, standard deviation 1). */
  normal(): number;
  /** A Gamma(shape, 1) draw; `shape` must be above 0. */
  gamma(shape: number): number;
  /** A Beta(alpha, beta) draw; both must be above 0. */
  beta(alpha: number, beta: number): number;
}

function splitmix32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let t = state ^ (state >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

/** Creates a generator from a seed; equal seeds give equal sequences. */
export function createRandom(seed: number): Random {
  const mix = splitmix32(Math.floor(seed) % 4294967296);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  let spareNormal: number | null = null;

  const next = (): number => {
    const product = Math.imul(b, 5);
    const result = Math.imul((product << 7) | (product >>> 25), 9);
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = (d << 11) | (d >>> 21);
    return (result >>> 0) / 4294967296;
  };

  const normal = (): number => {
    if (spareNormal !== null) {
      const value = spareNormal;
      spareNormal = null;
      return value;
    }
    // Box-Muller; 1 - next() lies in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - next()));
    const angle = 2 * Math.PI * next();
    spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };

  // Marsaglia and Tsang's method; shapes below 1 use Gamma(shape + 1) * U^(1/shape).
  const gamma = (shape: number): number => {
    if (shape < 1) {
      return gamma(shape + 1) * Math.pow(1 - next(), 1 / shape);
    }
    const d3 = shape - 1 / 3;
    const c9 = 1 / Math.sqrt(9 * d3);
    for (;;) {
      const x = normal();
      const v0 = 1 + c9 * x;
      if (v0 <= 0) continue;
      const v = v0 * v0 * v0;
      const u = 1 - next();
      if (u < 1 - 0.0331 * x * x * x * x) return d3 * v;
      if (Math.log(u) < 0.5 * x * x + d3 * (1 - v + Math.log(v))) return d3 * v;
    }
  };

  return {
    next,
    integer: (count) => Math.floor(next() * count),
    normal,
    gamma,
    beta: (alpha, beta) => {
      const x = gamma(alpha);
      const y = gamma(beta);
      return x / (x + y);
    },
  };
}
