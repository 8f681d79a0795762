import { container } from './lab-container.ts';
import type { WorkloadSpec } from './workload.ts';

/**
 * The lab's Django project (images/django) idling on a Docker network, so
 * probes can run `manage.py` in it with any DATABASES HOST/PORT.
 * `network: 'bridge'` is Docker's default bridge (docker0).
 */
export function djangoContainer(options: { network: string }): WorkloadSpec {
  const where = options.network === 'bridge' ? 'the default bridge (docker0)' : `the ${options.network} network`;
  return container({ image: 'django', network: options.network, description: `Django 3.2 container on ${where}` });
}
