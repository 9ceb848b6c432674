import { describe, expect, it } from 'vitest';
import { truncatedAddress } from '../../server/log/address.ts';
import { prettyLine } from '../../server/log/pretty.ts';

describe('addresses in the log', () => {
  it('keep the network and drop the machine: a /24 for IPv4, a /48 for IPv6', () => {
    expect(truncatedAddress('203.0.113.57')).toBe('203.0.113.0/24');
    expect(truncatedAddress('::ffff:203.0.113.57')).toBe('203.0.113.0/24');
    expect(truncatedAddress('2001:db8:85a3:8d3:1319:8a2e:370:7334')).toBe('2001:db8:85a3::/48');
    expect(truncatedAddress('2001:db8::1')).toBe('2001:db8:0::/48');
    expect(truncatedAddress('::1')).toBe('0:0:0::/48');
  });

  it('leave out anything that is not an address', () => {
    expect(truncatedAddress('not an address')).toBe('');
    expect(truncatedAddress(undefined)).toBe('');
  });
});

describe('the development log format (LOG_FORMAT=pretty)', () => {
  it('says time, level and message, then the other fields, on one line', () => {
    const line = prettyLine(
      '{"level":"info","time":"2026-12-07T22:45:52.440Z","pid":1,"hostname":"vm","reqId":"abc","res":{"status":200},"msg":"request completed"}',
    );
    expect(line).toBe('22:45:52.440 INFO  request completed  reqId=abc res={"status":200}\n');
  });

  it('puts an error’s stack under its line', () => {
    const line = prettyLine(
      '{"level":"error","time":"2026-12-07T22:45:52.440Z","err":{"message":"x","stack":"Error: x\\n    at here"},"msg":"failed"}',
    );
    expect(line).toBe('22:45:52.440 ERROR failed\nError: x\n    at here\n');
  });
});
