/** `describe` when PostgreSQL was found by the global set-up, `describe.skip` (counted as skipped) otherwise. */
export const describeWithPostgres: jest.Describe = process.env.ORCH_TEST_PG === '1' ? describe : describe.skip;
