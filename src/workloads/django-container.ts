import { GenericContainer } from 'testcontainers';
import { containerContextCommands, containerExec } from './container-exec.ts';
import type { WorkloadSpec } from './workload.ts';

/**
 * The lab's Django project (images/django) idling on a Docker network, so
 * probes can run `manage.py` in it with any DATABASES HOST/PORT.
 * `network: 'bridge'` is Docker's default bridge (docker0).
 */
export function djangoContainer(options: { network: 'bridge' }): WorkloadSpec {
  return {
    description: `Django 3.2 container on the ${options.network === 'bridge' ? 'default bridge (docker0)' : options.network} network`,
    images: ['django'],
    async start(name, env) {
      const container = await new GenericContainer(env.images.django)
        .withName(`np-${env.run.id}-${name}`)
        .withNetworkMode(options.network)
        .withLabels(env.run.labels)
        .withCommand(['sleep', 'infinity'])
        .start();
      env.run.defer(`stop ${name}`, async () => void (await container.stop({ remove: true, timeout: 0 })));
      return {
        name,
        description: this.description,
        containerName: container.getName().replace(/^\//, ''),
        exec: (argv, execOptions) => containerExec(container, argv, execOptions),
        contextCommands: containerContextCommands,
      };
    },
  };
}
