import { HostRef } from '../../application/compute/ports/hypervisor-drivers.port';
import { Tracing } from '../../application/ports/tracing.port';
import { HostDrivers } from '../drivers/host-drivers';

/** Methods that return at once (a listener's registration), not a call to trace. */
const NOT_CALLS = new Set(['onLifecycle', 'constructor']);

/** Every driver call as a client span (`hypervisor.spawn`, `switch.plugPort`, `storage.create`), with the host it went to. */
export function tracedDrivers(inner: HostDrivers, tracing: Tracing): HostDrivers {
  const storage = traced(inner.storage(), 'storage', {}, tracing);
  return {
    hypervisor: (host: HostRef) => traced(inner.hypervisor(host), 'hypervisor', { host: host.hostId, driver: host.driver }, tracing),
    switch: (host: HostRef) => traced(inner.switch(host), 'switch', { host: host.hostId, driver: host.driver }, tracing),
    storage: () => storage,
  };
}

function traced<T extends object>(target: T, component: string, attributes: Record<string, string>, tracing: Tracing): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string' || NOT_CALLS.has(property)) return value;
      return (...args: unknown[]) =>
        tracing.span(`${component}.${property}`, { kind: 'client', attributes }, () => (value as (...a: unknown[]) => Promise<unknown>).apply(object, args));
    },
  });
}
