/**
 * What the API's clients (the orch CLI and the web console, which imports this file) share:
 * reading Server-Sent Events and the states of a launch. No Node or DOM API here.
 */

/** The `data:` of each complete SSE message in `buffer`, and what is left of it (an incomplete message). */
export function takeServerSentData(buffer: string): { data: string[]; rest: string } {
  const data: string[] = [];
  let rest = buffer;
  for (let end = rest.indexOf('\n\n'); end >= 0; end = rest.indexOf('\n\n')) {
    const message = rest
      .slice(0, end)
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => line.slice(6))
      .join('\n');
    rest = rest.slice(end + 2);
    if (message) data.push(message);
  }
  return { data, rest };
}

/** The states a launch goes through, in order; the last two end it. */
export const LAUNCH_STATES = ['pending', 'scheduled', 'networked', 'spawning', 'active', 'error'] as const;
export type LaunchState = (typeof LAUNCH_STATES)[number];

/** The state an instance is in after each event of its launch (others leave it where it is). */
export const STATE_AFTER: Record<string, LaunchState> = {
  InstanceScheduled: 'scheduled',
  InstanceNetworked: 'networked',
  InstanceRootVolumeReady: 'spawning',
  InstanceActivated: 'active',
  InstanceFailed: 'error',
};
