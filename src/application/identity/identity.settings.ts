/** How long the tokens issued live (ORCH_TOKEN_TTL_SECONDS). */
export const TOKEN_TTL_SECONDS = Symbol('TokenTtlSeconds');
