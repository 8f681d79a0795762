import { dockerHostNamed } from '../workloads/docker-host.ts';
import type { Setup } from './setup.ts';

export interface StaticRoute {
  /** The docker host whose namespace gets the route. */
  readonly on: string;
  /** The destination subnet, e.g. the other engine's bridge subnet. */
  readonly to: string;
  /** The docker host whose LAN address is the next hop. */
  readonly via: string;
}

/**
 * `ip route replace TO via <VIA's LAN address>` in ON's namespace; it must
 * take, else the attempt's check failed. Idempotent, so every attempt that
 * needs it declares it. Nothing to undo: the route goes with ON's container.
 */
export function staticRoute(route: StaticRoute): Setup<void> {
  return {
    describe: `a route to ${route.to} via ${route.via} on ${route.on}`,
    async apply(check, env) {
      const via = dockerHostNamed(route.via, env);
      await check.must(dockerHostNamed(route.on, env).inNamespace(['ip', 'route', 'replace', route.to, 'via', via.lanAddress]), `adding the route to ${route.to} on ${route.on}`);
    },
  };
}
