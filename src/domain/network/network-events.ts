import { eventTypesOf } from '../shared/decider';
import { FloatingIpEvent } from './floating-ip/floating-ip.decider';
import { NetworkEvent } from './network/network.decider';
import { PortEvent } from './port/port.decider';
import { SecurityGroupEvent } from './security-group/security-group.decider';

export type NetworkContextEvent = NetworkEvent | PortEvent | SecurityGroupEvent | FloatingIpEvent;

/** Every event of the Network context (its topic's). */
export const NETWORK_EVENT_TYPES = eventTypesOf<NetworkContextEvent>({
  NetworkCreated: true,
  NetworkDeleted: true,
  IpAllocated: true,
  IpReleased: true,
  PortCreated: true,
  PortBound: true,
  PortDeleted: true,
  PortRepaired: true,
  PortSecurityGroupsChanged: true,
  SecurityGroupCreated: true,
  SecurityGroupRuleAdded: true,
  SecurityGroupRuleRemoved: true,
  SecurityGroupDeleted: true,
  FloatingIpAllocated: true,
  FloatingIpAssociated: true,
  FloatingIpDisassociated: true,
  FloatingIpReleased: true,
});
