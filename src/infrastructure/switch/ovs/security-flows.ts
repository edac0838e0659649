import { SecurityRule } from '../../../application/network/ports/switch-driver.port';

/** What the flows of one port need to know of it. */
export type PortFlowTarget = { cookie: string; ofport: number; mac: string; ip: string; vlan: number; networkCidr: string };

/**
 * Base flows of the integration bridge. Table 0 takes ARP through and sends IP that no port's
 * egress flow claims (from gateway ports, or of no instance) to table 3, which sends IP for an
 * instance's MAC to that instance's ingress decision (table 1) and switches the rest normally.
 * Every instance-to-instance packet thus meets the sender's egress rules and then the receiver's
 * ingress rules, also between two ports of one bridge.
 */
export const BASE_FLOWS = [
  'table=0,cookie=0x1,priority=200,arp,actions=NORMAL',
  'table=0,cookie=0x1,priority=50,ip,actions=resubmit(,3)',
  'table=0,cookie=0x1,priority=0,actions=NORMAL',
  'table=3,cookie=0x1,priority=0,actions=NORMAL',
];

/** A port range as the value/mask pairs that cover it exactly (OpenFlow matches ports by mask, not by range). */
export function portRangeMasks(min: number, max: number): string[] {
  const out: string[] = [];
  let start = min;
  while (start <= max) {
    let size = 1;
    while (start % (size * 2) === 0 && start + size * 2 - 1 <= max && size < 0x10000) size *= 2;
    out.push(size === 1 ? `${start}` : `0x${start.toString(16)}/0x${(0xffff & ~(size - 1)).toString(16)}`);
    start += size;
  }
  return out;
}

/** Matches for a rule: protocol, destination ports (tcp/udp), and the peer's CIDR on the given side. */
function ruleMatches(rule: SecurityRule, peerField: 'nw_src' | 'nw_dst'): string[] {
  const peer = rule.cidr === '0.0.0.0/0' ? '' : `,${peerField}=${rule.cidr}`;
  if (rule.protocol === 'any') return [`ip${peer}`];
  if (rule.protocol === 'icmp') return [`icmp${peer}`];
  const ports = rule.portMin !== null ? portRangeMasks(rule.portMin, rule.portMax ?? rule.portMin) : [null];
  return ports.map((p) => `${rule.protocol}${peer}${p === null ? '' : `,tp_dst=${p}`}`);
}

/**
 * A port's security flows (stateful, through the userspace datapath's conntrack, one zone per
 * VLAN). Egress (table 2) must carry the port's own address and is open unless egress rules exist,
 * then limited to them; ingress (table 1) is allowed when established, or new and matching an
 * ingress rule; with no rule at all (a port without security groups) new ingress is allowed from
 * its own network only, never from another.
 */
export function securityFlows(t: PortFlowTarget, rules: readonly SecurityRule[]): string[] {
  const c = `cookie=${t.cookie}`;
  const zone = `zone=${t.vlan}`;
  const flows: string[] = [];
  if (t.ofport > 0) {
    flows.push(`table=0,${c},priority=110,ip,in_port=${t.ofport},nw_src=${t.ip},actions=ct(table=2,${zone})`);
    flows.push(`table=0,${c},priority=100,ip,in_port=${t.ofport},actions=drop`); // a spoofed source
    flows.push(`table=2,${c},priority=300,ct_state=+trk+est,in_port=${t.ofport},actions=resubmit(,3)`);
    flows.push(`table=2,${c},priority=300,ct_state=+trk+rel,in_port=${t.ofport},actions=resubmit(,3)`);
    const egress = rules.filter((r) => r.direction === 'egress');
    const allowOut = egress.length === 0 ? ['ip'] : egress.flatMap((r) => ruleMatches(r, 'nw_dst'));
    for (const m of allowOut) flows.push(`table=2,${c},priority=200,ct_state=+trk+new,in_port=${t.ofport},${m},actions=ct(commit,${zone}),resubmit(,3)`);
    flows.push(`table=2,${c},priority=100,in_port=${t.ofport},actions=drop`);
  }
  flows.push(`table=3,${c},priority=100,ip,dl_dst=${t.mac},actions=ct(table=1,${zone})`);
  flows.push(`table=1,${c},priority=300,ct_state=+trk+est,dl_dst=${t.mac},actions=NORMAL`);
  flows.push(`table=1,${c},priority=300,ct_state=+trk+rel,dl_dst=${t.mac},actions=NORMAL`);
  const ingress = rules.filter((r) => r.direction === 'ingress');
  const allowIn = rules.length === 0 ? [`ip,nw_src=${t.networkCidr}`] : ingress.flatMap((r) => ruleMatches(r, 'nw_src'));
  for (const m of allowIn) flows.push(`table=1,${c},priority=200,ct_state=+trk+new,dl_dst=${t.mac},${m},actions=ct(commit,${zone}),NORMAL`);
  flows.push(`table=1,${c},priority=100,dl_dst=${t.mac},actions=drop`);
  return flows;
}
