import { Inject, Injectable } from '@nestjs/common';
import { INSTANCE_READ_MODEL, InstanceReadModel, InstanceView } from './ports/instance-read-model.port';

/** Instances as the other contexts look them up (a volume to attach, a floating IP to associate). */
@Injectable()
export class InstanceDirectory {
  constructor(@Inject(INSTANCE_READ_MODEL) private readonly instances: InstanceReadModel) {}

  getInstance(id: string): Promise<InstanceView | null> {
    return this.instances.getInstance(id);
  }

  /** Whether a volume may be attached to it or a floating IP mapped to it: active or stopped, on a host. */
  static isAtRest(instance: InstanceView | null): instance is InstanceView {
    return instance !== null && instance.host !== null && (instance.state === 'active' || instance.state === 'stopped');
  }
}
