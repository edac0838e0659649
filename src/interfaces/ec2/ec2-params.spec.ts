import { Ec2Params, filterMatches } from './ec2-params';
import { ec2ErrorDocument, ec2Response } from './ec2-xml';

const params = (query: string) => Ec2Params.of([...new URLSearchParams(query)]);

describe('EC2 query parameters and XML', () => {
  it('reads flattened lists, members and filters in index order', () => {
    const p = params(
      'InstanceId.2=i-b&InstanceId.1=i-a&InstanceId.10=i-j&Filter.1.Name=tag:team&Filter.1.Value.1=blue&Filter.1.Value.2=red&Filter.2.Name=instance-state-name&Filter.2.Value.1=running' +
        '&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=web',
    );
    expect(p.list('InstanceId')).toEqual(['i-a', 'i-b', 'i-j']);
    expect([...p.filters()]).toEqual([
      ['tag:team', ['blue', 'red']],
      ['instance-state-name', ['running']],
    ]);
    const [spec] = p.members('TagSpecification');
    expect(spec.get('ResourceType')).toBe('instance');
    expect(spec.members('Tag').map((t) => [t.get('Key'), t.get('Value')])).toEqual([['Name', 'web']]);
  });

  it('refuses numbers and booleans out of range, and names a missing parameter', () => {
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as { code: string }).code;
      }
      return 'no error';
    };
    expect(code(() => params('MaxCount=1001').int('MaxCount', 1, 1000))).toBe('InvalidParameterValue');
    expect(code(() => params('MaxCount=1.5').int('MaxCount', 1, 1000))).toBe('InvalidParameterValue');
    expect(code(() => params('DryRun=yes').bool('DryRun'))).toBe('InvalidParameterValue');
    expect(code(() => params('').required('ImageId'))).toBe('MissingParameter');
  });

  it('compares two requests without their client token', () => {
    const skip = new Set(['ClientToken']);
    expect(params('A=1&ClientToken=x&B=2').canonical(skip)).toBe(params('B=2&A=1&ClientToken=y').canonical(skip));
    expect(params('A=1&B=2').canonical(skip)).not.toBe(params('A=1&B=3').canonical(skip));
  });

  it("matches filter values with EC2's wildcards", () => {
    expect(filterMatches(['web-*'], 'web-1')).toBe(true);
    expect(filterMatches(['web-?'], 'web-12')).toBe(false);
    expect(filterMatches(['a.b'], 'axb')).toBe(false);
    expect(filterMatches(['x'], null)).toBe(false);
  });

  it('writes members, item lists and escaped text in the EC2 namespace, and the error document', () => {
    const xml = ec2Response('DescribeThings', 'req-1', { thingSet: [{ name: 'a<b', on: true, gone: null }], nextToken: undefined });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><DescribeThingsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId>' +
        '<thingSet><item><name>a&lt;b</name><on>true</on></item></thingSet></DescribeThingsResponse>',
    );
    expect(ec2ErrorDocument('InvalidAction', 'no "x"', 'req-2')).toContain(
      '<Errors><Error><Code>InvalidAction</Code><Message>no &quot;x&quot;</Message></Error></Errors><RequestID>req-2</RequestID>',
    );
  });
});
