/** What the EC2 interface needs of the configuration (ORCH_REGION, ORCH_PUBLIC_URL, ORCH_EC2_PORT). */
export type Ec2Settings = { region: string; publicUrl: string | null };
export const EC2_SETTINGS = Symbol('Ec2Settings');
