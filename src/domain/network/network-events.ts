import { eventTypesOf } from '../shared/decider';
import { FloatingIpEvent } from './floating-ip/floating-ip.decider';
import { NetworkEvent } from './network/network.decider';
import { RouterEvent } from './router/router.decider';
import { PortEvent } from './port/port.decider';
import { SecurityGroupEvent } from './security-group/security-group.decider';

export type NetworkContextEvent = NetworkEvent | PortEvent | SecurityGroupEvent | FloatingIpEvent | RouterEvent;

/** Every event of the Network context (its topic's). */
export const NETWORK_EVENT_TYPES = eventTypesOf<NetworkContextEvent>({
  NetworkCreated: true,
  NetworkDeleted: true,
  SubnetCreated: true,
  SubnetDeleted: true,
  IpAllocated: true,
  IpReleased: true,
  PortCreated: true,
  PortBound: true,
  PortAttached: true,
  PortDetached: true,
  PortDeleted: true,
  PortRepaired: true,
  PortSecurityGroupsChanged: true,
  SecurityGroupCreated: true,
  SecurityGroupRuleAdded: true,
  SecurityGroupMetadataChanged: true,
  SecurityGroupRuleRemoved: true,
  SecurityGroupDeleted: true,
  FloatingIpAllocated: true,
  FloatingIpAssociated: true,
  FloatingIpDisassociated: true,
  FloatingIpReleased: true,
  RouterCreated: true,
  RouterGatewaySet: true,
  RouterGatewayCleared: true,
  RouterInterfaceAdded: true,
  RouterInterfaceRemoved: true,
  RouterRenamed: true,
  RouterDeleted: true,
  RouterRepaired: true,
});
