/**
 * The one place the environment a run uses is chosen: `--cni X` or
 * NETPROOF_CNI=X (the flag wins), else the default. Resolved once per command
 * and handed down (runScenario's `environment`, startKindCluster's spec); a
 * scenario file only states where it cannot run. An engine choice, when there
 * is one, is resolved here the same way.
 */
import type { EnvironmentChoice } from '../environment/environment.ts';
import { checkHostFor, cniHelp, cniModule, cniNames, defaultCni, defaultCniFor, isCni } from '../environment/kind/index.ts';
import { UsageError } from '../errors.ts';

/** Where a choice came from: the messages blame that, and only a flag narrows `--all` to Kubernetes scenarios. */
export type ChoiceSource = 'flag' | 'variable' | 'default';

export interface ResolvedChoice extends EnvironmentChoice {
  readonly cniFrom: ChoiceSource;
}

/** The usage text's lines on choosing a CNI, from the registry. */
export const cniUsage = `--cni X (or NETPROOF_CNI=X): a cluster with that CNI (default ${defaultCni}; with NETPROOF_KIND_NODE_IMAGE, that image's kindnet); an unknown one exits 2, one this host's kernel cannot run exits 3:\n${cniHelp('  ')}`;

/** `--cni` / NETPROOF_CNI → the CNI; an unknown name is a usage error (exit 2) that names its source and lists the known ones. */
export function resolveEnvironmentChoice(flags: { readonly cni?: string }, env: NodeJS.ProcessEnv = process.env): ResolvedChoice {
  const [value, cniFrom, said] =
    flags.cni !== undefined ? [flags.cni, 'flag' as const, `--cni ${flags.cni}`] : env.NETPROOF_CNI ? [env.NETPROOF_CNI, 'variable' as const, `NETPROOF_CNI=${env.NETPROOF_CNI} (environment variable)`] : [defaultCniFor(env), 'default' as const, ''];
  if (!isCni(value)) throw new UsageError(`${said}: unknown CNI; known CNIs: ${cniNames.join(', ')}`);
  return { cni: value, cniFrom };
}

/** Refuses, before anything starts, a chosen CNI this host cannot run (exit 3 with the reason). */
export async function checkHostForChoice(choice: EnvironmentChoice): Promise<void> {
  await checkHostFor(cniModule(choice.cni));
}
