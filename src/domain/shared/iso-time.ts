/**
 * UTC ISO-8601 timestamps (as the events carry them, `2026-01-01T12:34:56.789Z`) to and from
 * milliseconds since the epoch, by calendar arithmetic: the domain reads no clock and uses no Date.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;

/** Days from 1970-01-01 to a civil date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Milliseconds since the epoch, or null for anything but a UTC ISO timestamp. */
export function isoToMillis(text: string): number | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms] = m;
  return (
    daysFromCivil(Number(y), Number(mo), Number(d)) * 86_400_000 +
    Number(h) * 3_600_000 +
    Number(mi) * 60_000 +
    Number(s) * 1_000 +
    Number((ms ?? '0').padEnd(3, '0'))
  );
}

export function millisToIso(millis: number): string {
  const days = Math.floor(millis / 86_400_000);
  const rest = millis - days * 86_400_000;
  const [y, m, d] = civilFromDays(days);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}T${pad(Math.floor(rest / 3_600_000))}:${pad(Math.floor(rest / 60_000) % 60)}:${pad(Math.floor(rest / 1_000) % 60)}.${pad(rest % 1_000, 3)}Z`;
}

export const HOUR_MS = 3_600_000;
