import { RecordedEvent } from '../cloud-client';
import { Column, Item } from '../output';

/** How events are shown in a table: position, time, type, stream, who, and what changed in brief. */
export const eventColumns: Column[] = [
  { header: 'position', value: (e) => (e as unknown as RecordedEvent).position },
  { header: 'at', value: (e) => (e as unknown as RecordedEvent).metadata.at },
  { header: 'type', value: (e) => (e as unknown as RecordedEvent).type },
  { header: 'stream', value: (e) => (e as unknown as RecordedEvent).stream },
  { header: 'by', value: (e) => (e as unknown as RecordedEvent).metadata.principal },
  { header: 'data', value: (e) => brief((e as unknown as RecordedEvent).data) },
];

/** An event's data on one line, cut to a terminal's width. */
export function brief(data: Item): string {
  const text = JSON.stringify(data);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One line per event, for following the log. */
export const eventLine = (e: RecordedEvent): string => `${e.position}\t${e.metadata.at ?? ''}\t${e.type}\t${e.stream}\t${brief(e.data)}`;
