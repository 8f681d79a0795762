import { fileURLToPath } from 'node:url';

/** Where the Dockerfiles live: images/<name>/. */
export const imagesRoot = fileURLToPath(new URL('../../images/', import.meta.url));

/**
 * Every image the lab runs. Each is built here from the project's own files on
 * a Debian base made with debootstrap, so no registry is needed; tags are the
 * hash of the build inputs, so a change rebuilds only what it touches.
 */
export type ImageName = 'debian' | 'postgres' | 'django' | 'toolbox' | 'flask' | 'nginx' | 'dind';

export interface ImageSpec {
  /** The image it is built FROM (passed as the BASE build argument); none for the base itself. */
  readonly base?: ImageName;
}

export const catalogue: Readonly<Record<ImageName, ImageSpec>> = {
  debian: {},
  postgres: { base: 'debian' },
  django: { base: 'debian' },
  toolbox: { base: 'debian' },
  flask: { base: 'debian' },
  nginx: { base: 'debian' },
  dind: { base: 'debian' },
};
