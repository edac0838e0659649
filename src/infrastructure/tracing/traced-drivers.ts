import { HostRef } from '../../application/compute/ports/hypervisor-drivers.port';
import { Tracing, tracedCall } from '../../application/ports/tracing.port';
import { HostDrivers } from '../drivers/host-drivers';

/** Methods that return at once (a listener's registration), not a call to trace. */
const NOT_CALLS = new Set(['onLifecycle', 'constructor']);

/**
 * Every call to a host's hypervisor or switch made for a trace (the host reference carries it) as
 * a client span (`hypervisor.define`, `switch.plugPort`) with the host it went to. The block
 * storage has no host reference: its calls are traced where they are made (InstanceDisks).
 */
export function tracedDrivers(inner: HostDrivers, tracing: Tracing): HostDrivers {
  return {
    hypervisor: (host: HostRef) => (host.trace ? traced(inner.hypervisor(host), 'hypervisor', host, tracing) : inner.hypervisor(host)),
    switch: (host: HostRef) => (host.trace ? traced(inner.switch(host), 'switch', host, tracing) : inner.switch(host)),
    storage: () => inner.storage(),
  };
}

function traced<T extends object>(target: T, component: string, host: HostRef, tracing: Tracing): T {
  const attributes = { host: host.hostId, driver: host.driver };
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string' || NOT_CALLS.has(property)) return value;
      return (...args: unknown[]) =>
        tracedCall(tracing, `${component}.${property}`, host.trace, attributes, () => (value as (...a: unknown[]) => Promise<unknown>).apply(object, args));
    },
  });
}
