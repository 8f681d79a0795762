/**
 * The Go builds `npm test`'s tiers use, started beside the tests
 * (scripts/netproof.sh runs this niced, in the background): on a fresh machine
 * they overlap the unit and integration tests instead of following them. Each
 * build holds its artefact's lock, so a test that needs one waits for it,
 * saying whom it waits for, and nothing is built twice. Only what the tiers
 * use (issue 20: no build a tier does not use), and only Go builds: images are
 * left to the tests' own set-ups, which build them once, in order.
 */
import { ensureEngineBinaries } from '../src/environment/docker/engine-recipe.ts';
import { ensureCniBinaries, readCniVersions, type ManifestCniModule } from '../src/environment/kind/cni/cni-recipe.ts';
import { cniModule } from '../src/environment/kind/cni/registry.ts';
import { ensureGoArtefact, goArtefacts, type AddOnArtefact, type GoArtefact } from '../src/environment/kind/go-artefacts.ts';
import { readVersions } from '../src/environment/kind/versions.ts';
import { consoleLogger } from '../src/log.ts';
import { enforcingCni, newerEngine } from './tiers.ts';

const logger = consoleLogger();
const started = Date.now();
const versions = await readVersions();
const cni = cniModule(enforcingCni) as ManifestCniModule;

// In the order the tiers reach them: the newer engine (integration), then the kind toolchain, the CNI
// and the add-ons, the order the kind files run in (test/kind/build-order-sequencer.ts).
const builds: [string, () => Promise<unknown>][] = [
  [`engine ${newerEngine}`, () => ensureEngineBinaries(newerEngine, logger)],
  ...(Object.keys(goArtefacts) as GoArtefact[]).map((name): [string, () => Promise<unknown>] => [name, () => ensureGoArtefact(name, versions, logger)]),
  [`cni ${enforcingCni}`, async () => ensureCniBinaries(cni, await readCniVersions(cni), logger)],
  ...(['traefik', 'metallb'] as AddOnArtefact[]).map((name): [string, () => Promise<unknown>] => [name, () => ensureGoArtefact(name, versions, logger)]),
];

let failed = 0;
for (const [name, build] of builds) {
  const from = Date.now();
  try {
    await build();
    logger.info(`prebuild: ${name} ready after ${((Date.now() - from) / 1000).toFixed(0)} s`);
  } catch (error) {
    // The test that needs it builds it again and fails with the build's own message.
    failed++;
    logger.info(`prebuild: ${name} failed: ${(error as Error).message}`);
  }
}
logger.info(`prebuild: done in ${((Date.now() - started) / 1000).toFixed(0)} s${failed ? `, ${failed} failed` : ''}`);
