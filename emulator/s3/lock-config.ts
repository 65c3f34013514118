import { accessBucket } from './access.js';
import type { S3Handler } from './context.js';
import { malformedXml, S3Error } from './errors.js';
import { type DefaultRetention, LOCK_MODES, type LockMode } from './model.js';
import { elementText, hasElement, type S3Node, s3Document } from './xml.js';

/** Reads an ObjectLockConfiguration document; anything S3 would not accept is MalformedXML, as S3 answers. */
function parseConfiguration(xml: string): { rule?: DefaultRetention } {
  if (elementText(xml, 'ObjectLockEnabled') !== 'Enabled') throw malformedXml();
  if (!hasElement(xml, 'Rule')) return {};
  const retention = elementText(xml, 'DefaultRetention');
  if (!retention) throw malformedXml();
  const mode = elementText(retention, 'Mode');
  const days = elementText(retention, 'Days');
  const years = elementText(retention, 'Years');
  if (!LOCK_MODES.includes(mode as LockMode) || (days === undefined) === (years === undefined)) throw malformedXml();
  const period = Number(days ?? years);
  if (!Number.isInteger(period) || period <= 0) {
    throw new S3Error('InvalidArgument', 400, 'Default retention period must be a positive integer value', [
      ['ArgumentName', days === undefined ? 'Years' : 'Days'],
      ['ArgumentValue', String(days ?? years)],
    ]);
  }
  const rule: DefaultRetention = {
    mode: mode as LockMode,
    ...(days === undefined ? { years: period } : { days: period }),
  };
  return { rule };
}

/**
 * PutObjectLockConfiguration: sets or clears the default retention. A bucket without versioning is refused; in
 * the emulator only buckets created with Object Lock are versioned.
 */
export const putObjectLockConfiguration: S3Handler = (req, store) => {
  const bucket = accessBucket(req, store);
  if (!bucket.versioning) {
    throw new S3Error(
      'InvalidBucketState',
      409,
      "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
    );
  }
  bucket.lock = parseConfiguration(req.body.toString('utf8'));
  return { status: 200 };
};

/** GetObjectLockConfiguration: `Enabled`, and the default retention when there is one. */
export const getObjectLockConfiguration: S3Handler = (req, store) => {
  const bucket = accessBucket(req, store);
  if (!bucket.lock) {
    throw new S3Error(
      'ObjectLockConfigurationNotFoundError',
      404,
      'Object Lock configuration does not exist for this bucket',
      [['BucketName', bucket.name]],
    );
  }
  const rule = bucket.lock.rule;
  const retention: S3Node | undefined = rule
    ? [
        'Rule',
        [
          [
            'DefaultRetention',
            [['Mode', rule.mode], rule.days !== undefined ? ['Days', rule.days] : ['Years', rule.years ?? 0]],
          ],
        ],
      ]
    : undefined;
  return {
    status: 200,
    contentType: 'application/xml',
    text: s3Document(['ObjectLockConfiguration', [['ObjectLockEnabled', 'Enabled'], retention]]),
  };
};
