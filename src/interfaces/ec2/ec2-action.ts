import { Principal } from '../../application/shared/command-context';
import { Ec2Params } from './ec2-params';
import { XmlObject } from './ec2-xml';

/** One Query API call, authenticated; `endpoint` is the URL the client reached this interface at. */
export type Ec2Call = { params: Ec2Params; principal: Principal; requestId: string; endpoint: string };

/** An action: whether it changes anything (DryRun and the reader role check it), and what it answers. */
export type Ec2Action = { mutating: boolean; run: (call: Ec2Call) => Promise<XmlObject> };

/** A group of actions (one resource kind's), gathered by the controller. */
export interface Ec2ActionGroup {
  readonly actions: Readonly<Record<string, Ec2Action>>;
}

export const reading = (run: Ec2Action['run']): Ec2Action => ({ mutating: false, run });
export const changing = (run: Ec2Action['run']): Ec2Action => ({ mutating: true, run });
