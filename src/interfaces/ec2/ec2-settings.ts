/** What the EC2 interface needs of the configuration (ORCH_REGION, ORCH_REGIONS, ORCH_PUBLIC_URL, ORCH_EC2_PORT, ORCH_HTTP_HOST). */
export type Ec2Settings = {
  region: string;
  /** The cloud's other regions and their base URLs (DescribeRegions lists their /ec2). */
  otherRegions: ReadonlyArray<{ name: string; url: string }>;
  publicUrl: string | null;
  port: number | null;
  host: string;
};
export const EC2_SETTINGS = Symbol('Ec2Settings');
