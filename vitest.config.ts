import { defineConfig } from 'vitest/config';

// Numerical tests call out to Python/torch and WebGPU runs on a software Vulkan driver, both slow on
// CI's two cores: timeouts are generous, and correctness (not time) is what the tests assert.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', '.tmp/**'],
    setupFiles: ['test/setup/fast-check-seed.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
