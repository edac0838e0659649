import * as fs from 'node:fs';
import * as path from 'node:path';

/** What the simulated hosts hold, read from their state directory (ORCH_SIM_STATE_DIR) as a real host's would be inspected. */
export type SimulatedState = {
  hypervisors: Record<string, Array<{ spec: { instanceId: string }; power: string }>>;
  switches: Record<string, { ports: Array<{ portId: string }> }>;
  storage: { volumes: Array<{ volumeId: string }> };
};

export function readSimulatedState(dir: string): SimulatedState {
  const state: SimulatedState = { hypervisors: {}, switches: {}, storage: { volumes: [] } };
  for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const match = /^(hypervisor|switch)-(.+)\.json$/.exec(file);
    const content = () => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as unknown;
    if (file === 'storage.json') state.storage = content() as SimulatedState['storage'];
    else if (match?.[1] === 'hypervisor') state.hypervisors[match[2]] = content() as SimulatedState['hypervisors'][string];
    else if (match?.[1] === 'switch') state.switches[match[2]] = content() as SimulatedState['switches'][string];
  }
  return state;
}
