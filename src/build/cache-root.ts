import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where built artefacts are kept between runs on this machine:
 * $NETPROOF_CACHE, else /var/cache/netproof for root, else ~/.cache/netproof.
 */
export function cacheRoot(): string {
  if (process.env.NETPROOF_CACHE) return process.env.NETPROOF_CACHE;
  return process.getuid?.() === 0 ? '/var/cache/netproof' : join(homedir(), '.cache', 'netproof');
}
