export type StoredResponse = { readonly status: number; readonly body: unknown };

export type IdempotencyClaim =
  | { readonly outcome: 'claimed' }
  | { readonly outcome: 'replay'; readonly response: StoredResponse }
  | { readonly outcome: 'mismatch' }
  | { readonly outcome: 'in_progress' };

/** Durable record of `Idempotency-Key`s: the first response is kept and given again. */
export interface IdempotencyStore {
  claim(scope: string, key: string, requestHash: string): Promise<IdempotencyClaim>;
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  /** Forget a claim whose request failed in a way that may succeed if tried again. */
  abandon(scope: string, key: string): Promise<void>;
}
export const IDEMPOTENCY_STORE = Symbol('IdempotencyStore');
