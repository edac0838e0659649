import cliProgress from 'cli-progress';
import { LAUNCH_STATES, LaunchState } from './shared/event-stream-messages';

export type Counts = Record<LaunchState, number>;

export const countStates = (states: Iterable<LaunchState>): Counts => {
  const counts = Object.fromEntries(LAUNCH_STATES.map((s) => [s, 0])) as Counts;
  for (const s of states) counts[s]++;
  return counts;
};

/**
 * Shows a launch's progress on stderr: on a terminal, a live bar per state; elsewhere (a pipe, a
 * log) a line whenever the counts change, at most once a second, and always the last one.
 */
export function launchProgress(total: number, stream: NodeJS.WriteStream = process.stderr): { update(counts: Counts): void; stop(counts: Counts): void } {
  if (stream.isTTY) {
    const bars = new cliProgress.MultiBar(
      { stream, format: '{state} |{bar}| {value}/{total}', hideCursor: true, clearOnComplete: false, fps: 10 },
      cliProgress.Presets.shades_classic,
    );
    const byState = new Map(LAUNCH_STATES.map((state) => [state, bars.create(total, 0, { state: state.padEnd(9) })]));
    const update = (counts: Counts) => LAUNCH_STATES.forEach((s) => byState.get(s)?.update(counts[s], { state: s.padEnd(9) }));
    return {
      update,
      stop: (counts) => {
        update(counts);
        bars.stop();
      },
    };
  }
  let shown = '';
  let lastAt = 0;
  const line = (counts: Counts) => `launch: ${LAUNCH_STATES.map((s) => `${s} ${counts[s]}`).join(', ')} (of ${total})`;
  return {
    update: (counts) => {
      const text = line(counts);
      if (text === shown || Date.now() - lastAt < 1_000) return;
      stream.write(text + '\n');
      shown = text;
      lastAt = Date.now();
    },
    stop: (counts) => {
      const text = line(counts);
      if (text !== shown) stream.write(text + '\n');
    },
  };
}
