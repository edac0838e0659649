/** Nova's vocabulary (nova/compute/vm_states.py, task_states.py, power_state.py), trimmed to what we drive. */
export type VmState = 'building' | 'active' | 'stopped' | 'error' | 'deleted';
export type TaskState =
  'scheduling' | 'networking' | 'block_device_mapping' | 'spawning' | 'powering_off' | 'powering_on' | 'rebooting' | 'rebooting_hard' | 'deleting' | null;
export type PowerState = 'nostate' | 'running' | 'paused' | 'shutdown' | 'crashed';

/** The state users see (api.md). */
export type UserState = 'pending' | 'active' | 'stopping' | 'stopped' | 'rebooting' | 'deleting' | 'deleted' | 'error';

export function userState(vm: VmState, task: TaskState): UserState {
  if (vm === 'deleted') return 'deleted';
  if (task === 'deleting') return 'deleting';
  if (vm === 'error') return 'error';
  if (vm === 'building') return 'pending';
  if (task === 'powering_off') return 'stopping';
  if (task === 'rebooting' || task === 'rebooting_hard') return 'rebooting';
  if (task === 'powering_on') return 'pending';
  return vm === 'stopped' ? 'stopped' : 'active';
}
