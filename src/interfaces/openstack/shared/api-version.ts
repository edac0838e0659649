import { Request } from 'express';
import { ApiError } from '../../http/shared/error-response';

/** What `OpenStack-API-Version: <service> X, …` asks of one service, if anything. */
export function versionAsked(headers: Request['headers'], service: 'compute' | 'volume'): string | undefined {
  const header = headers['openstack-api-version'];
  if (typeof header !== 'string') return undefined;
  return header
    .split(',')
    .map((part) => part.trim().split(/\s+/))
    .find(([name]) => name.toLowerCase() === service)?.[1];
}

/**
 * The minor version of `major.N` (or `latest`: the highest), within what a service implements:
 * 400 for what is not a version, 406 for one outside the range (as Nova and Cinder answer).
 */
export function minorVersionOf(asked: string, range: { service: string; major: number; min: number; max: number }): number {
  const { service, major, min, max } = range;
  if (asked.toLowerCase() === 'latest') return max;
  const match = new RegExp(`^${major}\\.(\\d{1,4})$`).exec(asked);
  if (!match) throw new ApiError(400, 'BadRequest', `Invalid ${service} API version "${asked}"`);
  const minor = Number(match[1]);
  if (minor < min || minor > max) {
    throw new ApiError(406, 'NotAcceptable', `Version ${asked} is not supported by the API. Minimum is ${major}.${min} and maximum is ${major}.${max}.`);
  }
  return minor;
}
