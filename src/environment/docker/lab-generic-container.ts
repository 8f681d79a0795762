import { GenericContainer } from 'testcontainers';

export { Wait } from 'testcontainers';

/** testcontainers has no builder methods for --link, --sysctl and --dns; HostConfig carries them. */
export class LabGenericContainer extends GenericContainer {
  withLinks(links: Readonly<Record<string, string>>): this {
    this.hostConfig.Links = Object.entries(links).map(([name, alias]) => `${name}:${alias}`);
    return this;
  }
  withSysctls(sysctls: Readonly<Record<string, string>>): this {
    this.hostConfig.Sysctls = { ...sysctls };
    return this;
  }
  withDns(servers: readonly string[]): this {
    this.hostConfig.Dns = [...servers];
    return this;
  }
  /** `-p hostIp:host:container`: withExposedPorts binds every host address, so the binding's HostIp is set here. */
  withPortOn(hostIp: string, host: number, container: number): this {
    this.withExposedPorts({ container, host });
    this.hostConfig.PortBindings = { ...this.hostConfig.PortBindings, [`${container}/tcp`]: [{ HostIp: hostIp, HostPort: String(host) }] };
    return this;
  }
}
