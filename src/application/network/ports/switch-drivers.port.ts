import { HostRef } from '../../compute/public';
import { SwitchDriver } from './switch-driver.port';

/** Each host's virtual switch, by its driver kind. */
export interface SwitchDrivers {
  switch(host: HostRef): SwitchDriver;
}
export const SWITCHES = Symbol('SwitchDrivers');
