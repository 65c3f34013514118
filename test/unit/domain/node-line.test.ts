import { describe, expect, it } from 'vitest';
import { replaceSdkNodeNotice } from '../../../src/adapters/aws/node-notice.js';
import { pastEndOfLife } from '../../../src/domain/node-line.js';

describe('pastEndOfLife', () => {
  it('names a line below 22 and when it left maintenance', () => {
    expect(pastEndOfLife('20.19.5')).toEqual({ line: 20, endOfLife: 'April 2026' });
    expect(pastEndOfLife('v20.11.0')).toEqual({ line: 20, endOfLife: 'April 2026' });
    expect(pastEndOfLife('18.20.8')).toEqual({ line: 18, endOfLife: 'April 2025' });
    expect(pastEndOfLife('16.20.2')).toEqual({ line: 16, endOfLife: 'before April 2025' });
  });

  it('says nothing of 22, 24 or a later line', () => {
    for (const version of ['22.0.0', 'v22.21.1', '24.11.0', '25.2.1', '26.0.0']) {
      expect(pastEndOfLife(version)).toBeUndefined();
    }
  });

  it('says nothing of what is not a version', () => {
    expect(pastEndOfLife('')).toBeUndefined();
    expect(pastEndOfLife('vX')).toBeUndefined();
  });
});

describe('replaceSdkNodeNotice', () => {
  it('on a line past its end of life, turns off the SDK notice with its own switch', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(replaceSdkNodeNotice('20.19.5', env)).toEqual({ line: 20, endOfLife: 'April 2026' });
    expect(env).toEqual({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  });

  it('on a maintained line, leaves the environment as it is', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(replaceSdkNodeNotice('24.11.0', env)).toBeUndefined();
    expect(env).toEqual({});
  });
});
