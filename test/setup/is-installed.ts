/** Whether a package resolves from the tests (optional peers such as tfjs-node may be absent). */
import { createRequire } from 'node:module';

export function isInstalled(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}
