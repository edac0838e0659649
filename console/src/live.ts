import { RecordedEvent, follow, get } from './api';

/** Redraws (at most every 500 ms) when an event that matters arrives; from the log's head. */
export function live(signal: AbortSignal, matters: (events: RecordedEvent[]) => boolean, redraw: () => Promise<void>): void {
  let pending = false;
  void get<{ position: number }>('/v1/events/head').then(({ position }) =>
    follow(
      position,
      (events) => {
        if (pending || !matters(events)) return;
        pending = true;
        setTimeout(() => {
          pending = false;
          if (!signal.aborted) void redraw();
        }, 500);
      },
      signal,
    ),
  );
}
