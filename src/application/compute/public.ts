/** What the other contexts may use of Compute: hosts, instances to look up, operations to start, the catalog to read. */
export { HostDirectory } from './host-directory';
export { InstanceDirectory } from './instance-directory';
export { Operations } from './operations';
export { OperationRecords } from './operation-records';
export type { OperationStart } from './operations';
export { hostRef } from './ports/hypervisor-drivers.port';
export type { HostRef } from './ports/hypervisor-drivers.port';
export type { HostView } from './ports/compute-read-model.port';
export { COMPUTE_READ_MODEL } from './ports/compute-read-model.port';
export type { ComputeReadModel } from './ports/compute-read-model.port';
export type { InstanceView, OperationRecord } from './ports/instance-read-model.port';
export { COMPUTE_EVENT_TYPES } from '../../domain/compute/compute-events';
export { activeImage } from './provisioning/active-image';
export type { ActiveImage } from './provisioning/active-image';
export { CreateFlavor } from './commands/create-flavor.command';
export { RegisterHost } from './commands/register-host.command';
export { RegisterImage } from './commands/register-image.command';
