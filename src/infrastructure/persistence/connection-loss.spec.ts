import { ApplicationError } from '../../application/shared/application-error';
import { isConnectionLoss, isDiskFull, unavailableIfFull, unavailableIfLost } from './connection-loss';

describe('a lost database connection', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }],
    [{ code: 'ECONNRESET' }],
    [{ code: '08006' }],
    [{ code: '57P01' }],
    [new Error('Connection terminated unexpectedly')],
    [new Error('timeout exceeded when trying to connect')],
  ])('is recognised in %p', (error) => expect(isConnectionLoss(error)).toBe(true));

  it.each([[{ code: '23505' }], [{ code: '40001' }], [new Error('syntax error at or near "x"')], [null], ['ECONNREFUSED']])(
    'is not a refused query %p',
    (error) => expect(isConnectionLoss(error)).toBe(false),
  );

  it('becomes 503 StoreUnavailable with a Retry-After; other errors pass through unchanged', () => {
    const mapped = unavailableIfLost({ code: 'ECONNREFUSED' });
    expect(mapped).toBeInstanceOf(ApplicationError);
    expect(mapped).toMatchObject({ kind: 'unavailable', code: 'StoreUnavailable', retryAfterSeconds: 2 });
    const other = new Error('duplicate key');
    expect(unavailableIfLost(other)).toBe(other);
  });
});

describe('a full disk', () => {
  it('is recognised in SQLite and Node errors only, and becomes 503 StoreFull', () => {
    expect([{ code: 'SQLITE_FULL' }, new Error('SQLITE_FULL: database or disk is full'), { code: 'ENOSPC' }].every(isDiskFull)).toBe(true);
    expect([{ code: 'SQLITE_BUSY' }, new Error('no such table'), null].some(isDiskFull)).toBe(false);
    expect(unavailableIfFull({ code: 'SQLITE_FULL' })).toMatchObject({ kind: 'unavailable', code: 'StoreFull' });
  });
});
