/** What the other contexts may use of Network: an instance's ports, the networks a launch names, the switches and their repair. */
export { NetworkAttachments } from './network-attachments';
export type { Nic, PortAttachment, PortRequest } from './network-attachments';
export { NetworkDirectory } from './network-directory';
export type { NetworkRequest, ResolvedNetwork } from './network-directory';
export { PortRepairer } from './port-repair';
export { RouterRealizer } from './router-realizer';
export { SWITCHES } from './ports/switch-drivers.port';
export type { SwitchDrivers } from './ports/switch-drivers.port';
export type { ActualPort, SwitchDriver } from './ports/switch-driver.port';
export { NETWORK_EVENT_TYPES } from '../../domain/network/network-events';
export { CreateNetwork } from './commands/create-network.command';
