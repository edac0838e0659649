export const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** A value as the EC2 XML carries it: members by name, lists as `<item>`s, null left out. */
export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | XmlObject;
export type XmlObject = { [member: string]: XmlValue };

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);

function element(name: string, value: XmlValue, out: string[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    out.push(`<${name}>`);
    for (const item of value) element('item', item, out);
    out.push(`</${name}>`);
  } else if (typeof value === 'object') {
    out.push(`<${name}>`);
    for (const [member, inner] of Object.entries(value)) element(member, inner, out);
    out.push(`</${name}>`);
  } else {
    out.push(`<${name}>${escape(String(value))}</${name}>`);
  }
}

/** `<{Action}Response xmlns=…><requestId>…</requestId>…members…</{Action}Response>` */
export function ec2Response(action: string, requestId: string, members: Record<string, XmlValue>): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<${action}Response xmlns="${EC2_NAMESPACE}">`, `<requestId>${escape(requestId)}</requestId>`];
  for (const [member, value] of Object.entries(members)) element(member, value, out);
  out.push(`</${action}Response>`);
  return out.join('');
}

/** EC2's error document. */
export function ec2ErrorDocument(code: string, message: string, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<Response><Errors><Error><Code>${escape(code)}</Code><Message>${escape(message)}</Message></Error></Errors>` +
    `<RequestID>${escape(requestId)}</RequestID></Response>`
  );
}
