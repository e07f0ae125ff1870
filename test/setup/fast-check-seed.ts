/**
 * Property tests explore new random inputs on every local run, but CI must give the same verdict
 * for the same commit: under CI=true (or with MIMO_FC_SEED set) every fast-check property runs
 * from one fixed seed. A failure prints its seed and counterexample; pin the counterexample in
 * the test's `examples` once it is fixed.
 */
import fc from 'fast-check';

const CI_SEED = 20261128;
const given = process.env.MIMO_FC_SEED;
const seed = given !== undefined && given !== '' ? Number(given) : process.env.CI === 'true' ? CI_SEED : undefined;
if (seed !== undefined) {
  if (!Number.isInteger(seed)) throw new Error(`MIMO_FC_SEED must be an integer, got \`${given}\``);
  fc.configureGlobal({ seed });
}
