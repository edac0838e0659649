/** The code (or HTTP status) of what a call throws, or 'no error': for tables of refusals. */
export function errorCodeOf(call: () => unknown): string | number {
  try {
    call();
  } catch (error) {
    const e = error as { code?: string; status?: number };
    return e.status ?? e.code ?? String(error);
  }
  return 'no error';
}
