export type IdPrefix =
  | 'prj'
  | 'usr'
  | 'tok'
  | 'ak'
  | 'op'
  | 'inst'
  | 'net'
  | 'vol'
  | 'port'
  | 'sg'
  | 'host'
  | 'res'
  | 'flv'
  | 'img'
  | 'kp'
  | 'sgr'
  | 'fip'
  | 'snap'
  | 'agt'
  | 'subnet'
  | 'rtr';

export interface IdGenerator {
  /** A new resource id with its type prefix, e.g. `prj-3f9c…`. */
  next(prefix: IdPrefix): string;
  /** A new event id (uuid). */
  uuid(): string;
}
export const ID_GENERATOR = Symbol('IdGenerator');
