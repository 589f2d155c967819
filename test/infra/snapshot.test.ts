/**
 * Whole-template snapshots (direct and Kinesis) with asset hashes replaced by a placeholder, so
 * the snapshot changes when the infrastructure changes, not when handler code does.
 */
import { describe, expect, it } from 'vitest';
import { buildStack } from './support/build-stack.js';

const ASSET_HASH = /[0-9a-f]{64}/g;

function normaliseAssetHashes(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(ASSET_HASH, '<asset-hash>'));
}

describe('template snapshot', () => {
  it('direct ingestion', () => {
    const normalised = normaliseAssetHashes(buildStack().template.toJSON());
    expect(JSON.stringify(normalised)).not.toMatch(ASSET_HASH);
    expect(normalised).toMatchSnapshot();
  });

  it('kinesis ingestion with prefixes and a customer managed key', () => {
    const normalised = normaliseAssetHashes(
      buildStack({
        ingestion: { mode: 'kinesis' },
        sources: { logGroupPrefixes: ['/mcp/'] },
        encryption: {
          kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        },
      }).template.toJSON(),
    );
    expect(normalised).toMatchSnapshot();
  });

  it('replaces the code asset keys of both functions', () => {
    const text = JSON.stringify(normaliseAssetHashes(buildStack().template.toJSON()));
    expect(text.match(/"S3Key":"<asset-hash>\.zip"/g)).toHaveLength(2);
  });
});
